"""Column-wise operations: math, clipping, binning, indicator columns, and a summary of every column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from modules.builtin.transform import require_columns
from modules.schema import Column, SchemaInference, Schemas, TableSchema
from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Data Transformation"
SUMMARY_COLUMNS = [
    ("Feature", "string"),
    ("Type", "string"),
    ("Count", "integer"),
    ("Unique Value Count", "integer"),
    ("Missing Value Count", "integer"),
    ("Mode", "string"),
]
STATISTICS = "Statistical Functions"

MATH_OPERATIONS: dict[str, Callable[[pd.Series], Any]] = {
    "abs": np.abs,
    "ceiling": np.ceil,
    "floor": np.floor,
    "round": np.round,
    "sign": np.sign,
    "negate": np.negative,
    "square": np.square,
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "log10": np.log10,
}


def _numeric_columns(table: pd.DataFrame, columns: list[str], what: str) -> None:
    require_columns(table, columns, "dataset")
    wrong = [name for name in columns if not pd.api.types.is_numeric_dtype(table[name])]
    if wrong:
        raise ModuleError(f"{what} works on numbers; not numeric: {', '.join(wrong)}")


def _place(table: pd.DataFrame, results: dict[str, pd.Series], inplace: bool, name: Callable[[str], str]) -> Any:
    output = table.copy()
    for column, values in results.items():
        output[column if inplace else name(column)] = values
    return output


def _appended(
    suffix: Callable[[str, Mapping[str, Any]], str], column_type: str, only_new: bool = False
) -> SchemaInference:
    """The input's columns, with each chosen column replaced (in place) or appended under a new name."""

    def infer(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
        schema = inputs["dataset"]
        if schema is None:
            return {"dataset": None}
        chosen = [name for name in parameters["columns"] if schema.has(name)]
        if parameters.get("inplace") and not only_new:
            return {"dataset": schema.plus(*(Column(name, column_type) for name in chosen))}
        return {"dataset": schema.plus(*(Column(suffix(name, parameters), column_type) for name in chosen))}

    return infer


@module(
    name="apply_math_operation",
    version="1",
    display_name="Apply Math Operation",
    category=CATEGORY,
    description="Apply a function (abs, log, sqrt, round, …) to numeric columns, in place or as new columns.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("operation", "choice", "Basic math function", default="abs", choices=tuple(MATH_OPERATIONS)),
        Parameter("columns", "columns", "Column set"),
        Parameter("inplace", "bool", "Replace the columns (else append new ones)", default=False),
    ],
    schema=_appended(lambda name, parameters: f"{parameters['operation']}({name})", "number"),
)
def apply_math_operation(dataset: pd.DataFrame, operation: str, columns: list[str], inplace: bool) -> dict[str, Any]:
    _numeric_columns(dataset, columns, "Apply Math Operation")
    with np.errstate(all="ignore"):  # log(0), sqrt(-1): missing values, as the designer gives
        results = {name: MATH_OPERATIONS[operation](dataset[name].astype(float)) for name in columns}
    results = {name: values.replace([np.inf, -np.inf], np.nan) for name, values in results.items()}
    return {"dataset": _place(dataset, results, inplace, lambda name: f"{operation}({name})")}


@module(
    name="clip_values",
    version="1",
    display_name="Clip Values",
    category=CATEGORY,
    description="Replace values outside thresholds with the threshold, or with a missing value.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("columns", "columns", "List of columns"),
        Parameter("lower_threshold", "float", "Lower threshold", required=False),
        Parameter("upper_threshold", "float", "Upper threshold", required=False),
        Parameter("substitute", "choice", "Substitute value", default="threshold", choices=("threshold", "missing")),
        Parameter("add_indicator", "bool", "Add indicator columns", default=False),
    ],
    schema=lambda inputs, parameters: (
        _appended(lambda name, _: f"{name}_clipped", "boolean", only_new=True)(inputs, parameters)
        if parameters["add_indicator"]
        else {"dataset": inputs["dataset"]}
    ),
)
def clip_values(
    dataset: pd.DataFrame,
    columns: list[str],
    lower_threshold: float | None,
    upper_threshold: float | None,
    substitute: str,
    add_indicator: bool,
) -> dict[str, Any]:
    _numeric_columns(dataset, columns, "Clip Values")
    if lower_threshold is not None and upper_threshold is not None and lower_threshold > upper_threshold:
        raise ModuleError(f"lower threshold {lower_threshold} is above upper threshold {upper_threshold}")
    output = dataset.copy()
    for name in columns:
        values = dataset[name].astype(float)
        low = values < lower_threshold if lower_threshold is not None else pd.Series(False, index=values.index)
        high = values > upper_threshold if upper_threshold is not None else pd.Series(False, index=values.index)
        if substitute == "missing":
            output[name] = values.mask(low | high)
        else:
            output[name] = values.clip(lower=lower_threshold, upper=upper_threshold)
        if add_indicator:
            output[f"{name}_clipped"] = low | high
    return {"dataset": output}


@module(
    name="group_data_into_bins",
    version="1",
    display_name="Group Data into Bins",
    category=CATEGORY,
    description="Replace numbers by the number of the bin they fall in: equal-width bins or quantiles.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Quantized dataset")],
    parameters=[
        Parameter("columns", "columns", "Columns to bin"),
        Parameter("binning_mode", "choice", "Binning mode", default="quantiles", choices=("quantiles", "equal_width")),
        Parameter("bins", "int", "Number of bins", default=10, minimum=2),
        Parameter("inplace", "bool", "Replace the columns (else append <column>_quantized)", default=False),
    ],
    schema=_appended(lambda name, _: f"{name}_quantized", "integer"),
)
def group_data_into_bins(
    dataset: pd.DataFrame, columns: list[str], binning_mode: str, bins: int, inplace: bool
) -> dict[str, Any]:
    _numeric_columns(dataset, columns, "Group Data into Bins")
    cut = pd.qcut if binning_mode == "quantiles" else pd.cut
    results = {}
    for name in columns:
        binned = cut(dataset[name], bins, labels=False, duplicates="drop")
        results[name] = binned.astype("Int64")
    return {"dataset": _place(dataset, results, inplace, lambda name: f"{name}_quantized")}


@module(
    name="convert_to_indicator_values",
    version="1",
    display_name="Convert to Indicator Values",
    category=CATEGORY,
    description="One column of 0/1 per category value (one-hot encoding).",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("columns", "columns", "Categorical columns to convert"),
        Parameter("overwrite", "bool", "Overwrite categorical columns", default=False),
    ],
    # The new columns are named after the values, which only the data knows.
    schema=lambda inputs, parameters: {
        "dataset": None
        if inputs["dataset"] is None
        else TableSchema(
            inputs["dataset"].without(parameters["columns"] if parameters["overwrite"] else []).columns, False
        )
    },
)
def convert_to_indicator_values(dataset: pd.DataFrame, columns: list[str], overwrite: bool) -> dict[str, Any]:
    require_columns(dataset, columns, "dataset")
    indicators = pd.get_dummies(dataset[columns].astype("string"), prefix_sep="-", dtype="int64")
    base = dataset.drop(columns=columns) if overwrite else dataset
    return {"dataset": pd.concat([base, indicators], axis=1)}


def _column_summary(name: str, values: pd.Series) -> dict[str, Any]:
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    present = values.dropna()
    row: dict[str, Any] = {
        "Feature": name,
        "Type": str(values.dtype),
        "Count": int(present.size),
        "Unique Value Count": int(present.nunique()),
        "Missing Value Count": int(values.isna().sum()),
        "Mode": str(present.mode().iloc[0]) if present.size else None,
    }
    if numeric and present.size:
        numbers = present.astype(float)
        row |= {
            "Min": numbers.min(),
            "Max": numbers.max(),
            "Mean": numbers.mean(),
            "1st Quartile": numbers.quantile(0.25),
            "Median": numbers.median(),
            "3rd Quartile": numbers.quantile(0.75),
            "Sample Variance": numbers.var(),
            "Sample Standard Deviation": numbers.std(),
            "Sample Skewness": numbers.skew(),
            "Sample Kurtosis": numbers.kurt(),
        }
    return row


@module(
    name="summarize_data",
    version="1",
    display_name="Summarize Data",
    category=STATISTICS,
    description="One row per column: count, unique and missing values, and statistics of numeric columns.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("summary", "table", "Result")],
    schema=lambda inputs, parameters: {
        "summary": TableSchema(tuple(Column(name, kind) for name, kind in SUMMARY_COLUMNS), complete=False)
    },
)
def summarize_data(dataset: pd.DataFrame) -> dict[str, Any]:
    rows = [_column_summary(str(name), dataset[name]) for name in dataset.columns]
    return {"summary": pd.DataFrame(rows)}
