"""Data transformation modules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from modules.schema import Column, Schemas, TableSchema, passes_through
from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Data Transformation"


def require_columns(table: pd.DataFrame, names: list[str], port: str) -> None:
    missing = [name for name in names if name not in table.columns]
    if missing:
        available = ", ".join(map(str, table.columns))
        raise ModuleError(f"input '{port}' has no column(s) {', '.join(missing)}; it has: {available}")


def _selected_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    schema = inputs["dataset"]
    if schema is None:
        return {"dataset": None}
    by_name = {column.name: column for column in schema.columns}
    columns = tuple(by_name.get(name, Column(name, "unknown")) for name in parameters["columns"])
    return {"dataset": TableSchema(columns)}


@module(
    name="select_columns",
    version="1",
    display_name="Select Columns",
    category=CATEGORY,
    description="Keep the named columns, in the order given.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[Parameter("columns", "columns", "Columns", description="Names of the columns to keep.")],
    schema=_selected_schema,
)
def select_columns(dataset: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    require_columns(dataset, columns, "dataset")
    return {"dataset": dataset[columns]}


@module(
    name="split_data",
    version="1",
    display_name="Split Data",
    category=CATEGORY,
    description="Split rows into two tables: a random fraction in the first, the rest in the second.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset1", "table", "Results dataset1"), Port("dataset2", "table", "Results dataset2")],
    parameters=[
        Parameter("fraction", "float", "Fraction of rows in the first output", default=0.7, minimum=0.0, maximum=1.0),
        Parameter("seed", "int", "Random seed", default=0, minimum=0),
        Parameter(
            "stratify_column",
            "column",
            "Stratify by column",
            required=False,
            description="Keep this column's class proportions equal in both outputs.",
        ),
    ],
    schema=passes_through("dataset", "dataset1", "dataset2"),
)
def split_data(
    dataset: pd.DataFrame, fraction: float, seed: int, stratify_column: str | None
) -> dict[str, pd.DataFrame]:
    if fraction in (0.0, 1.0) or len(dataset) < 2:
        # Nothing to shuffle between: everything goes to one side, in order.
        cut = len(dataset) if fraction == 1.0 else 0
        return {"dataset1": dataset.iloc[:cut], "dataset2": dataset.iloc[cut:]}
    stratify = None
    if stratify_column:
        require_columns(dataset, [stratify_column], "dataset")
        stratify = dataset[stratify_column]
    try:
        first, second = train_test_split(dataset, train_size=fraction, random_state=seed, stratify=stratify)
    except ValueError as error:
        raise ModuleError(f"cannot split: {error}") from error
    return {"dataset1": first.reset_index(drop=True), "dataset2": second.reset_index(drop=True)}
