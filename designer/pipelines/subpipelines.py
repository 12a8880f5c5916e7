"""Sub-pipelines (groups): a node that holds an inner graph and exposes some of its ports.

Pure: no Django. A group node is `{"id", "group": {"nodes", "edges", "inputs", "outputs"}, "position"}`;
each exposed port is `{"name", "node", "port"}`, naming the inner node and port it stands for, so its
type is that port's type. The runner, validation and schema propagation never see groups: reading a
graph flattens every group into its inner nodes, whose ids become `<group>:<inner>` (":" is not
allowed in node ids, so a flattened id never collides with a written one). Groups do not nest.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

SEPARATOR = ":"
PATH_MARK = "\u203a"  # a right-pointing angle quote, between a group and a node in a message


@dataclass(frozen=True)
class GroupProblem:
    """A problem with a group's own structure, in the words `graph.Problem` takes."""

    code: str
    message: str
    node: str
    port: str | None = None


@dataclass
class Flattened:
    """The graph with every group replaced by its inner nodes and edges (JSON, like the document)."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    problems: list[GroupProblem] = field(default_factory=list)


def is_group(node: dict[str, Any]) -> bool:
    return "group" in node


def flat_id(group_id: str, inner_id: str) -> str:
    return f"{group_id}{SEPARATOR}{inner_id}"


def group_of(node_id: str) -> str | None:
    """The group a flattened node id lies in, or None for a top-level node."""
    group, separator, _ = node_id.partition(SEPARATOR)
    return group if separator else None


def location(node_id: str) -> str:
    """How a message names a node: "node 'split'", or "group 'prep' (PATH_MARK) node 'clean'"."""
    group, separator, inner = node_id.partition(SEPARATOR)
    return f"group '{group}' {PATH_MARK} node '{inner}'" if separator else f"node '{node_id}'"


def steps_of(name: str, steps: Collection[str]) -> frozenset[str]:
    """The steps a node name stands for: the step itself, or every inner step of the group `name`."""
    if name in steps:
        return frozenset({name})
    return frozenset(step for step in steps if group_of(step) == name)


@dataclass(frozen=True)
class _Ports:
    """A group's exposed ports: name -> flattened (node, port)."""

    inputs: dict[str, tuple[str, str]]
    outputs: dict[str, tuple[str, str]]


def flatten(document: dict[str, Any]) -> Flattened:
    """Every group of a schema-valid document expanded; structural problems are collected, not raised."""
    flattened = Flattened()
    ports: dict[str, _Ports] = {}
    written = [node["id"] for node in document.get("nodes", [])]
    for node in document.get("nodes", []):
        if is_group(node) and written.count(node["id"]) > 1:
            message = f"group id '{node['id']}' is used by another node too"
            flattened.problems.append(GroupProblem("duplicate_node", message, node=node["id"]))
        if is_group(node):
            ports[node["id"]] = _expand(node, flattened)
        else:
            flattened.nodes.append(node)
    for edge in document.get("edges", []):
        flattened.edges.extend(_rewired(edge, ports, flattened.problems))
    return flattened


def _expand(node: dict[str, Any], into: Flattened) -> _Ports:
    group_id, group = node["id"], node["group"]
    inner_ids = {inner["id"] for inner in group.get("nodes", [])}
    for inner in group.get("nodes", []):
        if is_group(inner):
            into.problems.append(
                GroupProblem(
                    "nested_group",
                    f"group '{group_id}' holds group '{inner['id']}': groups cannot be nested; ungroup the inner one",
                    node=group_id,
                )
            )
            continue
        into.nodes.append({**inner, "id": flat_id(group_id, inner["id"])})
    for edge in group.get("edges", []):
        into.edges.append(
            {
                **edge,
                "source": {**edge["source"], "node": flat_id(group_id, edge["source"]["node"])},
                "target": {**edge["target"], "node": flat_id(group_id, edge["target"]["node"])},
            }
        )
    return _Ports(
        inputs=dict(_exposed(group_id, group.get("inputs", []), "input", inner_ids, into.problems)),
        outputs=dict(_exposed(group_id, group.get("outputs", []), "output", inner_ids, into.problems)),
    )


def _exposed(
    group_id: str, ports: list[dict[str, Any]], kind: str, inner_ids: set[str], problems: list[GroupProblem]
) -> Iterator[tuple[str, tuple[str, str]]]:
    seen: set[str] = set()
    for port in ports:
        name = port["name"]
        if name in seen:
            message = f"group '{group_id}' exposes {kind} '{name}' more than once"
            problems.append(GroupProblem("duplicate_group_port", message, node=group_id, port=name))
            continue
        seen.add(name)
        if port["node"] not in inner_ids:
            message = f"group '{group_id}': {kind} '{name}' stands for node '{port['node']}', which is not in the group"
            problems.append(GroupProblem("unknown_node", message, node=group_id, port=name))
            continue
        yield name, (flat_id(group_id, port["node"]), port["port"])


def _rewired(edge: dict[str, Any], ports: dict[str, _Ports], problems: list[GroupProblem]) -> Iterator[dict[str, Any]]:
    """The edge with group endpoints replaced by the inner ports they stand for (none if one is unknown)."""
    source, target = edge["source"], edge["target"]
    if source["node"] in ports:
        inner = ports[source["node"]].outputs.get(source["port"])
        if inner is None:
            problems.append(_unknown_port(source["node"], "output", source["port"]))
            return
        source = {**source, "node": inner[0], "port": inner[1]}
    if target["node"] in ports:
        inner = ports[target["node"]].inputs.get(target["port"])
        if inner is None:
            problems.append(_unknown_port(target["node"], "input", target["port"]))
            return
        target = {**target, "node": inner[0], "port": inner[1]}
    yield {**edge, "source": source, "target": target}


def _unknown_port(group_id: str, kind: str, port: str) -> GroupProblem:
    return GroupProblem("unknown_port", f"group '{group_id}' has no {kind} port '{port}'", node=group_id, port=port)
