"""The execution plan of a graph: which steps may run, which to skip, when the run is over.

Pure data plus a state machine over step statuses; no Django, no workers. The runner keeps
statuses in the database and asks the plan what follows from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx

from designer.pipelines.graph import Edge, Graph

PENDING = "pending"
QUEUED = "queued"
RUNNING = "running"
COMPLETED = "completed"
FAILED = "failed"
SKIPPED = "skipped"

STEP_STATUSES = (PENDING, QUEUED, RUNNING, COMPLETED, FAILED, SKIPPED)
ACTIVE = frozenset({PENDING, QUEUED, RUNNING})
# A step that can no longer produce outputs: everything downstream of it is skipped.
DEAD_ENDS = frozenset({FAILED, SKIPPED})


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
        return cls(
            order=order,
            upstream={node: frozenset(digraph.predecessors(node)) for node in order},
            downstream={node: frozenset(digraph.successors(node)) for node in order},
            inputs={node: tuple(edge for edge in graph.edges if edge.target_node == node) for node in order},
        )

    def ready(self, statuses: Mapping[str, str]) -> list[str]:
        """Pending steps whose upstream steps have all completed, in plan order."""
        return [
            node
            for node in self.order
            if statuses[node] == PENDING and all(statuses[up] == COMPLETED for up in self.upstream[node])
        ]

    def to_skip(self, statuses: Mapping[str, str]) -> list[str]:
        """Not-yet-started steps downstream of a failed or skipped step, in plan order."""
        doomed: set[str] = set()
        for node in self.order:  # topological order: a step's upstream is decided before it
            if any(statuses[up] in DEAD_ENDS or up in doomed for up in self.upstream[node]):
                doomed.add(node)
        return [node for node in self.order if node in doomed and statuses[node] in (PENDING, QUEUED)]

    def is_finished(self, statuses: Mapping[str, str]) -> bool:
        return not any(statuses[node] in ACTIVE for node in self.order)

    def outcome(self, statuses: Mapping[str, str]) -> str | None:
        """None while a step is pending, queued or running; then "failed" if any step failed, else "completed"."""
        if not self.is_finished(statuses):
            return None
        return FAILED if any(statuses[node] == FAILED for node in self.order) else COMPLETED
