"""Binding references: a node field whose value is `{"$parameter": "<name>"}` takes the value of
the pipeline parameter `<name>` when the pipeline runs. Pure: no Django, no graph types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

BINDING_KEY = "$parameter"


def binding_name(value: Any) -> str | None:
    """The pipeline parameter `value` refers to, or None when it is a plain value."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get(BINDING_KEY), str):
        name: str = value[BINDING_KEY]
        return name
    return None


def binding(name: str) -> dict[str, str]:
    return {BINDING_KEY: name}


def resolve_bindings(parameters: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """`parameters` with every binding replaced by its pipeline parameter's value.

    A binding to a name `values` lacks stays as it is, so the module's own check names the field.
    """
    resolved = dict(parameters)
    for field, value in parameters.items():
        name = binding_name(value)
        if name is not None and name in values:
            resolved[field] = values[name]
    return resolved
