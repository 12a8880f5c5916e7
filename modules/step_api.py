"""What a running step tells the designer besides its outputs: metrics, tables, images, progress.

The same four functions serve every step: built-in modules import them from here; scripts and
workspace modules find them in their namespace without an import, or `from trellis import
log_metric` (`step_api_namespace` makes that name importable in the step's process); and
`Run.get_context().log` maps to `log_metric`.

    log_metric(name, value, step=None)      a finite number; `step` orders a series (epochs, folds)
    log_table(name, dataframe)              a small table, shown as a grid
    log_image(name, png)                    PNG bytes, or a matplotlib figure (anything with savefig)
    report_progress(done, total)            shown live on the node as a bar

The runner opens a channel to a folder of the step's scratch space before the module runs
(`step_channel`); each call appends a JSON line to EVENTS_FILE there (tables and images go to
files of their own beside it), which the worker reads while the step runs. Outside a step the
calls check their arguments and keep nothing. Pure: no Django; it runs inside step processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import numbers
import re
import sys
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from modules.spec import ModuleError

EVENTS_FILE = "step-events.jsonl"
NAME_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_ .:/()\-]{0,99}")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_METRICS = 10_000  # per step: a metric logged every batch of a long loop must not flood the database
MAX_ATTACHMENTS = 50  # tables and images per step
MAX_TABLE_ROWS = 1_000
MAX_IMAGE_BYTES = 5 << 20
PROGRESS_SECONDS = 0.25  # progress reported more often than this is written only when it is the last


@dataclass
class _Channel:
    folder: Path
    events: IO[str]
    metrics: int = 0
    attachments: int = 0
    warned: set[str] = field(default_factory=set)
    progress_at: float = 0.0
    pending_progress: dict[str, Any] | None = None

    def write(self, event: dict[str, Any]) -> None:
        self.events.write(json.dumps(event) + "\n")
        self.events.flush()

    def over_limit(self, what: str, count: int, limit: int) -> bool:
        if count < limit:
            return False
        if what not in self.warned:  # said once, on stderr, so the step's log tells why some are missing
            self.warned.add(what)
            print(f"[trellis] {what}: only the first {limit} of this step are kept", file=sys.stderr)
        return True


_channel: _Channel | None = None


@contextlib.contextmanager
def step_channel(folder: Path) -> Iterator[None]:
    """Keep what the step logs in `folder` (the runner's side: the step's scratch folder) until the block ends."""
    global _channel
    with (folder / EVENTS_FILE).open("a", encoding="utf-8") as events:
        previous, _channel = _channel, _Channel(folder=folder, events=events)
        try:
            yield
        finally:
            if _channel.pending_progress is not None:
                _channel.write(_channel.pending_progress)
            _channel = previous


def _name(name: object, what: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ModuleError(
            f"{what} name {name!r} is not valid: use 1 to 100 letters, digits, spaces or _ . : / ( ) -, "
            "starting with a letter, digit or _"
        )
    return name


def _finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ModuleError(f"{what} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ModuleError(f"{what} must be a finite number, got {number}")
    return number


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 0:
        raise ModuleError(f"{what} must be a whole number of 0 or more, got {value!r}")
    return int(value)


def log_metric(name: str, value: float, step: int | None = None) -> None:
    """Record metric `name` = `value` (a finite number); `step` (0 or more) makes it a series."""
    name = _name(name, "metric")
    number = _finite(value, f"metric {name!r}")
    index = None if step is None else _whole(step, f"the step of metric {name!r}")
    channel = _channel
    if channel is None or channel.over_limit("metrics", channel.metrics, MAX_METRICS):
        return
    channel.metrics += 1
    channel.write({"kind": "metric", "name": name, "value": number, "step": index, "at": time.time()})


def log_table(name: str, table: pd.DataFrame) -> None:
    """Record a small table (its first MAX_TABLE_ROWS rows), shown as a grid on the node."""
    name = _name(name, "table")
    if not isinstance(table, pd.DataFrame):
        raise ModuleError(f"table {name!r} must be a pandas DataFrame, got {type(table).__name__}")
    channel = _channel
    if channel is None or channel.over_limit("tables and images", channel.attachments, MAX_ATTACHMENTS):
        return
    channel.attachments += 1
    file = f"logged-{channel.attachments}.parquet"
    shown = table.head(MAX_TABLE_ROWS)
    shown.columns = [str(column) for column in shown.columns]
    shown.reset_index(drop=True).to_parquet(channel.folder / file, index=False)
    channel.write({"kind": "table", "name": name, "file": file, "rows": len(table), "at": time.time()})


def _png_bytes(name: str, image: object) -> bytes:
    if isinstance(image, bytes | bytearray):
        data = bytes(image)
    elif callable(getattr(image, "savefig", None)):  # a matplotlib figure, without importing matplotlib
        buffer = io.BytesIO()
        image.savefig(buffer, format="png")  # type: ignore[attr-defined]
        data = buffer.getvalue()
    else:
        raise ModuleError(f"image {name!r} must be PNG bytes or a matplotlib figure, got {type(image).__name__}")
    if not data.startswith(PNG_SIGNATURE):
        raise ModuleError(f"image {name!r} is not a PNG image")
    if len(data) > MAX_IMAGE_BYTES:
        raise ModuleError(f"image {name!r} is {len(data) >> 20} MB; images of at most {MAX_IMAGE_BYTES >> 20} MB")
    return data


def log_image(name: str, image: bytes | Any) -> None:
    """Record a PNG image (bytes, or a matplotlib figure), shown on the node."""
    name = _name(name, "image")
    data = _png_bytes(name, image)
    channel = _channel
    if channel is None or channel.over_limit("tables and images", channel.attachments, MAX_ATTACHMENTS):
        return
    channel.attachments += 1
    file = f"logged-{channel.attachments}.png"
    (channel.folder / file).write_bytes(data)
    channel.write({"kind": "image", "name": name, "file": file, "at": time.time()})


def report_progress(done: int, total: int) -> None:
    """Say that `done` of `total` units of work are done (0 ≤ done ≤ total, total ≥ 1)."""
    done, total = _whole(done, "progress done"), _whole(total, "progress total")
    if total < 1 or done > total:
        raise ModuleError(f"progress {done} of {total}: need 0 ≤ done ≤ total and total ≥ 1")
    channel = _channel
    if channel is None:
        return
    now = time.monotonic()
    event = {"kind": "progress", "done": done, "total": total}
    if done < total and now - channel.progress_at < PROGRESS_SECONDS:
        channel.pending_progress = event  # written by a later call, or when the step ends
        return
    channel.progress_at, channel.pending_progress = now, None
    channel.write(event)


STEP_API: dict[str, Any] = {
    "log_metric": log_metric,
    "log_table": log_table,
    "log_image": log_image,
    "report_progress": report_progress,
}
IMPORT_NAME = "trellis"


def step_api_namespace() -> dict[str, Any]:
    """The step API for user code: its names for a script's namespace, after making `import trellis` work."""
    if IMPORT_NAME not in sys.modules:
        api = types.ModuleType(IMPORT_NAME, "The Trellis step API: log_metric, log_table, log_image, report_progress.")
        api.__dict__.update(STEP_API)
        sys.modules[IMPORT_NAME] = api
    return dict(STEP_API)
