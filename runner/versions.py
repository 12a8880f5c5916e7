"""What the runner needs of a pipeline version, read once per process: versions never change.

Callers load runs and steps without the version's graph (it can be large) and ask here instead.
"""

from functools import lru_cache
from typing import Any

from designer.pipelines.bindings import resolve_bindings
from designer.pipelines.graph import Graph, read_stored_graph
from designer.pipelines.models import PipelineVersion
from runner.plan import Plan

GRAPH_FIELD = "version__graph"  # defer it when loading a run: plan_for and node_of read it here


def plan_for(version: PipelineVersion) -> Plan:
    return _versioned(version.pk, version.digest)[0]


def graph_for(version: PipelineVersion) -> Graph:
    """The version's graph, groups flattened (read once per process, as the plan is)."""
    return _versioned(version.pk, version.digest)[1]


def node_of(version: PipelineVersion, node_id: str) -> dict[str, Any]:
    """The node's JSON (a copy: callers may change it)."""
    return dict(_versioned(version.pk, version.digest)[1].node_documents[node_id])


def step_parameters(run: Any, node_id: str) -> dict[str, Any]:
    """The node's parameters as `run` executes them: bound fields hold the run's parameter values."""
    return resolve_bindings(node_of(run.version, node_id).get("parameters", {}), run.parameters or {})


@lru_cache(maxsize=128)
def _versioned(version_id: int, digest: str) -> tuple[Plan, Graph]:
    # The digest guards against reused ids (tests that recreate the database).
    graph = PipelineVersion.objects.values_list("graph", flat=True).get(pk=version_id)
    read = read_stored_graph(graph)  # groups flattened: a node here is a step
    return Plan.from_graph(read), read
