"""Design-time table schemas: which columns an output will have, known before anything runs.

A module may declare how its output columns follow from its input columns and parameters.
The designer propagates schemas along edges while editing, so column pickers list the columns
that will really arrive and a misspelled column is a problem on the node, not a failed run.

Where no module can say (Apply SQL Transformation, Execute Python Script), the columns become
known once a step has run: a step records the columns of each table it writes, at writing time,
and the designer passes them to propagation as *observed* schemas (an `Observation` says from
which run, and whether the node's cache key still matches, i.e. the output would be the same).
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
class Observation:
    """A schema seen on a step's output rather than stated by its module."""

    run: int  # the number of the run (in its pipeline) whose step wrote the table
    current: bool  # the node's cache key still matches: running it now would give that very table

    def to_json(self) -> dict[str, Any]:
        return {"run": self.run, "current": self.current}


@dataclass(frozen=True)
class TableSchema:
    """The columns a table will have. When `complete` is false, more columns may arrive.

    `observed` is set when the columns come from a run (and stays set on the schemas derived
    from them downstream), so the designer can say "columns as observed in run 12".
    """

    columns: tuple[Column, ...]
    complete: bool = True
    observed: Observation | None = None

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
        body: dict[str, Any] = {
            "columns": [{"name": c.name, "type": c.type} for c in self.columns],
            "complete": self.complete,
        }
        if self.observed is not None:
            body["observed"] = self.observed.to_json()
        return body

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> TableSchema:
        return cls(tuple(Column(str(name), column_type(dtype)) for name, dtype in frame.dtypes.items()))

    @classmethod
    def observed_in(cls, columns: Iterable[Mapping[str, Any]], observation: Observation) -> TableSchema:
        """The schema a step recorded (`observed_columns`), as seen in a run.

        Only a current observation is complete: after an edit the columns may differ, so they are
        offered to column pickers but a column missing from them is no problem.
        """
        found = tuple(Column(str(column["name"]), str(column["type"])) for column in columns)
        return cls(found, complete=observation.current, observed=observation)


Schemas = Mapping[str, TableSchema | None]
SchemaInference = Callable[[Schemas, Mapping[str, Any]], dict[str, TableSchema | None]]


# node id -> output port -> the schema seen on that output in a run (TableSchema.observed set)
ObservedSchemas = Mapping[str, Mapping[str, TableSchema]]
# Wider tables are not recorded: their columns would swell every step and cache record that names them.
MAX_OBSERVED_COLUMNS = 1000


def observed_columns(value: Any) -> list[dict[str, str]] | None:
    """The columns of an output value as a step records them when writing it; None when not a
    table, or a table wider than MAX_OBSERVED_COLUMNS (its schema stays unknown)."""
    if not isinstance(value, pd.DataFrame) or len(value.columns) > MAX_OBSERVED_COLUMNS:
        return None
    return [{"name": column.name, "type": column.type} for column in TableSchema.of_frame(value).columns]


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
