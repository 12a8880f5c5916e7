"""Data input modules."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
from sklearn import datasets

from modules.schema import TableSchema
from modules.spec import ModuleError, Parameter, Port, module

# Only loaders whose data ships inside scikit-learn's wheel: nothing is downloaded.
SAMPLE_LOADERS: dict[str, Callable[..., Any]] = {
    "iris": datasets.load_iris,
    "diabetes": datasets.load_diabetes,
    "digits": datasets.load_digits,
    "linnerud": datasets.load_linnerud,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
}


def _load_sample(dataset: str) -> pd.DataFrame:
    bunch = SAMPLE_LOADERS[dataset](as_frame=True)
    frame: pd.DataFrame = bunch.frame
    frame.columns = [str(column) for column in frame.columns]
    return frame.reset_index(drop=True)


@cache
def _sample_schema(dataset: str) -> TableSchema:
    return TableSchema.of_frame(_load_sample(dataset))


@module(
    name="sample_dataset",
    version="1",
    display_name="Sample Dataset",
    category="Data Input and Output",
    description="One of the small datasets shipped with scikit-learn, as a table with its target column.",
    outputs=[Port("dataset", "table", "Dataset")],
    parameters=[Parameter("dataset", "choice", "Dataset", default="iris", choices=tuple(SAMPLE_LOADERS))],
    schema=lambda inputs, parameters: {"dataset": _sample_schema(parameters["dataset"])},
)
def sample_dataset(dataset: str) -> dict[str, pd.DataFrame]:
    return {"dataset": _load_sample(dataset)}


@module(
    name="enter_data_manually",
    version="1",
    display_name="Enter Data Manually",
    category="Data Input and Output",
    description="Type or paste a small table as CSV or TSV.",
    outputs=[Port("dataset", "table", "Dataset")],
    parameters=[
        Parameter("data_format", "choice", "Data format", default="csv", choices=("csv", "tsv")),
        Parameter("has_header", "bool", "The first line holds column names", default=True),
        Parameter("data", "text", "Data", description="The rows, one per line."),
    ],
    # The data is in the parameters: its columns are known as soon as it is typed.
    schema=lambda inputs, parameters: {"dataset": TableSchema.of_frame(_read_manual_data(**parameters))},
)
def enter_data_manually(data_format: str, has_header: bool, data: str) -> dict[str, pd.DataFrame]:
    return {"dataset": _read_manual_data(data_format, has_header, data)}


def _read_manual_data(data_format: str, has_header: bool, data: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(
            io.StringIO(data), sep="," if data_format == "csv" else "\t", header=0 if has_header else None
        )
    except (ValueError, pd.errors.ParserError) as error:
        raise ModuleError(f"the data is not valid {data_format.upper()}: {error}") from None
    table.columns = [str(column) if has_header else f"Col{index + 1}" for index, column in enumerate(table.columns)]
    return table
