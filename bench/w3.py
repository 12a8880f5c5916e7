"""W3 as data: its eight steps, their wiring and what each calls in `bench.ml`.

The raw Celery floor, Dagster and Prefect build their W3 from `STEPS`, so every system does the
work the Trellis graph (`workloads.ml_graph`) and the plain script (`ml.pipeline`) do. Needs
only pandas and scikit-learn: the peers' venv imports it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import ml

FEATURES = 20
MISSING = 0.05


@dataclass(frozen=True)
class Parameters:
    rows: int
    seed: int


@dataclass(frozen=True)
class Step:
    name: str
    inputs: dict[str, tuple[str, str]]  # argument -> (upstream step, its output)
    outputs: tuple[str, ...]
    run: Callable[..., dict[str, Any]]  # run(parameters, **inputs) -> {output: value}


def _generate(parameters: Parameters) -> dict[str, Any]:
    return {"dataset": ml.generate(parameters.rows, FEATURES, MISSING, parameters.seed)}


def _clean(parameters: Parameters, dataset: Any) -> dict[str, Any]:
    return {"dataset": ml.clean(dataset)}


def _evaluate(parameters: Parameters, dataset: Any) -> dict[str, Any]:
    return {"dataset": ml.evaluate(dataset)}


def _split(parameters: Parameters, dataset: Any) -> dict[str, Any]:
    train, test = ml.split(dataset, parameters.seed)
    return {"train": train, "test": test}


def _fit_scaler(parameters: Parameters, dataset: Any) -> dict[str, Any]:
    scaler, scaled = ml.fit_scaler(dataset)
    return {"scaler": scaler, "dataset": scaled}


STEPS: tuple[Step, ...] = (  # a topological order
    Step("generate", {}, ("dataset",), _generate),
    Step("clean", {"dataset": ("generate", "dataset")}, ("dataset",), _clean),
    Step("split", {"dataset": ("clean", "dataset")}, ("train", "test"), _split),
    Step("fit_scaler", {"dataset": ("split", "train")}, ("scaler", "dataset"), _fit_scaler),
    Step(
        "apply_scaler",
        {"dataset": ("split", "test"), "scaler": ("fit_scaler", "scaler")},
        ("dataset",),
        lambda _, dataset, scaler: {"dataset": ml.apply_scaler(scaler, dataset)},
    ),
    Step("train", {"dataset": ("fit_scaler", "dataset")}, ("model",), lambda _, dataset: {"model": ml.train(dataset)}),
    Step(
        "score",
        {"dataset": ("apply_scaler", "dataset"), "model": ("train", "model")},
        ("dataset",),
        lambda _, dataset, model: {"dataset": ml.score(model, dataset)},
    ),
    Step("evaluate", {"dataset": ("score", "dataset")}, ("dataset",), _evaluate),
)
STEP_NAMED = {step.name: step for step in STEPS}


def run_in_memory(parameters: Parameters) -> Any:
    """All steps in order, values in a dict: the wiring checked against `ml.pipeline`."""
    values: dict[tuple[str, str], Any] = {}
    for step in STEPS:
        arguments = {name: values[source] for name, source in step.inputs.items()}
        for output, value in step.run(parameters, **arguments).items():
            values[(step.name, output)] = value
    return values[("evaluate", "dataset")]
