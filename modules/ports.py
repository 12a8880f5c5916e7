"""Port types: what flows along an edge, how it is stored, and what may connect to what."""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as parquet
import skops.io

PREVIEW_ROWS = 50
HISTOGRAM_BINS = 10


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


NUMBER_KINDS = frozenset("iufcmM")  # integers, floats, complex, times: numpy's dtype kinds


def _write_table(value: Any, path: Path) -> None:
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"a table port needs a pandas DataFrame, got {type(value).__name__}")
    # Dictionary encoding only where values repeat (text, categories, booleans): tried on number
    # columns it mostly gives up after building a dictionary, and makes writing a table of
    # measurements 4-5x slower for a file no smaller.
    repeating = [str(name) for name, dtype in value.dtypes.items() if dtype.kind not in NUMBER_KINDS]
    value.to_parquet(path, index=False, use_dictionary=repeating)


def _read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)


def _number(value: Any) -> float | None:
    number = float(value)
    return round(number, 6) if math.isfinite(number) else None


def column_statistics(values: pd.Series) -> dict[str, Any]:
    """What a glance at a column should tell: missing and distinct values, and for numbers their spread."""
    present = values.dropna()
    statistics: dict[str, Any] = {
        "name": str(values.name),
        "type": str(values.dtype),
        "missing": int(values.isna().sum()),
        "unique": int(present.nunique()),
    }
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and len(present):
        numbers = present.astype(float)
        counts, _ = np.histogram(numbers, bins=HISTOGRAM_BINS)
        statistics |= {
            "mean": _number(numbers.mean()),
            "std": _number(numbers.std()) if len(numbers) > 1 else None,
            "min": _number(numbers.min()),
            "max": _number(numbers.max()),
            "histogram": counts.tolist(),
        }
    return statistics


def _preview_table(path: Path) -> dict[str, Any]:
    """The first PREVIEW_ROWS rows, column names and types, the row count and per-column statistics."""
    file = parquet.ParquetFile(path)
    batches = file.iter_batches(batch_size=PREVIEW_ROWS)
    first = next(batches, None)
    head = first.to_pandas() if first is not None else file.schema_arrow.empty_table().to_pandas()
    rows = json.loads(head.to_json(orient="values", date_format="iso"))
    table = pd.read_parquet(path)
    return {
        "kind": "table",
        "row_count": file.metadata.num_rows,
        "columns": [{"name": str(name), "type": str(dtype)} for name, dtype in head.dtypes.items()],
        "rows": rows,
        "statistics": [column_statistics(table[name]) for name in table.columns],
    }


# Models and transformations are stored with skops, never raw pickle: loading one can only
# build objects of the packages named here, so an artifact cannot run arbitrary code.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.", "modules.")


class UntrustedArtifact(ValueError):
    pass


def _write_skops(value: Any, path: Path) -> None:
    skops.io.dump(value, path)


def _read_skops(path: Path) -> Any:
    untrusted = skops.io.get_untrusted_types(file=path)
    refused = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
    if refused:
        raise UntrustedArtifact(f"{path.name} holds types Trellis does not load: {', '.join(refused)}")
    return skops.io.load(path, trusted=untrusted)


def _preview_object(path: Path) -> dict[str, Any]:
    """What a person wants to see of a model or transformation: its kind and its settings."""
    value = _read_skops(path)
    describe = getattr(value, "describe", None)
    if callable(describe):
        return {"kind": "object", **describe()}
    # A trained model is a pipeline (encoding, then the estimator): show the estimator.
    estimator = value.steps[-1][1] if hasattr(value, "steps") else value
    properties = {
        "task": getattr(value, "trellis_task_", None),
        "label column": getattr(value, "trellis_label_", None),
        **_settings_of(estimator),
    }
    title = type(estimator).__name__ + (" (trained)" if hasattr(value, "steps") else "")
    return {"kind": "object", "title": title, "properties": {k: v for k, v in properties.items() if v is not None}}


def _settings_of(value: Any) -> dict[str, Any]:
    get_params = getattr(value, "get_params", None)
    if not callable(get_params):
        return {}
    return {
        name: setting if isinstance(setting, int | float | str | bool | None) else repr(setting)
        for name, setting in get_params(deep=False).items()
    }


def _write_json(value: Any, path: Path) -> None:
    path.write_text(json.dumps(value, allow_nan=False, sort_keys=True))


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text())


def _preview_json(path: Path) -> dict[str, Any]:
    value = _read_json(path)
    return {"kind": "metrics", **value} if isinstance(value, dict) else {"kind": "json", "value": value}


TABLE = PortType(
    name="table",
    label="Table",
    suffix=".parquet",
    write=_write_table,
    read=_read_table,
    preview=_preview_table,
)


def _stored_object(name: str, label: str) -> PortType:
    """A port type whose values are scikit-learn or Trellis objects, stored with skops."""
    return PortType(
        name=name, label=label, suffix=".skops", write=_write_skops, read=_read_skops, preview=_preview_object
    )


UNTRAINED_MODEL = _stored_object("untrained_model", "Untrained model")
MODEL = _stored_object("model", "Trained model")
TRANSFORMATION = _stored_object("transformation", "Transformation")

EVALUATION = PortType(
    name="evaluation",
    label="Evaluation results",
    suffix=".json",
    write=_write_json,
    read=_read_json,
    preview=_preview_json,
)


def _write_zip(value: Any, path: Path) -> None:
    if not isinstance(value, bytes | bytearray):
        raise TypeError(f"a zip port needs the archive's bytes, got {type(value).__name__}")
    path.write_bytes(bytes(value))


def _read_zip(path: Path) -> bytes:
    return path.read_bytes()


def _preview_zip(path: Path) -> dict[str, Any]:
    """The archive's members and their sizes, as text (nothing is extracted)."""
    with zipfile.ZipFile(path) as archive:
        members = [f"{info.file_size:>10}  {info.filename}" for info in archive.infolist()]
    return {"kind": "text", "text": "\n".join([f"{len(members)} file(s)", *members])}


# A zip archive of helper code (Execute Python Script's script bundle), kept as its bytes.
ZIP = PortType(name="zip", label="Zip archive", suffix=".zip", write=_write_zip, read=_read_zip, preview=_preview_zip)

BUILTIN_PORT_TYPES: tuple[PortType, ...] = (TABLE, UNTRAINED_MODEL, MODEL, TRANSFORMATION, EVALUATION, ZIP)


def _write_png(value: Any, path: Path) -> None:
    if not isinstance(value, bytes | bytearray):
        raise TypeError(f"an image is stored as PNG bytes, got {type(value).__name__}")
    path.write_bytes(bytes(value))


def _preview_image(path: Path) -> dict[str, Any]:
    return {"kind": "image", "size": path.stat().st_size}


# A PNG a step logged (modules.step_api.log_image); not a port type modules declare.
PNG_IMAGE = PortType(
    name="image", label="Image", suffix=".png", write=_write_png, read=_read_zip, preview=_preview_image
)
