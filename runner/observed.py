"""Observed schemas: the columns of outputs no module can state, as the steps that wrote them recorded.

Apply SQL Transformation and Execute Python Script cannot say before running which columns they
give. Each step records the columns of the tables it writes (runner/step_process.py, at writing
time); this module finds, for the nodes of a graph, the step whose recorded columns apply:

- **current**: the node's cache key, computed as the runner would (its module, code, parameters
  and the digests its inputs would have), names a cache entry: running the node now would give
  exactly that table. Keys chain: a node's input digests are the cached outputs upstream, so a
  node below an edited (or non-deterministic) node has no current observation.
- otherwise the **last run** of that node in this pipeline (same module), marked as such.

The result is plain data (node -> port -> TableSchema with `observed` set) for the pure
propagation in designer/pipelines/graph.py.
"""

from __future__ import annotations

from typing import Any

import networkx

from designer.pipelines.graph import Graph, Node
from modules.registry import ModuleNotFound, ModuleRegistry
from modules.schema import Observation, TableSchema
from runner import plan as states
from runner.cache import key_parts
from runner.models import CacheEntry, StepRun

Outputs = dict[str, Any]  # port -> {type, digest, columns?}, as StepRun.outputs holds them
# How many recent steps of a pipeline are looked through for the last run of each node.
RECENT_STEPS = 2000


def observed_schemas(
    graph: Graph, registry: ModuleRegistry, workspace_id: int, pipeline_id: int | None = None
) -> dict[str, dict[str, TableSchema]]:
    """Node id -> output port -> the columns seen on it: current where the cache key matches, else
    (with `pipeline_id`) as in the node's last completed run in that pipeline."""
    current = _current_outputs(graph, registry, workspace_id)
    observed = {node: _schemas(outputs, run, True) for node, (outputs, run) in current.items()}
    if pipeline_id is not None:
        missing = {node.id: node.module for node in graph.nodes if not observed.get(node.id)}
        for node_id, (outputs, run) in _last_outputs(pipeline_id, missing).items():
            observed[node_id] = _schemas(outputs, run, False)
    return {node: schemas for node, schemas in observed.items() if schemas}


def _schemas(outputs: Outputs, run: int, current: bool) -> dict[str, TableSchema]:
    observation = Observation(run=run, current=current)
    return {
        port: TableSchema.observed_in(ref["columns"], observation)
        for port, ref in outputs.items()
        if isinstance(ref, dict) and isinstance(ref.get("columns"), list)
    }


def _current_outputs(graph: Graph, registry: ModuleRegistry, workspace_id: int) -> dict[str, tuple[Outputs, int]]:
    """Node id -> (outputs, run number) of the cache entry its key names now, where there is one.

    One query per generation of the graph (nodes whose inputs all come from earlier ones), not one
    per node: a 1,000-node draft was looked up 200 times on every save and every load."""
    digraph = graph.digraph()
    if not networkx.is_directed_acyclic_graph(digraph):
        return {}
    feeds = {(e.target_node, e.target_port): (e.source_node, e.source_port) for e in graph.edges}
    found: dict[str, tuple[Outputs, int]] = {}
    for generation in networkx.topological_generations(digraph):
        keys = {}
        for node_id in generation:
            node = graph.node(node_id)
            key = _cache_key(node, registry, feeds, found) if node else None
            if key is not None:
                keys[node_id] = key
        entries = _cache_entries(workspace_id, set(keys.values()))
        for node_id, key in keys.items():
            if key in entries:
                found[node_id] = (entries[key].outputs, entries[key].step.run.number)
    return found


def _cache_entries(workspace_id: int, keys: set[str]) -> dict[str, CacheEntry]:
    """Key -> its first cache entry in the workspace (as `.first()` would pick it, by id)."""
    if not keys:
        return {}
    entries: dict[str, CacheEntry] = {}
    for entry in (
        CacheEntry.objects.select_related("step__run").filter(workspace_id=workspace_id, key__in=keys).order_by("pk")
    ):
        entries.setdefault(entry.key, entry)
    return entries


def _cache_key(
    node: Node,
    registry: ModuleRegistry,
    feeds: dict[tuple[str, str], tuple[str, str]],
    found: dict[str, tuple[Outputs, int]],
) -> str | None:
    """The node's cache key now, or None when it has none without running what is upstream."""
    try:
        spec = registry.get(node.module, node.version)
    except ModuleNotFound:
        return None
    if not spec.deterministic_for(node.parameters):
        return None  # never cached: its output is only known by running it
    digests = {}
    for port in spec.inputs:
        source = feeds.get((node.id, port.name))
        if source is None:
            continue  # an optional input left open
        ref = found.get(source[0], ({}, 0))[0].get(source[1])
        if not isinstance(ref, dict):
            return None  # the input's content is not known without running what is upstream
        digests[port.name] = ref["digest"]
    return key_parts(spec, node.parameters, digests).key


def _last_outputs(pipeline_id: int, modules: dict[str, str]) -> dict[str, tuple[Outputs, int]]:
    """Node id -> (outputs, run number) of its latest completed (or cached) step running the same module."""
    if not modules:
        return {}
    steps = StepRun.objects.filter(
        run__pipeline_id=pipeline_id, node_id__in=list(modules), status__in=list(states.DONE)
    ).order_by("-id")
    last: dict[str, tuple[Outputs, int]] = {}
    for node_id, module, outputs, run in steps.values_list("node_id", "module", "outputs", "run__number")[
        :RECENT_STEPS
    ]:
        if node_id not in last and module == modules[node_id]:
            last[node_id] = (outputs, run)
    return last
