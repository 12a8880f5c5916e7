"""The execution plan of a graph: which steps may run, which to skip, when the run is over.

Pure data plus a state machine over step statuses; no Django, no workers. The runner keeps
statuses in the database and asks the plan what follows from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx

from designer.pipelines.graph import Edge, Graph

PENDING = "pending"
QUEUED = "queued"
RUNNING = "running"
COMPLETED = "completed"
FAILED = "failed"
SKIPPED = "skipped"
CACHED = "cached"  # outputs reused from an earlier step with the same cache key; nothing ran
CANCELED = "canceled"

STEP_STATUSES = (PENDING, QUEUED, RUNNING, COMPLETED, FAILED, SKIPPED, CACHED, CANCELED)
ACTIVE = frozenset({PENDING, QUEUED, RUNNING})
# A step whose outputs exist: its successors may use them.
DONE = frozenset({COMPLETED, CACHED})
# A step that can no longer produce outputs: everything downstream of it is skipped.
DEAD_ENDS = frozenset({FAILED, SKIPPED, CANCELED})


@dataclass(frozen=True)
class Plan:
    """The steps of a graph in topological order, with their direct neighbours."""

    order: tuple[str, ...]
    upstream: Mapping[str, frozenset[str]]
    downstream: Mapping[str, frozenset[str]]
    inputs: Mapping[str, tuple[Edge, ...]]

    @classmethod
    def from_graph(cls, graph: Graph) -> Plan:
        """The plan of a valid (acyclic) graph; raises ValueError on a cycle."""
        digraph = graph.digraph()
        try:
            order = tuple(networkx.lexicographical_topological_sort(digraph))
        except networkx.NetworkXUnfeasible:
            raise ValueError("the graph has a cycle; it cannot be planned") from None
        inputs: dict[str, list[Edge]] = {node: [] for node in order}
        for edge in graph.edges:  # one pass: a scan of all edges per node is O(n²) on a wide fan-out
            inputs[edge.target_node].append(edge)
        return cls(
            order=order,
            upstream={node: frozenset(digraph.predecessors(node)) for node in order},
            downstream={node: frozenset(digraph.successors(node)) for node in order},
            inputs={node: tuple(edges) for node, edges in inputs.items()},
        )

    def restricted_to(self, nodes: Iterable[str]) -> Plan:
        """The plan of only `nodes` (e.g. a run up to a node); edges to other nodes are dropped."""
        keep = frozenset(nodes)
        return Plan(
            order=tuple(node for node in self.order if node in keep),
            upstream={node: self.upstream[node] & keep for node in self.order if node in keep},
            downstream={node: self.downstream[node] & keep for node in self.order if node in keep},
            inputs={
                node: tuple(edge for edge in self.inputs[node] if edge.source_node in keep)
                for node in self.order
                if node in keep
            },
        )

    def ancestors(self, node: str) -> frozenset[str]:
        """Every step `node` depends on, directly or not (not `node` itself)."""
        return self._reach(node, self.upstream)

    def descendants(self, node: str) -> frozenset[str]:
        """Every step that depends on `node`, directly or not (not `node` itself)."""
        return self._reach(node, self.downstream)

    def _reach(self, node: str, neighbours: Mapping[str, frozenset[str]]) -> frozenset[str]:
        if node not in neighbours:
            raise KeyError(f"no step '{node}' in the plan")
        seen: set[str] = set()
        todo = list(neighbours[node])
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(neighbours[current])
        return frozenset(seen)

    def ready(self, statuses: Mapping[str, str]) -> list[str]:
        """Pending steps whose upstream steps have all completed (or come from the cache), in plan order."""
        return [
            node
            for node in self.order
            if statuses[node] == PENDING and all(statuses[up] in DONE for up in self.upstream[node])
        ]

    def to_skip(self, statuses: Mapping[str, str], continue_on_failure: bool = True) -> list[str]:
        """Not-yet-started steps downstream of a failed or skipped step, in plan order.

        Without `continue_on_failure`, once a step failed every step not yet started is skipped.
        """
        if DEAD_ENDS.isdisjoint(statuses.values()):
            return []  # the usual case, decided at once: nothing failed, nothing to skip
        if not continue_on_failure and any(statuses[node] == FAILED for node in self.order):
            return [node for node in self.order if statuses[node] in (PENDING, QUEUED)]
        doomed: set[str] = set()
        for node in self.order:  # topological order: a step's upstream is decided before it
            if any(statuses[up] in DEAD_ENDS or up in doomed for up in self.upstream[node]):
                doomed.add(node)
        return [node for node in self.order if node in doomed and statuses[node] in (PENDING, QUEUED)]

    def is_finished(self, statuses: Mapping[str, str]) -> bool:
        return ACTIVE.isdisjoint(statuses[node] for node in self.order)

    def outcome(self, statuses: Mapping[str, str]) -> str | None:
        """None while a step is pending, queued or running; then "failed" if any step failed,
        "canceled" if any was canceled, else "completed" (cached steps count as completed)."""
        if not self.is_finished(statuses):
            return None
        if any(statuses[node] == FAILED for node in self.order):
            return FAILED
        return CANCELED if any(statuses[node] == CANCELED for node in self.order) else COMPLETED
