"""Moving a node from one version of its module to another: what changes, and what would break.

The upgrade is refused when a connected port disappears or takes a type its connection no longer
fits, or when a parameter the node sets disappears or no longer parses. Otherwise the node gets
the new version with its parameters carried over (removed unset ones dropped, new ones at their
defaults), and the changes are listed for the person to read first. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from modules.spec import JSON, ModuleSpec, ParameterError, Port

Compatible = Callable[[str, str], bool]


@dataclass(frozen=True)
class UpgradeCheck:
    changes: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    parameters: dict[str, JSON] = field(default_factory=dict)  # the node's parameters after the upgrade

    @property
    def allowed(self) -> bool:
        return not self.refusals

    def to_json(self) -> dict[str, JSON]:
        return {
            "allowed": self.allowed,
            "changes": self.changes,
            "refusals": self.refusals,
            "parameters": self.parameters,
        }


def _is_set(value: JSON) -> bool:
    return value not in (None, "", [])


def _input_changes(
    current: ModuleSpec, target: ModuleSpec, connected: Mapping[str, str], compatible: Compatible
) -> Iterator[tuple[bool, str]]:
    """(refused?, message) for each input port that differs."""
    for port in current.inputs:
        new = target.input(port.name)
        source_type = connected.get(port.name)
        if new is None:
            if source_type is not None:
                yield True, f"input '{port.name}' is connected, but version {target.version} has no such input"
            else:
                yield False, f"input '{port.name}' is removed"
        elif new.type != port.type:
            if source_type is not None and not compatible(source_type, new.type):
                yield True, f"input '{port.name}' now takes {new.type}; its connection gives {source_type}"
            else:
                yield False, f"input '{port.name}' now takes {new.type} (was {port.type})"
    for port in target.inputs:
        if current.input(port.name) is None:
            needed = "" if port.optional else "; connect it before running"
            yield False, f"new input '{port.name}' ({port.type}){needed}"


def _output_changes(
    current: ModuleSpec, target: ModuleSpec, connected: Mapping[str, Sequence[str]], compatible: Compatible
) -> Iterator[tuple[bool, str]]:
    for port in current.outputs:
        new = target.output(port.name)
        target_types = connected.get(port.name, ())
        if new is None:
            if target_types:
                yield True, f"output '{port.name}' is connected, but version {target.version} has no such output"
            else:
                yield False, f"output '{port.name}' is removed"
        elif new.type != port.type:
            if any(not compatible(new.type, wanted) for wanted in target_types):
                yield True, f"output '{port.name}' now gives {new.type}, which a connected input does not take"
            else:
                yield False, f"output '{port.name}' now gives {new.type} (was {port.type})"
    yield from ((False, f"new output '{port.name}' ({port.type})") for port in _added(current.outputs, target.outputs))


def _added(before: Sequence[Port], after: Sequence[Port]) -> list[Port]:
    names = {port.name for port in before}
    return [port for port in after if port.name not in names]


def _parameter_changes(
    current: ModuleSpec, target: ModuleSpec, values: Mapping[str, JSON], carried: dict[str, JSON]
) -> Iterator[tuple[bool, str]]:
    for parameter in current.parameters:
        value = values.get(parameter.name)
        if target.parameter(parameter.name) is None:
            if _is_set(value) and value != parameter.default:
                yield True, f"parameter '{parameter.name}' is set to {value!r}, but version {target.version} drops it"
            else:
                yield False, f"parameter '{parameter.name}' is removed"
    for parameter in target.parameters:
        value = values.get(parameter.name)
        if current.parameter(parameter.name) is None:
            carried[parameter.name] = parameter.default
            unset = parameter.default is None and parameter.required
            yield False, f"new parameter '{parameter.name}'" + (" needs a value" if unset else "")
            continue
        carried[parameter.name] = value
        if not _is_set(value):
            continue
        try:
            parameter.parse(value)
        except ParameterError as error:
            yield True, f"parameter '{parameter.name}' = {value!r} no longer fits: {error}"


def upgrade_check(
    current: ModuleSpec,
    target: ModuleSpec,
    parameters: Mapping[str, JSON],
    connected_inputs: Mapping[str, str],
    connected_outputs: Mapping[str, Sequence[str]],
    compatible: Compatible,
) -> UpgradeCheck:
    """Can a node of `current` with these parameters and connections move to `target`?

    `connected_inputs`: input port -> the type its connection gives; `connected_outputs`: output
    port -> the types the inputs it feeds take; `compatible(source, target)`: the registry's rule.
    """
    carried: dict[str, JSON] = {}
    found = [
        *_input_changes(current, target, connected_inputs, compatible),
        *_output_changes(current, target, connected_outputs, compatible),
        *_parameter_changes(current, target, parameters, carried),
    ]
    if target.description != current.description:
        found.append((False, "the description changed"))
    changes = [message for refused, message in found if not refused]
    refusals = [message for refused, message in found if refused]
    return UpgradeCheck(changes=changes, refusals=refusals, parameters=carried)
