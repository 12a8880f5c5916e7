"""Small real modules that tests register through TRELLIS_MODULE_PACKAGES.

They exercise what the built-ins cannot: a step that fails, one that takes a while,
a pass-through, and a port type other than table.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import pandas as pd

from modules.archives import make_archive
from modules.ports import PortType
from modules.registry import ModuleRegistry
from modules.spec import ModuleError, Parameter, Port, module

CATEGORY = "Test Modules"


def _write_text(value: Any, path: Path) -> None:
    path.write_text(str(value))


def _read_text(path: Path) -> str:
    return path.read_text()


def _preview_text(path: Path) -> dict[str, Any]:
    return {"kind": "text", "text": path.read_text()[:10_000]}


TEXT = PortType(name="text", label="Text", suffix=".txt", write=_write_text, read=_read_text, preview=_preview_text)


@module(
    name="fail",
    version="1",
    display_name="Fail",
    category=CATEGORY,
    description="Raises an error with the given message.",
    inputs=[Port("dataset", "table", optional=True)],
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("message", "string", default="this step fails on purpose")],
)
def fail(message: str, dataset: pd.DataFrame | None = None) -> dict[str, Any]:
    print("about to fail")
    raise ModuleError(message)


@module(
    name="sleep",
    version="1",
    display_name="Sleep",
    category=CATEGORY,
    description="Waits, then passes its input through.",
    inputs=[Port("dataset", "table")],
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("seconds", "float", default=1.0, minimum=0.0, maximum=600.0)],
)
def sleep(dataset: pd.DataFrame, seconds: float) -> dict[str, Any]:
    time.sleep(seconds)
    return {"dataset": dataset}


@module(
    name="pass_through",
    version="1",
    display_name="Pass Through",
    category=CATEGORY,
    description="Returns its input unchanged and prints the process id it ran in.",
    inputs=[Port("dataset", "table")],
    outputs=[Port("dataset", "table")],
)
def pass_through(dataset: pd.DataFrame) -> dict[str, Any]:
    print(f"pid {os.getpid()} rows {len(dataset)}")
    return {"dataset": dataset}


@module(
    name="describe",
    version="1",
    display_name="Describe as Text",
    category=CATEGORY,
    description="A one-line text summary of a table: a port that is not a table.",
    inputs=[Port("dataset", "table")],
    outputs=[Port("summary", "text")],
)
def describe(dataset: pd.DataFrame) -> dict[str, Any]:
    return {"summary": f"{len(dataset)} rows, {len(dataset.columns)} columns"}


@module(
    name="read_text",
    version="1",
    display_name="Read Text",
    category=CATEGORY,
    description="Takes text and gives its length as a one-cell table.",
    inputs=[Port("text", "text")],
    outputs=[Port("dataset", "table")],
)
def read_text(text: str) -> dict[str, Any]:
    return {"dataset": pd.DataFrame({"length": [len(text)]})}


@module(
    name="random_rows",
    version="1",
    display_name="Random Rows",
    category=CATEGORY,
    description="A table of random numbers: a module that declares itself not deterministic.",
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("rows", "int", default=5, minimum=1)],
    deterministic=False,
)
def random_rows(rows: int) -> dict[str, Any]:
    return {"dataset": pd.DataFrame({"value": [random.random() for _ in range(rows)]})}


@module(
    name="record_execution",
    version="1",
    display_name="Record Execution",
    category=CATEGORY,
    description="Appends its label to a file each time it runs, then passes its input through.",
    inputs=[Port("dataset", "table")],
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("label", "string"), Parameter("journal", "string", description="the file to append to")],
)
def record_execution(dataset: pd.DataFrame, label: str, journal: str) -> dict[str, Any]:
    with open(journal, "a") as file:
        file.write(f"{label}\n")
    return {"dataset": dataset.assign(**{label: len(dataset)})}


@module(
    name="block_until",
    version="1",
    display_name="Block Until",
    category=CATEGORY,
    description="Appends its label to a journal, then waits until a release file exists.",
    inputs=[Port("dataset", "table")],
    outputs=[Port("dataset", "table")],
    parameters=[
        Parameter("label", "string"),
        Parameter("journal", "string"),
        Parameter("release", "string", description="the file whose existence lets it finish"),
    ],
)
def block_until(dataset: pd.DataFrame, label: str, journal: str, release: str) -> dict[str, Any]:
    with open(journal, "a") as file:
        file.write(f"{label}\n")
    while not os.path.exists(release):
        time.sleep(0.05)
    return {"dataset": dataset.assign(**{label: 1})}


@module(
    name="hold_memory",
    version="1",
    display_name="Hold Memory",
    category=CATEGORY,
    description="Fills and holds the given number of megabytes for a while.",
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("megabytes", "int", default=100, minimum=1), Parameter("seconds", "float", default=10.0)],
)
def hold_memory(megabytes: int, seconds: float) -> dict[str, Any]:
    held = bytearray(megabytes << 20)
    for index in range(0, len(held), 4096):  # touch every page, so it is resident
        held[index] = 1
    time.sleep(seconds)
    return {"dataset": pd.DataFrame({"megabytes": [len(held) >> 20]})}


@module(
    name="burn_cpu",
    version="1",
    display_name="Burn CPU",
    category=CATEGORY,
    description="Computes for the given number of seconds of CPU time.",
    outputs=[Port("dataset", "table")],
    parameters=[Parameter("seconds", "float", default=5.0)],
)
def burn_cpu(seconds: float) -> dict[str, Any]:
    start, total = time.process_time(), 0
    while time.process_time() - start < seconds:
        total += 1
    return {"dataset": pd.DataFrame({"loops": [total]})}


@module(
    name="make_bundle",
    version="1",
    display_name="Make Script Bundle",
    category=CATEGORY,
    description="A zip with a helpers package whose OFFSET is the given number (or a hostile member).",
    outputs=[Port("bundle", "zip")],
    parameters=[Parameter("offset", "int", default=1), Parameter("hostile", "bool", default=False)],
)
def make_bundle(offset: int, hostile: bool) -> dict[str, Any]:
    files = {"helpers/__init__.py": f"OFFSET = {offset}\n"}
    if hostile:
        files["../escape.py"] = "print('out of the folder')\n"
    return {"bundle": make_archive(files)}


def register(registry: ModuleRegistry) -> None:
    registry.register_port_type(TEXT)
    for spec in (
        fail,
        sleep,
        pass_through,
        describe,
        read_text,
        random_rows,
        record_execution,
        block_until,
        hold_memory,
        burn_cpu,
        make_bundle,
    ):
        registry.register(spec)
