"""The graph format and its validation. Pure: no Django, used by the API, the runner and the CLI.

A graph is JSON: `format_version`, `nodes` (id, module, version, parameters, position) and
`edges` (source node and port -> target node and port). Older format versions are upgraded
on read, newer ones refused, and unknown keys are kept.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
import networkx

from designer.pipelines import subpipelines
from designer.pipelines.bindings import binding_name
from modules.registry import ModuleNotFound, ModuleRegistry
from modules.schema import ObservedSchemas, TableSchema
from modules.spec import ParameterError

FORMAT_VERSION = 2
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "graph-format.schema.json"


class GraphFormatError(ValueError):
    """The document is not a graph this version of Trellis can read; `errors` says where."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Problem:
    """One reason a graph cannot run, naming the node, port or parameter it is about."""

    code: str
    message: str
    node: str | None = None
    port: str | None = None
    parameter: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "message": self.message,
            "node": self.node,
            "port": self.port,
            "parameter": self.parameter,
        }

    def __str__(self) -> str:
        where = ".".join(part for part in (self.node, self.port or self.parameter) if part)
        return f"{where or 'graph'}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Node:
    id: str
    module: str
    version: str
    parameters: dict[str, Any]
    compute_target: str = ""  # "" runs on the default target


@dataclass(frozen=True)
class Edge:
    source_node: str
    source_port: str
    target_node: str
    target_port: str


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    document: dict[str, Any] = field(compare=False)
    # Groups are flattened on read: `nodes` and `edges` are the steps; these are their JSON by id
    # and the problems of the groups' own structure (see subpipelines.py).
    node_documents: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)
    group_problems: tuple[subpipelines.GroupProblem, ...] = field(default=(), compare=False)

    def node(self, node_id: str) -> Node | None:
        return self._nodes_by_id.get(node_id)

    @cached_property
    def _nodes_by_id(self) -> dict[str, Node]:
        """Looked up once per node when propagating schemas: a scan each time is O(n²) on big graphs."""
        nodes: dict[str, Node] = {}
        for node in self.nodes:
            nodes.setdefault(node.id, node)  # the first of duplicate ids, as a scan would find
        return nodes

    def to_json(self) -> dict[str, Any]:
        return copy.deepcopy(self.document)

    def digraph(self) -> networkx.MultiDiGraph:  # type: ignore[type-arg]
        graph: networkx.MultiDiGraph = networkx.MultiDiGraph()  # type: ignore[type-arg]
        graph.add_nodes_from(node.id for node in self.nodes)
        for edge in self.edges:
            graph.add_edge(edge.source_node, edge.target_node)
        return graph


# Reading


def _upgrade_1_to_2(document: dict[str, Any]) -> dict[str, Any]:
    """Format 1 wrote edges compactly as {"from": "node.port", "to": "node.port"}."""

    def endpoint(text: Any, key: str, index: int) -> dict[str, str]:
        node, dot, port = str(text).rpartition(".")
        if not dot or not node or not port:
            raise GraphFormatError([f"edges[{index}].{key}: expected 'node.port', got {text!r}"])
        return {"node": node, "port": port}

    edges = []
    for index, edge in enumerate(document.get("edges", [])):
        upgraded = {k: v for k, v in edge.items() if k not in ("from", "to")}
        upgraded["source"] = endpoint(edge.get("from"), "from", index)
        upgraded["target"] = endpoint(edge.get("to"), "to", index)
        edges.append(upgraded)
    return {**document, "edges": edges, "format_version": 2}


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1_to_2}


@cache
def graph_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    return schema


def _inline_refs(schema: Any, definitions: dict[str, Any], inlining: tuple[str, ...] = ()) -> Any:
    """The schema with each `#/$defs/...` reference replaced by its definition: resolving 2,000
    references took half the time of checking a 1,000-node graph. A definition that refers to
    itself keeps its reference (and other references stay as they are: they resolve in the root)."""
    if isinstance(schema, list):
        return [_inline_refs(item, definitions, inlining) for item in schema]
    if not isinstance(schema, dict):
        return schema
    reference = schema.get("$ref")
    name = reference.removeprefix("#/$defs/") if isinstance(reference, str) else None
    if name is not None and name != reference and name in definitions and name not in inlining:
        return _inline_refs(definitions[name], definitions, (*inlining, name))
    return {key: _inline_refs(value, definitions, inlining) for key, value in schema.items()}


@cache
def _graph_validator() -> jsonschema.Draft202012Validator:
    schema = graph_schema()
    return jsonschema.Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


# Digests of documents that passed the schema check: a draft is read again on every load, and
# twice per save; checking it again would give the same answer.
_CHECKED_DIGESTS: OrderedDict[str, None] = OrderedDict()
_CHECKED_DIGESTS_KEPT = 256


def _check_format(document: dict[str, Any]) -> None:
    """Raises GraphFormatError naming every place where `document` breaks the graph schema."""
    try:
        digest = hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    except (TypeError, ValueError):
        digest = None  # not plain JSON: the schema check says what is wrong
    if digest is not None and digest in _CHECKED_DIGESTS:
        _CHECKED_DIGESTS.move_to_end(digest)
        return
    errors = sorted(_graph_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    if errors:
        raise GraphFormatError([f"{error.json_path}: {error.message}" for error in errors])
    if digest is not None:
        _CHECKED_DIGESTS[digest] = None
        if len(_CHECKED_DIGESTS) > _CHECKED_DIGESTS_KEPT:
            _CHECKED_DIGESTS.popitem(last=False)


def upgrade(document: Any) -> dict[str, Any]:
    """The document in the current format version; refuses newer versions and non-objects."""
    if not isinstance(document, dict):
        raise GraphFormatError(["a graph must be a JSON object"])
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise GraphFormatError([f"format_version must be a whole number, got {version!r}"])
    if version > FORMAT_VERSION:
        raise GraphFormatError(
            [f"format_version {version} is newer than this Trellis reads ({FORMAT_VERSION}); upgrade Trellis"]
        )
    upgraded = copy.deepcopy(document)
    while upgraded["format_version"] < FORMAT_VERSION:
        step = UPGRADES.get(upgraded["format_version"])
        if step is None:
            raise GraphFormatError([f"format_version {upgraded['format_version']} is not known"])
        upgraded = step(upgraded)
    return upgraded


def read_graph(document: Any) -> Graph:
    """Upgrade and check a JSON document against the graph schema; raises GraphFormatError."""
    upgraded = upgrade(document)
    _check_format(upgraded)
    return _graph_of(upgraded)


def read_stored_graph(document: Any) -> Graph:
    """A document stored once read_graph accepted it (a pipeline version's): upgraded, not
    checked against the schema again. The check costs 40 ms for a 200-node graph (jsonschema,
    about 65 µs a node or edge), and every process running a step of a new version reads it."""
    return _graph_of(upgrade(document))


def _graph_of(upgraded: dict[str, Any]) -> Graph:
    flattened = subpipelines.flatten(upgraded)
    nodes = tuple(
        Node(
            id=raw["id"],
            module=raw["module"],
            version=raw["version"],
            parameters=dict(raw.get("parameters", {})),
            compute_target=raw.get("compute_target", ""),
        )
        for raw in flattened.nodes
    )
    edges = tuple(
        Edge(raw["source"]["node"], raw["source"]["port"], raw["target"]["node"], raw["target"]["port"])
        for raw in flattened.edges
    )
    return Graph(
        nodes=nodes,
        edges=edges,
        document=upgraded,
        node_documents={raw["id"]: raw for raw in flattened.nodes},
        group_problems=tuple(flattened.problems),
    )


def load_graph_file(path: Path) -> Graph:
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise GraphFormatError([f"{path.name} is not JSON: {error}"]) from error
    return read_graph(document)


# Validation


def validate(
    graph: Graph,
    registry: ModuleRegistry,
    compute_targets: Collection[str] | None = None,
    observed: ObservedSchemas | None = None,
) -> list[Problem]:
    """Every problem that keeps `graph` from running; empty when it can run.

    `compute_targets`: the names nodes may pick ("" being the default); None checks no names.
    `observed`: schemas seen in runs, for outputs no module can state (see propagate_schemas).
    A problem inside a group names its path in the message: "group 'prep' > node 'clean': ...".
    """
    from designer.pipelines.parameters import parameter_problems  # it builds on this module

    problems = [
        *(Problem(p.code, p.message, node=p.node, port=p.port) for p in graph.group_problems),
        *_duplicate_nodes(graph),
        *_unknown_targets(graph, compute_targets),
        *_modules_and_parameters(graph, registry),
        *_edges(graph, registry),
        *_missing_inputs(graph, registry),
        *_cycles(graph),
        *_unknown_columns(graph, registry, observed),
        *parameter_problems(graph, registry),
    ]
    return [_located(problem) for problem in problems]


def _located(problem: Problem) -> Problem:
    if problem.node is None or subpipelines.group_of(problem.node) is None:
        return problem
    return replace(problem, message=f"{subpipelines.location(problem.node)}: {problem.message}")


def _spec_or_none(registry: ModuleRegistry, node: Node) -> Any:
    try:
        return registry.get(node.module, node.version)
    except ModuleNotFound:
        return None


def _duplicate_nodes(graph: Graph) -> Iterator[Problem]:
    seen: set[str] = set()
    for node in graph.nodes:
        if node.id in seen:
            yield Problem("duplicate_node", f"node id '{node.id}' is used more than once", node=node.id)
        seen.add(node.id)


def _unknown_targets(graph: Graph, known: Collection[str] | None) -> Iterator[Problem]:
    if known is None:
        return
    for node in graph.nodes:
        if node.compute_target not in known:
            names = ", ".join(sorted(name for name in known if name)) or "none"
            message = f"compute target '{node.compute_target}' does not exist in this workspace (it has: {names})"
            yield Problem("unknown_compute_target", message, node=node.id, parameter="compute_target")


def _modules_and_parameters(graph: Graph, registry: ModuleRegistry) -> Iterator[Problem]:
    for node in graph.nodes:
        try:
            spec = registry.get(node.module, node.version)
        except ModuleNotFound as error:
            yield Problem("unknown_module", str(error), node=node.id)
            continue
        refusal = registry.refusal(node.module, node.version)
        if refusal is not None:
            yield Problem("disabled_module", refusal, node=node.id)
        for name in node.parameters:
            if spec.parameter(name) is None:
                yield Problem(
                    "unknown_parameter", f"{spec.display_name} has no parameter '{name}'", node=node.id, parameter=name
                )
        for parameter in spec.parameters:
            if binding_name(node.parameters.get(parameter.name)) is not None:
                continue  # bound to a pipeline parameter: checked with the bindings
            try:
                parameter.parse(node.parameters.get(parameter.name))
            except ParameterError as error:
                unset = node.parameters.get(parameter.name) in (None, "", [])
                code = "missing_parameter" if unset else "invalid_parameter"
                message = f"{parameter.label or parameter.name}: {error}"
                yield Problem(code, message, node=node.id, parameter=parameter.name)


def _edges(graph: Graph, registry: ModuleRegistry) -> Iterator[Problem]:
    nodes = {node.id: node for node in graph.nodes}
    feeding: dict[tuple[str, str], int] = {}
    for edge in graph.edges:
        source, target = nodes.get(edge.source_node), nodes.get(edge.target_node)
        for node_id, found in ((edge.source_node, source), (edge.target_node, target)):
            if found is None:
                yield Problem("unknown_node", f"an edge names node '{node_id}', which is not in the graph")
        if source is None or target is None:
            continue
        source_spec, target_spec = _spec_or_none(registry, source), _spec_or_none(registry, target)
        if source_spec is None or target_spec is None:
            continue  # reported as unknown_module
        output = source_spec.output(edge.source_port)
        if output is None:
            yield Problem(
                "unknown_port",
                f"{source_spec.display_name} has no output port '{edge.source_port}'",
                node=source.id,
                port=edge.source_port,
            )
        input_port = target_spec.input(edge.target_port)
        if input_port is None:
            yield Problem(
                "unknown_port",
                f"{target_spec.display_name} has no input port '{edge.target_port}'",
                node=target.id,
                port=edge.target_port,
            )
        if output is None or input_port is None:
            continue
        key = (target.id, input_port.name)
        feeding[key] = feeding.get(key, 0) + 1
        if feeding[key] == 2:
            yield Problem(
                "duplicate_input",
                f"input '{input_port.name}' has more than one incoming edge",
                node=target.id,
                port=input_port.name,
            )
        if not registry.compatible(output.type, input_port.type):
            yield Problem(
                "type_mismatch",
                f"input '{input_port.name}' takes {input_port.type}, but {source.id}.{output.name} gives {output.type}",
                node=target.id,
                port=input_port.name,
            )


def _missing_inputs(graph: Graph, registry: ModuleRegistry) -> Iterator[Problem]:
    connected = {(edge.target_node, edge.target_port) for edge in graph.edges}
    for node in graph.nodes:
        spec = _spec_or_none(registry, node)
        if spec is None:
            continue
        for port in spec.inputs:
            if not port.optional and (node.id, port.name) not in connected:
                yield Problem("missing_input", f"input '{port.name}' is not connected", node=node.id, port=port.name)


def _cycles(graph: Graph) -> Iterator[Problem]:
    digraph = graph.digraph()
    for component in networkx.strongly_connected_components(digraph):
        members = sorted(component)
        is_loop = len(members) > 1 or digraph.has_edge(members[0], members[0])
        if not is_loop:
            continue
        for node_id in members:
            yield Problem("cycle", f"node is part of a cycle: {' -> '.join(members)}", node=node_id)


# Design-time schemas

NodeSchemas = dict[str, dict[str, TableSchema | None]]


def _feeds(graph: Graph) -> dict[tuple[str, str], tuple[str, str]]:
    """(target node, input port) -> (source node, output port)."""
    return {(e.target_node, e.target_port): (e.source_node, e.source_port) for e in graph.edges}


def propagate_schemas(
    graph: Graph, registry: ModuleRegistry, observed: ObservedSchemas | None = None
) -> tuple[NodeSchemas, NodeSchemas]:
    """The columns of every node's inputs and outputs, as far as they are known before running.

    Returns (inputs, outputs), each node id -> port -> schema, or None where unknown. A graph
    with a cycle has no order to propagate in: nothing is known. An output its module cannot
    state takes the schema `observed` holds for it (node id -> port -> schema seen in a run).
    """
    digraph = graph.digraph()
    inputs: NodeSchemas = {}
    outputs: NodeSchemas = {}
    if not networkx.is_directed_acyclic_graph(digraph):
        return inputs, outputs
    feeds = _feeds(graph)
    for node_id in networkx.topological_sort(digraph):
        node = graph.node(node_id)
        spec = _spec_or_none(registry, node) if node else None
        if node is None or spec is None:
            continue
        sources = {port.name: feeds.get((node_id, port.name)) for port in spec.inputs}
        inputs[node_id] = {
            port: outputs.get(source[0], {}).get(source[1]) if source else None for port, source in sources.items()
        }
        stated = _carry_observation(spec.output_schemas(inputs[node_id], node.parameters), inputs[node_id])
        seen = (observed or {}).get(node_id, {})
        outputs[node_id] = {port: schema or seen.get(port) for port, schema in stated.items()}
    return inputs, outputs


def _carry_observation(
    outputs: dict[str, TableSchema | None], inputs: dict[str, TableSchema | None]
) -> dict[str, TableSchema | None]:
    """Outputs derived from observed input columns say so too ("as observed in run N")."""
    observation = next((schema.observed for schema in inputs.values() if schema and schema.observed), None)
    if observation is None:
        return outputs
    return {
        port: replace(schema, observed=observation) if schema and schema.observed is None else schema
        for port, schema in outputs.items()
    }


def schemas_json(
    graph: Graph, registry: ModuleRegistry, observed: ObservedSchemas | None = None
) -> dict[str, dict[str, Any]]:
    """For the canvas: node id -> {"inputs": {port: schema}, "outputs": {port: schema}} (null when unknown)."""
    inputs, outputs = propagate_schemas(graph, registry, observed)

    def as_json(ports: dict[str, TableSchema | None]) -> dict[str, Any]:
        return {port: schema.to_json() if schema else None for port, schema in ports.items()}

    return {node: {"inputs": as_json(inputs[node]), "outputs": as_json(outputs.get(node, {}))} for node in inputs}


def _unknown_columns(graph: Graph, registry: ModuleRegistry, observed: ObservedSchemas | None) -> Iterator[Problem]:
    """Column parameters naming a column that will not arrive, where the input's columns are fully known."""
    inputs, _ = propagate_schemas(graph, registry, observed)
    for node in graph.nodes:
        spec = _spec_or_none(registry, node)
        if spec is None or node.id not in inputs:
            continue
        for parameter in spec.parameters:
            if parameter.kind not in ("column", "columns"):
                continue
            port = spec.column_input(parameter)
            schema = inputs[node.id].get(port) if port else None
            try:
                value = parameter.parse(node.parameters.get(parameter.name))
            except ParameterError:
                continue  # reported by the parameter check
            names = [value] if isinstance(value, str) else list(value or [])
            missing = [name for name in names if schema is not None and schema.complete and not schema.has(name)]
            if missing:
                assert schema is not None
                available = ", ".join(schema.names())
                yield Problem(
                    "unknown_column",
                    f"{parameter.label or parameter.name}: input '{port}' has no column(s) "
                    f"{', '.join(missing)}; it has: {available}",
                    node=node.id,
                    parameter=parameter.name,
                )
