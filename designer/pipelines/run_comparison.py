"""Two runs side by side: what changed between the versions they ran, each node's status in
both, and their metrics with the better value marked.

Metrics come from `METRIC_SOURCES`, each a function from a run to its `MetricValue`s: the
Evaluate Model outputs, and what steps logged with log_metric (`GET /api/runs/<id>/metrics/`).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings

from designer.pipelines.catalog import module_registry
from designer.pipelines.diff import graph_diff
from designer.pipelines.graph import read_graph
from designer.pipelines.metric_comparison import MetricValue, evaluation_values, logged_values, metric_rows
from runner.artifacts import ArtifactMissing, ArtifactStore
from runner.models import Run
from runner.state import run_fields
from runner.state import run_metrics as run_metrics_by_step

EVALUATION_PORT_TYPE = "evaluation"


def evaluation_metrics(run: Run) -> list[MetricValue]:
    """The metrics every Evaluate Model step of `run` wrote (cached steps included)."""
    store = ArtifactStore(settings.ARTIFACT_DIR)
    port_type = module_registry().port_type(EVALUATION_PORT_TYPE)
    values: list[MetricValue] = []
    for step in run.steps.order_by("id"):
        for output in (step.outputs or {}).values():
            if output.get("type") != EVALUATION_PORT_TYPE:
                continue
            try:
                document = store.read(output["digest"], port_type)
            except (ArtifactMissing, KeyError):
                continue  # an artifact gone from the store has no metrics to show
            values += evaluation_values(step.node_id, document)
    return values


def logged_metrics(run: Run) -> list[MetricValue]:
    """The last value of each metric every step of `run` logged (a cached step: its producer's)."""
    values: list[MetricValue] = []
    for step in run_metrics_by_step(run):
        values += logged_values(step["node"], ((metric["name"], metric["value"]) for metric in step["metrics"]))
    return values


METRIC_SOURCES: list[Callable[[Run], list[MetricValue]]] = [evaluation_metrics, logged_metrics]


def run_metrics(run: Run) -> list[MetricValue]:
    return [value for source in METRIC_SOURCES for value in source(run)]


def run_list_json(run: Run) -> dict[str, Any]:
    """A run as the runs panel lists it: no steps, but who started it and how long it took."""
    duration = (run.finished_at - run.started_at).total_seconds() if run.started_at and run.finished_at else None
    return {
        **run_fields(run),
        "created_by": run.created_by.get_username() if run.created_by else None,
        "duration_seconds": duration,
    }


def runs_compare(a: Run, b: Run) -> dict[str, Any]:
    """Run `a` against run `b`: the diff goes from a's version to b's, metrics are (a, b) pairs."""
    a_graph, b_graph = read_graph(a.version.graph), read_graph(b.version.graph)
    statuses = {side: dict(run.steps.values_list("node_id", "status")) for side, run in (("a", a), ("b", b))}
    nodes = [*statuses["a"], *(node for node in statuses["b"] if node not in statuses["a"])]
    return {
        "a": {**run_list_json(a), "graph": a_graph.to_json()},
        "b": {**run_list_json(b), "graph": b_graph.to_json()},
        "diff": graph_diff(a_graph, b_graph, module_registry()).to_json(),
        "steps": [{"node": node, "a": statuses["a"].get(node), "b": statuses["b"].get(node)} for node in nodes],
        "metrics": [row.to_json() for row in metric_rows(run_metrics(a), run_metrics(b))],
        "parameters": parameter_rows(a.parameters or {}, b.parameters or {}),
    }


def parameter_rows(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Each pipeline parameter either run used: its value in both (None where a run had no such parameter)."""
    names = sorted(a.keys() | b.keys())  # the database may not keep the order they were declared in
    return [{"name": name, "a": a.get(name), "b": b.get(name), "changed": a.get(name) != b.get(name)} for name in names]
