"""The benchmark's module package, loaded with TRELLIS_MODULE_PACKAGES=bench.bench_modules.

Two families:
- no-op steps (W0-W2) that pass a few bytes of `token` so the runner's own cost dominates;
- the W3 machine-learning steps, thin wrappers over `bench.ml`, which the plain
  script calls too, so both do exactly the same work.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import pandas as pd

from bench import ml
from modules.ports import PortType
from modules.registry import ModuleRegistry
from modules.spec import ModuleSpec, Parameter, Port, module

CATEGORY = "Benchmark"
GATHER_INPUTS = 200  # the widest fan-in a workload uses


def _write_text(value: Any, path: Path) -> None:
    path.write_text(str(value))


def _read_text(path: Path) -> str:
    return path.read_text()


def _preview_text(path: Path) -> dict[str, Any]:
    return {"kind": "text", "text": path.read_text()[:1000]}


def _write_pickle(value: Any, path: Path) -> None:
    with path.open("wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)


def _read_pickle(path: Path) -> Any:
    with path.open("rb") as file:
        return pickle.load(file)


def _preview_pickle(path: Path) -> dict[str, Any]:
    return {"kind": "text", "text": f"pickled object, {path.stat().st_size} bytes"}


# A few bytes per edge: no-op steps measure the runner, not Parquet.
TOKEN = PortType(name="token", label="Token", suffix=".txt", write=_write_text, read=_read_text, preview=_preview_text)
MODEL = PortType(
    name="model", label="Model", suffix=".pkl", write=_write_pickle, read=_read_pickle, preview=_preview_pickle
)


@module(
    name="bench_source",
    version="1",
    display_name="Benchmark Source",
    category=CATEGORY,
    outputs=[Port("token", "token")],
    parameters=[Parameter("label", "string", default="source")],
)
def bench_source(label: str) -> dict[str, Any]:
    return {"token": label}


@module(
    name="bench_noop",
    version="1",
    display_name="Benchmark No-op",
    category=CATEGORY,
    inputs=[Port("token", "token")],
    outputs=[Port("token", "token")],
    parameters=[Parameter("label", "string", default="noop")],
)
def bench_noop(token: str, label: str) -> dict[str, Any]:
    return {"token": _digest(label, token)}


def _digest(label: str, *tokens: str) -> str:
    """Depends on every input, so a new source value is a cache miss all the way down."""
    return f"{label}:{hashlib.sha256(''.join(tokens).encode()).hexdigest()[:16]}"


def _gather(label: str, **tokens: str) -> dict[str, Any]:
    return {"token": _digest(label, *(tokens[name] for name in sorted(tokens)))}


def gather_spec() -> ModuleSpec:
    """A fan-in with GATHER_INPUTS optional token inputs (a graph input takes one edge)."""
    return module(
        name="bench_gather",
        version="1",
        display_name="Benchmark Gather",
        category=CATEGORY,
        inputs=[Port(f"in{index}", "token", optional=True) for index in range(GATHER_INPUTS)],
        outputs=[Port("token", "token")],
        parameters=[Parameter("label", "string", default="gather")],
    )(_gather)


TABLE_IN = [Port("dataset", "table")]
TABLE_OUT = [Port("dataset", "table")]


@module(
    name="bench_generate",
    version="1",
    display_name="Generate Classification Table",
    category=CATEGORY,
    outputs=TABLE_OUT,
    parameters=[
        Parameter("rows", "int", default=50_000, minimum=100),
        Parameter("features", "int", default=20, minimum=2),
        Parameter("missing", "float", default=0.05, minimum=0.0, maximum=0.5),
        Parameter("seed", "int", default=0),
    ],
)
def bench_generate(rows: int, features: int, missing: float, seed: int) -> dict[str, Any]:
    return {"dataset": ml.generate(rows, features, missing, seed)}


@module(
    name="bench_clean",
    version="1",
    display_name="Clean Missing Data",
    category=CATEGORY,
    inputs=TABLE_IN,
    outputs=TABLE_OUT,
)
def bench_clean(dataset: pd.DataFrame) -> dict[str, Any]:
    return {"dataset": ml.clean(dataset)}


@module(
    name="bench_split",
    version="1",
    display_name="Split Train/Test",
    category=CATEGORY,
    inputs=TABLE_IN,
    outputs=[Port("train", "table"), Port("test", "table")],
    parameters=[Parameter("seed", "int", default=0)],
)
def bench_split(dataset: pd.DataFrame, seed: int) -> dict[str, Any]:
    train, test = ml.split(dataset, seed)
    return {"train": train, "test": test}


@module(
    name="bench_fit_scaler",
    version="1",
    display_name="Normalize (fit)",
    category=CATEGORY,
    inputs=TABLE_IN,
    outputs=[Port("dataset", "table"), Port("scaler", "model")],
)
def bench_fit_scaler(dataset: pd.DataFrame) -> dict[str, Any]:
    scaler, scaled = ml.fit_scaler(dataset)
    return {"dataset": scaled, "scaler": scaler}


@module(
    name="bench_apply_scaler",
    version="1",
    display_name="Normalize (apply)",
    category=CATEGORY,
    inputs=[Port("dataset", "table"), Port("scaler", "model")],
    outputs=TABLE_OUT,
)
def bench_apply_scaler(dataset: pd.DataFrame, scaler: Any) -> dict[str, Any]:
    return {"dataset": ml.apply_scaler(scaler, dataset)}


@module(
    name="bench_train",
    version="1",
    display_name="Train Logistic Regression",
    category=CATEGORY,
    inputs=TABLE_IN,
    outputs=[Port("model", "model")],
)
def bench_train(dataset: pd.DataFrame) -> dict[str, Any]:
    return {"model": ml.train(dataset)}


@module(
    name="bench_score",
    version="1",
    display_name="Score",
    category=CATEGORY,
    inputs=[Port("dataset", "table"), Port("model", "model")],
    outputs=TABLE_OUT,
)
def bench_score(dataset: pd.DataFrame, model: Any) -> dict[str, Any]:
    return {"dataset": ml.score(model, dataset)}


@module(
    name="bench_evaluate",
    version="1",
    display_name="Evaluate",
    category=CATEGORY,
    inputs=TABLE_IN,
    outputs=TABLE_OUT,
)
def bench_evaluate(dataset: pd.DataFrame) -> dict[str, Any]:
    return {"dataset": ml.evaluate(dataset)}


def register(registry: ModuleRegistry) -> None:
    for port_type in (TOKEN, MODEL):
        registry.register_port_type(port_type)
    noops = [bench_source, bench_noop, gather_spec()]
    ml_steps = [bench_generate, bench_clean, bench_split, bench_fit_scaler, bench_apply_scaler]
    ml_steps += [bench_train, bench_score, bench_evaluate]
    for spec in noops + ml_steps:
        registry.register(spec)
