"""Typed module specs: ports, parameters and the function that does the work.

A module is a `ModuleSpec` declared beside its function with the `module` decorator.
The API serves specs as JSON; the canvas builds its palette, ports and forms from them,
so a new module needs no frontend code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from modules.schema import SchemaInference, Schemas, TableSchema

ParameterKind = Literal[
    "int", "float", "string", "text", "bool", "choice", "column", "columns", "dataset", "dataset_version"
]
JSON = Any


class ParameterError(ValueError):
    """A parameter value does not fit its spec; the message is shown to the user."""


class ModuleError(Exception):
    """A module refused its input; raised from module code with a message for the user."""


@dataclass(frozen=True)
class Port:
    name: str
    type: str
    label: str = ""
    description: str = ""
    optional: bool = False

    def to_json(self) -> dict[str, JSON]:
        return {
            "name": self.name,
            "type": self.type,
            "label": self.label or self.name.replace("_", " ").capitalize(),
            "description": self.description,
            "optional": self.optional,
        }


@dataclass(frozen=True)
class Parameter:
    """A typed parameter. `parse` turns the JSON stored in a graph into the typed value."""

    name: str
    kind: ParameterKind
    label: str = ""
    default: JSON = None
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    description: str = ""
    # For column parameters: the input port whose columns it names (default: the first table input).
    of_input: str | None = None

    def parse(self, raw: JSON) -> JSON:
        """The typed value for `raw` (None means "not set"); raises ParameterError."""
        if raw is None or raw == "" or raw == []:
            if self.default is not None:
                return self.default
            if self.required:
                raise ParameterError("a value is required")
            return None
        parse = _PARSERS[self.kind]
        value = parse(self, raw)
        self._check_range(value)
        return value

    def _check_range(self, value: JSON) -> None:
        if self.kind not in ("int", "float"):
            return
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"must be at least {self.minimum}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"must be at most {self.maximum}, got {value}")

    def to_json(self) -> dict[str, JSON]:
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label or self.name.replace("_", " ").capitalize(),
            "default": self.default,
            "required": self.required,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "choices": list(self.choices),
            "description": self.description,
            "of_input": self.of_input,
        }


def _parse_int(_: Parameter, raw: JSON) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ParameterError(f"must be a whole number, got {raw!r}")
    try:
        number = float(raw)
    except ValueError:
        raise ParameterError(f"must be a whole number, got {raw!r}") from None
    if not number.is_integer():
        raise ParameterError(f"must be a whole number, got {raw!r}")
    return int(number)


def _parse_float(_: Parameter, raw: JSON) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ParameterError(f"must be a number, got {raw!r}")
    try:
        number = float(raw)
    except ValueError:
        raise ParameterError(f"must be a number, got {raw!r}") from None
    if not math.isfinite(number):
        raise ParameterError(f"must be a finite number, got {raw!r}")
    return number


def _parse_string(_: Parameter, raw: JSON) -> str:
    if not isinstance(raw, str):
        raise ParameterError(f"must be text, got {raw!r}")
    return raw


def _parse_bool(_: Parameter, raw: JSON) -> bool:
    if not isinstance(raw, bool):
        raise ParameterError(f"must be true or false, got {raw!r}")
    return raw


def _parse_choice(parameter: Parameter, raw: JSON) -> str:
    if raw not in parameter.choices:
        allowed = ", ".join(parameter.choices)
        raise ParameterError(f"must be one of {allowed}; got {raw!r}")
    return str(raw)


def _parse_columns(_: Parameter, raw: JSON) -> list[str]:
    if isinstance(raw, str):
        raw = [name.strip() for name in raw.split(",") if name.strip()]
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise ParameterError(f"must be a list of column names, got {raw!r}")
    if len(set(raw)) != len(raw):
        raise ParameterError("names a column more than once")
    return list(raw)


def _parse_dataset(_: Parameter, raw: JSON) -> int:
    """A workspace dataset, by its id (the canvas picks it from the workspace's datasets)."""
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit() or int(raw) < 1:
        raise ParameterError(f"must name a dataset by its id, got {raw!r}")
    return int(raw)


DIGEST = re.compile(r"[0-9a-f]{64}")


def _parse_dataset_version(_: Parameter, raw: JSON) -> str:
    """A dataset version, by the sha256 content digest of its stored table."""
    if not isinstance(raw, str) or not DIGEST.fullmatch(raw):
        raise ParameterError(f"must be a dataset version's content digest (64 hexadecimal digits), got {raw!r}")
    return raw


_PARSERS: dict[str, Callable[[Parameter, JSON], JSON]] = {
    "int": _parse_int,
    "float": _parse_float,
    "string": _parse_string,
    "text": _parse_string,  # the same value as string; the canvas edits it in a multi-line box
    "bool": _parse_bool,
    "choice": _parse_choice,
    "column": _parse_string,
    "columns": _parse_columns,
    "dataset": _parse_dataset,
    "dataset_version": _parse_dataset_version,
}

ModuleFunction = Callable[..., Mapping[str, object]]


@dataclass(frozen=True)
class ModuleSpec:
    """What the designer knows of a module, plus the function that runs it.

    The function takes each input port and each parameter as a keyword argument
    and returns a mapping from output port name to value.
    """

    name: str
    version: str
    display_name: str
    category: str
    function: ModuleFunction
    description: str = ""
    inputs: tuple[Port, ...] = ()
    outputs: tuple[Port, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    deterministic: bool = True
    source_file: str = field(default="", compare=False)
    # What the cache key knows of the code when it is not a source file (workspace modules).
    code_digest: str = field(default="", compare=False)
    infer_schema: SchemaInference | None = field(default=None, compare=False)
    # For a module whose determinism depends on its parameters (Import Data from a URL): given the
    # parsed parameters, True when a step's outputs may differ from run to run.
    nondeterministic_when: Callable[[Mapping[str, JSON]], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        names = [p.name for p in self.inputs] + [p.name for p in self.parameters]
        clashes = {name for name in names if names.count(name) > 1}
        if clashes:
            raise ValueError(f"module {self.name}: names used twice among inputs and parameters: {sorted(clashes)}")
        outputs = [p.name for p in self.outputs]
        if len(set(outputs)) != len(outputs):
            raise ValueError(f"module {self.name}: an output port name is used twice")

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def input(self, name: str) -> Port | None:
        return next((port for port in self.inputs if port.name == name), None)

    def output(self, name: str) -> Port | None:
        return next((port for port in self.outputs if port.name == name), None)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def column_input(self, parameter: Parameter) -> str | None:
        """The input port whose columns a column parameter names."""
        if parameter.of_input:
            return parameter.of_input
        return next((port.name for port in self.inputs if port.type == "table"), None)

    def output_schemas(self, inputs: Schemas, raw_parameters: Mapping[str, JSON]) -> dict[str, TableSchema | None]:
        """The columns of each output, as far as they are known before running; None where unknown."""
        unknown: dict[str, TableSchema | None] = dict.fromkeys((port.name for port in self.outputs), None)
        if self.infer_schema is None:
            return unknown
        try:
            parameters = self.parse_parameters(raw_parameters)
            return unknown | self.infer_schema(inputs, parameters)
        except (ParameterError, ModuleError, KeyError, TypeError, ValueError):
            return unknown  # a parameter the problems already name, or an input not known yet

    def deterministic_for(self, raw_parameters: Mapping[str, JSON]) -> bool:
        """Do the same inputs and these parameters always give the same outputs (so they may be reused)?"""
        if not self.deterministic:
            return False
        if self.nondeterministic_when is None:
            return True
        try:
            return not self.nondeterministic_when(self.parse_parameters(raw_parameters))
        except ParameterError:
            return False  # the step fails anyway; never reuse what it did

    def parse_parameters(self, raw: Mapping[str, JSON]) -> dict[str, JSON]:
        """Every declared parameter parsed; the first bad one raises ParameterError naming it."""
        values = {}
        for parameter in self.parameters:
            try:
                values[parameter.name] = parameter.parse(raw.get(parameter.name))
            except ParameterError as error:
                raise ParameterError(f"parameter '{parameter.name}': {error}") from None
        return values

    def run(self, inputs: Mapping[str, object], parameters: Mapping[str, JSON]) -> dict[str, object]:
        """Run the module on loaded inputs and raw parameters; checks it returned every output."""
        outputs = self.function(**inputs, **self.parse_parameters(parameters))
        missing = [p.name for p in self.outputs if p.name not in outputs]
        if missing:
            raise ModuleError(f"module {self.key} returned no value for output(s) {', '.join(missing)}")
        return dict(outputs)

    def to_json(self) -> dict[str, JSON]:
        return {
            "name": self.name,
            "version": self.version,
            "display_name": self.display_name,
            "category": self.category,
            "description": self.description,
            "inputs": [port.to_json() for port in self.inputs],
            "outputs": [port.to_json() for port in self.outputs],
            "parameters": [parameter.to_json() for parameter in self.parameters],
            "deterministic": self.deterministic,
        }


def module(
    *,
    name: str,
    version: str,
    display_name: str,
    category: str,
    description: str = "",
    inputs: Sequence[Port] = (),
    outputs: Sequence[Port] = (),
    parameters: Sequence[Parameter] = (),
    deterministic: bool = True,
    schema: SchemaInference | None = None,
    nondeterministic_when: Callable[[Mapping[str, JSON]], bool] | None = None,
) -> Callable[[ModuleFunction], ModuleSpec]:
    """Declare a module spec beside its function: `@module(...)` turns the function into a ModuleSpec."""

    def declare(function: ModuleFunction) -> ModuleSpec:
        return ModuleSpec(
            name=name,
            version=version,
            display_name=display_name,
            category=category,
            function=function,
            description=description or (function.__doc__ or "").strip(),
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            parameters=tuple(parameters),
            deterministic=deterministic,
            source_file=function.__code__.co_filename,
            infer_schema=schema,
            nondeterministic_when=nondeterministic_when,
        )

    return declare
