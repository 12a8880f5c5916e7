"""Clean Missing Data, Normalize Data and Apply Transformation.

Both cleaning and normalizing learn a `Transformation` from the data they see (a mean, a
minimum, …) and output it, so the same change can be applied to other data, e.g. the test
split, with Apply Transformation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from modules.builtin.transform import require_columns
from modules.schema import Column, Schemas, TableSchema, passes_through
from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Data Transformation"
CLEANING_MODES = ("custom_value", "mean", "median", "mode", "remove_row", "remove_column")
NORMALIZERS = ("zscore", "minmax", "logistic", "lognormal", "tanh")


@dataclass
class Transformation:
    """A fitted column transformation: what was learned, per column, and how to apply it."""

    kind: str
    method: str
    columns: list[str]
    learned: dict[str, list[Any]] = field(default_factory=dict)

    def apply(self, table: pd.DataFrame) -> pd.DataFrame:
        require_columns(table, self.columns, "dataset")
        return APPLIERS[self.kind](self, table.copy())

    def describe(self) -> dict[str, Any]:
        return {
            "title": f"{self.kind.replace('_', ' ').capitalize()}: {self.method}",
            "properties": {"method": self.method, "columns": ", ".join(self.columns)},
            "learned": self.learned,
        }


def _numeric(table: pd.DataFrame, columns: list[str], what: str) -> None:
    wrong = [name for name in columns if not pd.api.types.is_numeric_dtype(table[name])]
    if wrong:
        raise ModuleError(f"{what} needs numeric columns; not numeric: {', '.join(wrong)}")


# Clean Missing Data


def _replacement(table: pd.DataFrame, column: str, mode: str, custom: str) -> Any:
    values = table[column].dropna()
    if mode == "mean":
        return float(values.mean())
    if mode == "median":
        return float(values.median())
    if mode == "mode":
        most_common = values.mode().iloc[0] if len(values) else None
        return most_common.item() if isinstance(most_common, np.generic) else most_common
    if pd.api.types.is_numeric_dtype(table[column]):
        try:
            return float(custom)
        except ValueError:
            raise ModuleError(f"replacement value {custom!r} is not a number, but column {column} is") from None
    return custom


def _clean_missing_apply(transformation: Transformation, table: pd.DataFrame) -> pd.DataFrame:
    columns = transformation.columns
    if transformation.method == "remove_row":
        return table.dropna(subset=columns).reset_index(drop=True)
    if transformation.method == "remove_column":
        return table.drop(columns=columns)
    for column in columns:
        table[column] = table[column].fillna(transformation.learned[column][0])
    return table


def _cleaned_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    # Which columns "remove entire column" drops depends on the data.
    removes_columns = parameters["cleaning_mode"] == "remove_column"
    return {"dataset": None if removes_columns else inputs["dataset"]}


def _normalized_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    schema = inputs["dataset"]
    if schema is None:
        return {"dataset": None}
    return {"dataset": schema.plus(*(Column(name, "number") for name in parameters["columns"] if schema.has(name)))}


@module(
    name="clean_missing_data",
    version="1",
    display_name="Clean Missing Data",
    category=CATEGORY,
    description="Replace or remove missing values; outputs the cleaning as a transformation to reuse.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[
        Port("dataset", "table", "Cleaned dataset"),
        Port("transformation", "transformation", "Cleaning transformation"),
    ],
    parameters=[
        Parameter("columns", "columns", "Columns to be cleaned", required=False, description="Empty: every column."),
        Parameter("cleaning_mode", "choice", "Cleaning mode", default="mean", choices=CLEANING_MODES),
        Parameter("replacement_value", "string", "Replacement value", default="0"),
        Parameter("minimum_missing_ratio", "float", "Minimum missing value ratio", default=0.0, minimum=0, maximum=1),
        Parameter("maximum_missing_ratio", "float", "Maximum missing value ratio", default=1.0, minimum=0, maximum=1),
    ],
    schema=_cleaned_schema,
)
def clean_missing_data(
    dataset: pd.DataFrame,
    columns: list[str] | None,
    cleaning_mode: str,
    replacement_value: str,
    minimum_missing_ratio: float,
    maximum_missing_ratio: float,
) -> dict[str, Any]:
    selected = columns or [str(name) for name in dataset.columns]
    require_columns(dataset, selected, "dataset")
    if cleaning_mode in ("mean", "median"):
        if columns:
            _numeric(dataset, selected, f"cleaning mode {cleaning_mode}")
        selected = [name for name in selected if pd.api.types.is_numeric_dtype(dataset[name])]
    ratios = dataset[selected].isna().mean() if len(dataset) else pd.Series(0.0, index=selected)
    # Only columns that miss something, within the ratio bounds, are touched.
    chosen = [
        name for name in selected if ratios[name] > 0 and minimum_missing_ratio <= ratios[name] <= maximum_missing_ratio
    ]
    learned = {}
    if cleaning_mode not in ("remove_row", "remove_column"):
        learned = {name: [_replacement(dataset, name, cleaning_mode, replacement_value)] for name in chosen}
        empty = [name for name in chosen if pd.isna(learned[name][0])]
        if empty:
            raise ModuleError(f"no values to compute a {cleaning_mode} from in column(s) {', '.join(empty)}")
    transformation = Transformation("clean_missing", cleaning_mode, chosen, learned)
    print(f"cleaning {len(chosen)} column(s) by {cleaning_mode}: {', '.join(chosen) or 'none had missing values'}")
    return {"dataset": transformation.apply(dataset), "transformation": transformation}


# Normalize Data


def _normalize_learn(table: pd.DataFrame, column: str, method: str) -> list[float]:
    values = table[column].astype(float)
    if method == "zscore":
        return [float(values.mean()), float(values.std(ddof=0))]
    if method == "minmax":
        return [float(values.min()), float(values.max())]
    if method == "lognormal":
        if (values.dropna() <= 0).any():
            raise ModuleError(f"log-normal needs positive values; column {column} has values ≤ 0")
        logs = np.log(values.dropna())
        return [float(logs.mean()), float(logs.std(ddof=0))]
    return []


def _normalize_column(values: pd.Series, method: str, learned: list[float]) -> pd.Series:
    values = values.astype(float)
    formulas: dict[str, Callable[[], Any]] = {
        "zscore": lambda: (values - learned[0]) / learned[1] if learned[1] else values * 0.0,
        "minmax": lambda: (
            (values - learned[0]) / (learned[1] - learned[0]) if learned[1] > learned[0] else values * 0.0
        ),
        "logistic": lambda: 1.0 / (1.0 + np.exp(-values)),
        "lognormal": lambda: pd.Series(
            stats.lognorm.cdf(values, s=learned[1] or 1e-12, scale=np.exp(learned[0])), index=values.index
        ),
        "tanh": lambda: np.tanh(values),
    }
    return pd.Series(formulas[method](), index=values.index)


def _normalize_apply(transformation: Transformation, table: pd.DataFrame) -> pd.DataFrame:
    _numeric(table, transformation.columns, "Normalize Data")
    for column in transformation.columns:
        learned = [float(value) for value in transformation.learned.get(column, [])]
        table[column] = _normalize_column(table[column], transformation.method, learned)
    return table


@module(
    name="normalize_data",
    version="1",
    display_name="Normalize Data",
    category=CATEGORY,
    description="Rescale numeric columns; outputs the normalization as a transformation to reuse.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[
        Port("dataset", "table", "Transformed dataset"),
        Port("transformation", "transformation", "Transformation function"),
    ],
    parameters=[
        Parameter("method", "choice", "Transformation method", default="zscore", choices=NORMALIZERS),
        Parameter("columns", "columns", "Columns to transform", description="Numeric columns; leave out the label."),
    ],
    schema=_normalized_schema,
)
def normalize_data(dataset: pd.DataFrame, method: str, columns: list[str]) -> dict[str, Any]:
    require_columns(dataset, columns, "dataset")
    _numeric(dataset, columns, "Normalize Data")
    learned = {name: _normalize_learn(dataset, name, method) for name in columns}
    transformation = Transformation("normalize", method, list(columns), learned)
    return {"dataset": transformation.apply(dataset), "transformation": transformation}


@module(
    name="apply_transformation",
    version="1",
    display_name="Apply Transformation",
    category=CATEGORY,
    description="Apply a transformation learned elsewhere (cleaning, normalization) to a dataset.",
    inputs=[Port("transformation", "transformation", "Transformation"), Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Transformed dataset")],
    schema=passes_through("dataset", "dataset"),
)
def apply_transformation(transformation: Transformation, dataset: pd.DataFrame) -> dict[str, Any]:
    return {"dataset": transformation.apply(dataset)}


APPLIERS: dict[str, Callable[[Transformation, pd.DataFrame], pd.DataFrame]] = {
    "clean_missing": _clean_missing_apply,
    "normalize": _normalize_apply,
}
