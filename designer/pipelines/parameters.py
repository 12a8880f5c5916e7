"""Pipeline parameters: typed values declared once on a pipeline and bound to fields of its nodes.

A graph's top-level `parameters` list declares them (name, type, default, description, and the
options of a choice); a node field bound to one holds `{"$parameter": "<name>"}` (see bindings.py).
A run supplies values, defaults fill the rest, and every bound field gets its value before the
step's cache key is computed, so a changed value misses exactly the nodes bound to it.
Pure: no Django.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from designer.pipelines.bindings import binding_name, resolve_bindings
from designer.pipelines.graph import Graph, Node, Problem, read_graph
from modules.registry import ModuleNotFound, ModuleRegistry
from modules.spec import Parameter, ParameterError, ParameterKind

PARAMETER_TYPES: tuple[str, ...] = ("int", "float", "string", "choice", "dataset")

# How each type's values are checked: the module parameter kind that parses them.
_VALUE_KIND: dict[str, ParameterKind] = {
    "int": "int",
    "float": "float",
    "string": "string",
    "choice": "choice",
    "dataset": "dataset_version",  # a workspace dataset version, by its content digest
}

# Which node field kinds a parameter of each type may be bound to.
COMPATIBLE_FIELDS: dict[str, frozenset[str]] = {
    "int": frozenset({"int", "float"}),
    "float": frozenset({"float"}),
    "string": frozenset({"string", "text", "column"}),
    "choice": frozenset({"choice", "string", "text", "column"}),
    "dataset": frozenset({"dataset_version"}),
}


class ParameterValuesError(ValueError):
    """The values given for a run do not fit the pipeline's parameters; `problems` says which."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class PipelineParameter:
    name: str
    type: str
    default: Any = None
    description: str = ""
    options: tuple[str, ...] = ()

    def parse(self, raw: Any) -> Any:
        """The typed value of `raw`; raises ParameterError (None or "" count as no value)."""
        kind = _VALUE_KIND[self.type]
        return Parameter(self.name, kind, required=True, choices=self.options).parse(raw)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PipelineParameter:
        return cls(
            name=str(data["name"]),
            type=str(data["type"]),
            default=data.get("default"),
            description=str(data.get("description", "")),
            options=tuple(str(option) for option in data.get("options", [])),
        )


def declared_parameters(graph: Graph) -> tuple[PipelineParameter, ...]:
    return tuple(PipelineParameter.from_json(raw) for raw in graph.document.get("parameters", []))


def bound_fields(graph: Graph) -> Iterator[tuple[Node, str, str]]:
    """(node, field, pipeline parameter name) for every bound field, in graph order."""
    for node in graph.nodes:
        for field, value in node.parameters.items():
            name = binding_name(value)
            if name is not None:
                yield node, field, name


# Validation of the declarations and bindings (the graph's own problems; values come with a run)


def parameter_problems(graph: Graph, registry: ModuleRegistry) -> list[Problem]:
    declared = declared_parameters(graph)
    return [*_declaration_problems(declared), *_binding_problems(graph, registry, declared)]


def _declaration_problems(declared: tuple[PipelineParameter, ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    for parameter in declared:
        if parameter.name in seen:
            yield _problem("duplicate_pipeline_parameter", parameter, "is declared more than once")
        seen.add(parameter.name)
        if parameter.type == "choice" and not parameter.options:
            yield _problem("invalid_pipeline_parameter", parameter, "a choice needs at least one option")
        if parameter.default in (None, ""):
            continue
        try:
            parameter.parse(parameter.default)
        except ParameterError as error:
            yield _problem("invalid_pipeline_parameter", parameter, f"default {parameter.default!r} {error}")


def _problem(code: str, parameter: PipelineParameter, text: str) -> Problem:
    return Problem(code, f"pipeline parameter '{parameter.name}': {text}", parameter=parameter.name)


def _binding_problems(
    graph: Graph, registry: ModuleRegistry, declared: tuple[PipelineParameter, ...]
) -> Iterator[Problem]:
    by_name = {parameter.name: parameter for parameter in declared}
    for node, field, name in bound_fields(graph):
        try:
            spec = registry.get(node.module, node.version)
        except ModuleNotFound:
            continue  # reported by validate()
        target = spec.parameter(field)
        parameter = by_name.get(name)
        if target is None:
            continue  # reported as unknown_parameter
        if parameter is None:
            message = f"{target.label or field} is bound to pipeline parameter '{name}', which is not declared"
            yield Problem("unknown_pipeline_parameter", message, node=node.id, parameter=field)
            continue
        mismatch = _mismatch(parameter, target)
        if mismatch:
            message = f"{target.label or field}: {mismatch}"
            yield Problem("binding_type_mismatch", message, node=node.id, parameter=field)


def _mismatch(parameter: PipelineParameter, field: Parameter) -> str | None:
    """Why `parameter` cannot feed `field`, or None when every value of it fits."""
    if field.kind not in COMPATIBLE_FIELDS[parameter.type]:
        return f"takes {field.kind}, but pipeline parameter '{parameter.name}' is {parameter.type}"
    if field.kind == "choice":  # only a choice parameter feeds one: its options must all be allowed
        outside = [option for option in parameter.options if option not in field.choices]
        if outside:
            allowed = ", ".join(field.choices)
            return f"option(s) {', '.join(outside)} of '{parameter.name}' are not among {allowed}"
    if parameter.default not in (None, ""):
        try:
            field.parse(parameter.default)
        except ParameterError as error:
            return f"the default of '{parameter.name}' does not fit: {error}"
    return None


# Values of a run


def resolve_values(declared: tuple[PipelineParameter, ...], supplied: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared parameter's typed value: the supplied one, else its default.

    Raises ParameterValuesError naming each unknown, missing or invalid parameter.
    """
    known = {parameter.name for parameter in declared}
    problems = [
        Problem("unknown_pipeline_parameter", f"the pipeline has no parameter '{name}'", parameter=name)
        for name in supplied
        if name not in known
    ]
    values: dict[str, Any] = {}
    for parameter in declared:
        raw = supplied.get(parameter.name)
        if raw in (None, ""):
            raw = parameter.default
        if raw in (None, ""):
            problems.append(_problem("missing_parameter_value", parameter, "needs a value: it has no default"))
            continue
        try:
            values[parameter.name] = parameter.parse(raw)
        except ParameterError as error:
            problems.append(_problem("invalid_parameter_value", parameter, f"{raw!r} {error}"))
    if problems:
        raise ParameterValuesError(problems)
    return values


def graph_with_values(graph: Graph, values: Mapping[str, Any]) -> Graph:
    """The graph as a run with these values executes it: every bound field holds its value."""
    document = copy.deepcopy(graph.document)
    for node in document["nodes"]:
        # A group's inner nodes are bound like any other (groups do not nest).
        for inner in node["group"].get("nodes", []) if "group" in node else [node]:
            if "parameters" in inner:
                inner["parameters"] = resolve_bindings(inner["parameters"], values)
    return read_graph(document)


def document_with_defaults(document: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a graph document whose declared parameters default to `values` (a cloned run's)."""
    cloned = copy.deepcopy(dict(document))
    for declaration in cloned.get("parameters", []):
        if declaration.get("name") in values:
            declaration["default"] = values[declaration["name"]]
    return cloned
