"""Import Data, Zip Dataset and Export Data: tables or zip bundles in from a dataset or the web, tables out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from modules.data_access import data_access, stored_table, stored_table_schema, stored_zip
from modules.fetch import fetch
from modules.schema import Schemas, TableSchema
from modules.spec import ModuleError, Parameter, Port, module
from modules.table_formats import AUTO, SNIFF_BYTES, TABLE_FORMATS, detect_format, read_table

FROM_DATASET, FROM_URL = "dataset", "url"
TO_DATASET, TO_DOWNLOAD = "dataset", "download"
DATASET_NAME_LENGTH = 200


def _import_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    # A pinned version's columns are known from its stored file; a URL's only once it is fetched.
    if parameters["source"] == FROM_DATASET and parameters["dataset_version"]:
        return {"dataset": stored_table_schema(parameters["dataset_version"])}
    return {"dataset": None}


@module(
    name="import_data",
    version="1",
    display_name="Import Data",
    category="Data Input and Output",
    description=(
        "A table from a workspace dataset, at the version the node pins (its content digest), or "
        "downloaded from an http(s) URL: CSV, TSV, Parquet, JSON or Excel .xlsx, detected from the file "
        "or chosen. A URL import always runs, since only fetching tells whether the file changed; "
        "its output is named by its content, so the steps below an unchanged file are reused."
    ),
    outputs=[Port("dataset", "table", "Dataset")],
    parameters=[
        Parameter("source", "choice", "Source", default=FROM_DATASET, choices=(FROM_DATASET, FROM_URL)),
        Parameter("dataset", "dataset", "Dataset", required=False, description="A dataset of this workspace."),
        Parameter(
            "dataset_version",
            "dataset_version",
            "Version",
            required=False,
            description="The version the node reads, by its content digest; pick another to change the data.",
        ),
        Parameter("url", "string", "URL", required=False, description="An http or https address of a file."),
        Parameter(
            "file_format",
            "choice",
            "File format",
            default=AUTO,
            choices=(AUTO, *TABLE_FORMATS),
            description="For a URL: the file's format, or auto to tell it from the file.",
        ),
    ],
    schema=_import_schema,
    nondeterministic_when=lambda parameters: parameters["source"] == FROM_URL,
)
def import_data(
    source: str, dataset: int | None, dataset_version: str | None, url: str | None, file_format: str
) -> Any:
    if source == FROM_DATASET:
        if dataset is None or dataset_version is None:
            raise ModuleError("choose a dataset and one of its versions, or set the source to url")
        return {"dataset": stored_table(dataset_version)}
    if not url:
        raise ModuleError("give the URL of the file to import, or set the source to dataset")
    fetched = fetch(url, data_access().fetch_policy())
    chosen = file_format
    if chosen == AUTO:
        chosen = detect_format(fetched.url.split("?")[0], fetched.content_type, fetched.content[:SNIFF_BYTES])
    table = read_table(fetched.content, chosen)
    print(f"fetched {len(fetched.content)} bytes from {fetched.url} as {chosen}: {len(table)} rows")
    return {"dataset": table}


@module(
    name="zip_dataset",
    version="1",
    display_name="Zip Dataset",
    category="Data Input and Output",
    description=(
        "A zip bundle of files from a workspace dataset (uploaded as a .zip), at the version the node pins. "
        "Connect it to Execute Python Script's Script bundle: its Python files become importable by the script."
    ),
    outputs=[Port("zip", "zip", "Zip bundle")],
    parameters=[
        Parameter("dataset", "dataset", "Dataset", description="A zip dataset of this workspace."),
        Parameter(
            "dataset_version",
            "dataset_version",
            "Version",
            description="The version the node reads, by its content digest; pick another to change the files.",
        ),
    ],
)
def zip_dataset(dataset: int, dataset_version: str) -> Any:
    bundle = stored_zip(dataset_version)
    print(f"zip bundle {dataset_version[:12]}… of dataset {dataset}: {len(bundle)} bytes")
    return {"zip": bundle}


def dataset_name_problem(name: str | None) -> str | None:
    """Why `name` cannot name a dataset to export to, or None."""
    if not name or not name.strip():
        return "name the dataset to export to, or set the destination to download"
    if len(name.strip()) > DATASET_NAME_LENGTH:
        return f"a dataset name has at most {DATASET_NAME_LENGTH} characters"
    return None


@module(
    name="export_data",
    version="1",
    display_name="Export Data",
    category="Data Input and Output",
    description=(
        "Saves a table as a new version of a workspace dataset (made when it does not exist) when the "
        "step completes, or offers it for download from the step's outputs (CSV or Parquet). The same "
        "table exported again is the same version, not a new one."
    ),
    inputs=[Port("dataset", "table", "Dataset to export")],
    outputs=[Port("dataset", "table", "Exported dataset")],
    parameters=[
        Parameter("destination", "choice", "Destination", default=TO_DATASET, choices=(TO_DATASET, TO_DOWNLOAD)),
        Parameter(
            "dataset_name",
            "string",
            "Dataset name",
            required=False,
            description="The workspace dataset that gets the table as a version.",
        ),
    ],
    schema=lambda inputs, parameters: {"dataset": inputs.get("dataset")},
    # Exporting to a dataset has an effect outside the store (a version is recorded): it always runs.
    nondeterministic_when=lambda parameters: parameters["destination"] == TO_DATASET,
)
def export_data(dataset: pd.DataFrame, destination: str, dataset_name: str | None) -> Any:
    if destination == TO_DATASET:
        problem = dataset_name_problem(dataset_name)
        if problem:
            raise ModuleError(problem)
        print(f"{len(dataset)} rows to be recorded as a version of dataset {dataset_name!r}")
    return {"dataset": dataset}
