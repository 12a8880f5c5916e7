"""Port types: what flows along an edge, how it is stored, and what may connect to what."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as parquet

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class PortType:
    """A kind of value a port carries, with its on-disk codec.

    `accepts` lists the source types an input of this type may be connected to,
    besides its own; the canvas and `validate()` use the same table.
    """

    name: str
    label: str
    suffix: str
    write: Callable[[Any, Path], None]
    read: Callable[[Path], Any]
    preview: Callable[[Path], dict[str, Any]]
    accepts: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "accepts": sorted(self.accepts | {self.name})}


def _write_table(value: Any, path: Path) -> None:
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"a table port needs a pandas DataFrame, got {type(value).__name__}")
    value.to_parquet(path, index=False)


def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)


def _preview_table(path: Path) -> dict[str, Any]:
    """The first PREVIEW_ROWS rows, column names and types, and the row count, read lazily."""
    file = parquet.ParquetFile(path)
    batches = file.iter_batches(batch_size=PREVIEW_ROWS)
    first = next(batches, None)
    head = first.to_pandas() if first is not None else file.schema_arrow.empty_table().to_pandas()
    rows = json.loads(head.to_json(orient="values", date_format="iso"))
    return {
        "kind": "table",
        "row_count": file.metadata.num_rows,
        "columns": [{"name": str(name), "type": str(dtype)} for name, dtype in head.dtypes.items()],
        "rows": rows,
    }


TABLE = PortType(
    name="table",
    label="Table",
    suffix=".parquet",
    write=_write_table,
    read=_read_table,
    preview=_preview_table,
)

BUILTIN_PORT_TYPES: tuple[PortType, ...] = (TABLE,)
