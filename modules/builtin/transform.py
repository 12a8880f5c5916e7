"""Data transformation modules."""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Data Transformation"


def require_columns(table: pd.DataFrame, names: list[str], port: str) -> None:
    missing = [name for name in names if name not in table.columns]
    if missing:
        available = ", ".join(map(str, table.columns))
        raise ModuleError(f"input '{port}' has no column(s) {', '.join(missing)}; it has: {available}")


@module(
    name="select_columns",
    version="1",
    display_name="Select Columns",
    category=CATEGORY,
    description="Keep the named columns, in the order given.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[Parameter("columns", "columns", "Columns", description="Names of the columns to keep.")],
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
