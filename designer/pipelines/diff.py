"""What changed between two graphs, node by node and edge by edge. Pure: no Django.

Nodes are matched by id. A node is `added`, `removed`, `changed` (its module, module version,
parameters or other settings such as its comment differ) or `unchanged`; a node that only
moved stays `unchanged` with `moved` set, since layout changes nothing a run computes.
Edges are matched by their two endpoints, so a connection moved to another port is one
removed edge and one added edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from designer.pipelines.graph import Edge, Graph, Node
from modules.registry import ModuleNotFound, ModuleRegistry

NodeStatus = Literal["added", "removed", "changed", "unchanged"]
EdgeStatus = Literal["added", "removed", "unchanged"]

# Keys of a node document that are not "settings": they are compared on their own.
_OWN_KEYS = frozenset({"id", "module", "version", "parameters", "position"})


@dataclass(frozen=True)
class ValueChange:
    """One parameter or setting: its value before and after (None where it was not set)."""

    name: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class NodeDiff:
    node: str
    status: NodeStatus
    module: str
    old_module: str | None = None
    old_version: str | None = None
    new_version: str | None = None
    parameters: tuple[ValueChange, ...] = ()
    settings: tuple[ValueChange, ...] = ()
    moved: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "status": self.status,
            "module": self.module,
            "old_module": self.old_module,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "parameters": [change.to_json() for change in self.parameters],
            "settings": [change.to_json() for change in self.settings],
            "moved": self.moved,
        }


@dataclass(frozen=True)
class EdgeDiff:
    edge: Edge
    status: EdgeStatus

    def to_json(self) -> dict[str, Any]:
        return {
            "source": {"node": self.edge.source_node, "port": self.edge.source_port},
            "target": {"node": self.edge.target_node, "port": self.edge.target_port},
            "status": self.status,
        }


@dataclass(frozen=True)
class GraphDiff:
    nodes: tuple[NodeDiff, ...]
    edges: tuple[EdgeDiff, ...]
    summary: dict[str, int] = field(default_factory=dict)

    def node(self, node_id: str) -> NodeDiff | None:
        return next((diff for diff in self.nodes if diff.node == node_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [diff.to_json() for diff in self.nodes],
            "edges": [diff.to_json() for diff in self.edges],
            "summary": dict(self.summary),
        }


def graph_diff(old: Graph, new: Graph, registry: ModuleRegistry | None = None) -> GraphDiff:
    """Every node and edge of either graph, with what became of it from `old` to `new`.

    With a registry, a parameter left out of a node compares as the module's default, so
    spelling out a default is no change. Nodes come in the order of `new`, removed ones last.
    """
    old_nodes = {node.id: node for node in old.nodes}
    new_nodes = {node.id: node for node in new.nodes}
    nodes = [
        _node_diff(old_nodes[node.id], node, old, new, registry) if node.id in old_nodes else _added(node)
        for node in new.nodes
    ]
    nodes += [_removed(node) for node in old.nodes if node.id not in new_nodes]
    edges = _edge_diffs(old.edges, new.edges)
    return GraphDiff(nodes=tuple(nodes), edges=tuple(edges), summary=_summary(nodes, edges))


def _added(node: Node) -> NodeDiff:
    return NodeDiff(node=node.id, status="added", module=node.module, new_version=node.version)


def _removed(node: Node) -> NodeDiff:
    return NodeDiff(node=node.id, status="removed", module=node.module, old_version=node.version)


def _node_diff(old: Node, new: Node, old_graph: Graph, new_graph: Graph, registry: ModuleRegistry | None) -> NodeDiff:
    module_changed = old.module != new.module or old.version != new.version
    parameters = _value_changes(_with_defaults(old, registry), _with_defaults(new, registry))
    settings = _value_changes(_settings(old_graph, old.id), _settings(new_graph, new.id))
    changed = module_changed or bool(parameters) or bool(settings)
    return NodeDiff(
        node=new.id,
        status="changed" if changed else "unchanged",
        module=new.module,
        old_module=old.module if old.module != new.module else None,
        old_version=old.version if module_changed else None,
        new_version=new.version if module_changed else None,
        parameters=parameters,
        settings=settings,
        moved=_position(old_graph, old.id) != _position(new_graph, new.id),
    )


def _with_defaults(node: Node, registry: ModuleRegistry | None) -> dict[str, Any]:
    if registry is None:
        return dict(node.parameters)
    try:
        spec = registry.get(node.module, node.version)
    except ModuleNotFound:
        return dict(node.parameters)
    return {**{parameter.name: parameter.default for parameter in spec.parameters}, **node.parameters}


def _value_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[ValueChange, ...]:
    names = [*old, *(name for name in new if name not in old)]
    return tuple(
        ValueChange(name, old.get(name), new.get(name)) for name in names if not _same(old.get(name), new.get(name))
    )


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: 1 and 1.0 are the same number, but True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _node_document(graph: Graph, node_id: str) -> Mapping[str, Any]:
    return graph.node_documents.get(node_id, {})


def _settings(graph: Graph, node_id: str) -> dict[str, Any]:
    return {key: value for key, value in _node_document(graph, node_id).items() if key not in _OWN_KEYS}


def _position(graph: Graph, node_id: str) -> Any:
    return _node_document(graph, node_id).get("position")


def _edge_diffs(old: tuple[Edge, ...], new: tuple[Edge, ...]) -> list[EdgeDiff]:
    old_set, new_set = set(old), set(new)
    diffs = [EdgeDiff(edge, "unchanged" if edge in old_set else "added") for edge in new]
    return diffs + [EdgeDiff(edge, "removed") for edge in old if edge not in new_set]


def _summary(nodes: list[NodeDiff], edges: list[EdgeDiff]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0, "edges_added": 0, "edges_removed": 0}
    for node in nodes:
        counts[node.status] += 1
    for edge in edges:
        if edge.status != "unchanged":
            counts[f"edges_{edge.status}"] += 1
    return counts
