"""Design-time table schemas: which columns an output will have, known before anything runs.

A module may declare how its output columns follow from its input columns and parameters.
The designer propagates schemas along edges while editing, so column pickers list the columns
that will really arrive and a misspelled column is a problem on the node, not a failed run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer, number, string, boolean, datetime, category


@dataclass(frozen=True)
class TableSchema:
    """The columns a table will have. When `complete` is false, more columns may arrive."""

    columns: tuple[Column, ...]
    complete: bool = True

    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def has(self, name: str) -> bool:
        return any(column.name == name for column in self.columns)

    def without(self, names: Iterable[str]) -> TableSchema:
        dropped = set(names)
        return replace(self, columns=tuple(c for c in self.columns if c.name not in dropped))

    def plus(self, *columns: Column) -> TableSchema:
        kept = tuple(c for c in self.columns if c.name not in {new.name for new in columns})
        return replace(self, columns=kept + columns)

    def to_json(self) -> dict[str, Any]:
        return {"columns": [{"name": c.name, "type": c.type} for c in self.columns], "complete": self.complete}

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> TableSchema:
        return cls(tuple(Column(str(name), column_type(dtype)) for name, dtype in frame.dtypes.items()))


Schemas = Mapping[str, TableSchema | None]
SchemaInference = Callable[[Schemas, Mapping[str, Any]], dict[str, TableSchema | None]]


def column_type(dtype: Any) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    return "string"


def passes_through(source: str, *outputs: str) -> SchemaInference:
    """Every named output has the columns of input `source`."""

    def infer(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
        return dict.fromkeys(outputs, inputs.get(source))

    return infer
