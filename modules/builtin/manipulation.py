"""Combining and reshaping tables: joins, adding rows and columns, duplicates, SQL, metadata, sampling."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from modules.builtin.transform import require_columns
from modules.schema import Column, Schemas, TableSchema, passes_through
from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Data Transformation"
METADATA_KEY = "trellis"
MERGE_HOW: dict[str, Literal["inner", "left", "outer"]] = {
    "inner": "inner",
    "left_outer": "left",
    "full_outer": "outer",
}
JOIN_TYPES = (*MERGE_HOW, "left_semi")
DATA_TYPES = ("unchanged", "string", "integer", "float", "boolean", "datetime", "categorical")
ROLES = ("unchanged", "feature", "label", "clear")


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


def _side_by_side(left: TableSchema | None, right: TableSchema | None) -> TableSchema | None:
    """Left's columns, then right's, renamed as `_unique_name` renames them."""
    if left is None or right is None:
        return None
    taken = set(left.names())
    columns = list(left.columns)
    for column in right.columns:
        name = _unique_name(column.name, taken)
        taken.add(name)
        columns.append(Column(name, column.type))
    return TableSchema(tuple(columns), left.complete and right.complete)


def _joined_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    if parameters["join_type"] == "left_semi":
        return {"dataset": inputs["left"]}
    joined = _side_by_side(inputs["left"], inputs["right"])
    if joined is None or parameters["keep_right_keys"]:
        return {"dataset": joined}
    left = inputs["left"]
    assert left is not None
    renamed = joined.names()[len(left.columns) :]
    right_names = [column.name for column in inputs["right"].columns] if inputs["right"] else []
    dropped = [renamed[right_names.index(key)] for key in parameters["right_keys"] if key in right_names]
    return {"dataset": joined.without(name for name in dropped if name not in parameters["left_keys"])}


def _stacked_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    first, second = inputs["first"], inputs["second"]
    if first is None or second is None:
        return {"dataset": None}
    extra = tuple(column for column in second.columns if not first.has(column.name))
    return {"dataset": TableSchema(first.columns + extra, first.complete and second.complete)}


def _edited_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    schema = inputs["dataset"]
    if schema is None:
        return {"dataset": None}
    types = {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean"}
    types |= {"datetime": "datetime", "categorical": "category"}
    renames = dict(zip(parameters["columns"], parameters["new_names"] or parameters["columns"], strict=True))
    columns = tuple(
        Column(renames.get(c.name, c.name), types.get(parameters["data_type"], c.type) if c.name in renames else c.type)
        for c in schema.columns
    )
    return {"dataset": TableSchema(columns, schema.complete)}


def _sampled_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    schema = inputs["dataset"]
    if schema is not None and parameters["mode"] == "folds":
        schema = schema.plus(Column("Fold", "integer"))
    return {"dataset": schema}


@module(
    name="join_data",
    version="1",
    display_name="Join Data",
    category=CATEGORY,
    description="Join two tables on key columns: inner, left outer, full outer or left semi join.",
    inputs=[Port("left", "table", "Left dataset"), Port("right", "table", "Right dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("left_keys", "columns", "Join key columns for the left dataset", of_input="left"),
        Parameter("right_keys", "columns", "Join key columns for the right dataset", of_input="right"),
        Parameter("join_type", "choice", "Join type", default="inner", choices=JOIN_TYPES),
        Parameter("keep_right_keys", "bool", "Keep right key columns in the joined table", default=True),
    ],
    schema=_joined_schema,
)
def join_data(
    left: pd.DataFrame,
    right: pd.DataFrame,
    left_keys: list[str],
    right_keys: list[str],
    join_type: str,
    keep_right_keys: bool,
) -> dict[str, Any]:
    require_columns(left, left_keys, "left")
    require_columns(right, right_keys, "right")
    if len(left_keys) != len(right_keys):
        raise ModuleError(f"{len(left_keys)} left key(s) but {len(right_keys)} right key(s): give the same number")
    if join_type == "left_semi":
        keys = right[right_keys].drop_duplicates().set_axis(left_keys, axis=1)
        return {"dataset": left.merge(keys, on=left_keys, how="inner")}
    names = {str(name): _unique_name(str(name), set(map(str, left.columns))) for name in right.columns}
    renamed_keys = [names[name] for name in right_keys]
    joined = left.merge(right.rename(columns=names), left_on=left_keys, right_on=renamed_keys, how=MERGE_HOW[join_type])
    if not keep_right_keys:
        joined = joined.drop(columns=[name for name in renamed_keys if name not in left_keys])
    return {"dataset": joined.reset_index(drop=True)}


@module(
    name="add_columns",
    version="1",
    display_name="Add Columns",
    category=CATEGORY,
    description="Put the columns of two tables with the same number of rows side by side.",
    inputs=[Port("left", "table", "Left dataset"), Port("right", "table", "Right dataset")],
    outputs=[Port("dataset", "table", "Combined dataset")],
    schema=lambda inputs, parameters: {"dataset": _side_by_side(inputs["left"], inputs["right"])},
)
def add_columns(left: pd.DataFrame, right: pd.DataFrame) -> dict[str, Any]:
    if len(left) != len(right):
        raise ModuleError(f"the tables have {len(left)} and {len(right)} rows; Add Columns needs the same number")
    taken = set(map(str, left.columns))
    renamed = {}
    for name in map(str, right.columns):
        renamed[name] = _unique_name(name, taken)
        taken.add(renamed[name])
    right = right.rename(columns=renamed).reset_index(drop=True)
    return {"dataset": pd.concat([left.reset_index(drop=True), right], axis=1)}


@module(
    name="add_rows",
    version="1",
    display_name="Add Rows",
    category=CATEGORY,
    description="Append the rows of the second table to the first; columns are matched by name.",
    inputs=[Port("first", "table", "Dataset1"), Port("second", "table", "Dataset2")],
    outputs=[Port("dataset", "table", "Results dataset")],
    schema=_stacked_schema,
)
def add_rows(first: pd.DataFrame, second: pd.DataFrame) -> dict[str, Any]:
    return {"dataset": pd.concat([first, second], ignore_index=True)}


@module(
    name="remove_duplicate_rows",
    version="1",
    display_name="Remove Duplicate Rows",
    category=CATEGORY,
    description="Keep one row of each group of rows equal on the key columns.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("key_columns", "columns", "Key column selection filter", required=False, description="Empty: all."),
        Parameter("retain_first", "bool", "Retain first duplicate row", default=True),
    ],
    schema=passes_through("dataset", "dataset"),
)
def remove_duplicate_rows(dataset: pd.DataFrame, key_columns: list[str] | None, retain_first: bool) -> dict[str, Any]:
    if key_columns:
        require_columns(dataset, key_columns, "dataset")
    kept = dataset.drop_duplicates(subset=key_columns or None, keep="first" if retain_first else "last")
    return {"dataset": kept.reset_index(drop=True)}


@module(
    name="apply_sql_transformation",
    version="1",
    display_name="Apply SQL Transformation",
    category=CATEGORY,
    description="Run a DuckDB SQL query over the inputs, which are the tables t1, t2 and t3.",
    inputs=[
        Port("t1", "table", "Dataset1"),
        Port("t2", "table", "Dataset2", optional=True),
        Port("t3", "table", "Dataset3", optional=True),
    ],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[Parameter("sql", "text", "SQL query script", default="select * from t1;")],
    runs_user_code=True,  # DuckDB SQL can read and write files
)
def apply_sql_transformation(
    sql: str, t1: pd.DataFrame, t2: pd.DataFrame | None = None, t3: pd.DataFrame | None = None
) -> dict[str, Any]:
    with duckdb.connect() as connection:
        for name, table in (("t1", t1), ("t2", t2), ("t3", t3)):
            if table is not None:
                connection.register(name, table)
        try:
            result = connection.sql(sql)
        except duckdb.Error as error:
            raise ModuleError(f"the query failed: {error}") from None
        if result is None:
            raise ModuleError("the script must end with a query that returns rows (a select)")
        return {"dataset": result.df()}


def _converted(values: pd.Series, data_type: str) -> pd.Series:
    conversions: dict[str, Callable[[], pd.Series]] = {
        "string": lambda: values.astype("string"),
        "integer": lambda: pd.to_numeric(values).astype("Int64"),
        "float": lambda: pd.to_numeric(values).astype(float),
        "boolean": lambda: values.astype("boolean"),
        "datetime": lambda: pd.to_datetime(values),
        "categorical": lambda: values.astype("category"),
    }
    try:
        return conversions[data_type]()
    except (ValueError, TypeError) as error:
        raise ModuleError(f"column {values.name} cannot become {data_type}: {error}") from None


@module(
    name="edit_metadata",
    version="1",
    display_name="Edit Metadata",
    category=CATEGORY,
    description="Rename columns, change their type, or mark them as feature or label.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("columns", "columns", "Columns"),
        Parameter("data_type", "choice", "Data type", default="unchanged", choices=DATA_TYPES),
        Parameter("role", "choice", "Fields", default="unchanged", choices=ROLES),
        Parameter("new_names", "columns", "New column names", required=False, description="One per column, in order."),
    ],
    schema=_edited_schema,
)
def edit_metadata(
    dataset: pd.DataFrame, columns: list[str], data_type: str, role: str, new_names: list[str] | None
) -> dict[str, Any]:
    require_columns(dataset, columns, "dataset")
    if new_names and len(new_names) != len(columns):
        raise ModuleError(f"{len(new_names)} new name(s) for {len(columns)} column(s): give one per column")
    edited = dataset.copy()
    if data_type != "unchanged":
        for name in columns:
            edited[name] = _converted(edited[name], data_type)
    metadata = dict(dataset.attrs.get(METADATA_KEY, {}))
    if role == "label":
        metadata["label"] = columns[-1]
    elif role in ("feature", "clear") and metadata.get("label") in columns:
        metadata.pop("label")
    renames = dict(zip(columns, new_names or columns, strict=True))
    edited = edited.rename(columns=renames)
    if metadata.get("label") in renames:
        metadata["label"] = renames[metadata["label"]]
    edited.attrs[METADATA_KEY] = metadata
    return {"dataset": edited}


@module(
    name="partition_and_sample",
    version="1",
    display_name="Partition and Sample",
    category=CATEGORY,
    description="Take a random sample, the first N rows, or assign every row to one of K folds.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("mode", "choice", "Partition or sample mode", default="sample", choices=("sample", "head", "folds")),
        Parameter("rate", "float", "Rate of sampling", default=0.1, minimum=0, maximum=1),
        Parameter("count", "int", "Number of rows (head) or folds", default=10, minimum=1),
        Parameter("seed", "int", "Random seed", default=0, minimum=0),
    ],
    schema=_sampled_schema,
)
def partition_and_sample(dataset: pd.DataFrame, mode: str, rate: float, count: int, seed: int) -> dict[str, Any]:
    if mode == "head":
        return {"dataset": dataset.head(count).reset_index(drop=True)}
    if mode == "sample":
        return {"dataset": dataset.sample(frac=rate, random_state=seed).reset_index(drop=True)}
    folds = np.random.default_rng(seed).permutation(len(dataset)) % count
    return {"dataset": dataset.assign(Fold=folds)}
