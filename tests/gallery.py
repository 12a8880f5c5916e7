"""Workspace modules for tests: a spec and code that really run, published through the domain function."""

from __future__ import annotations

import textwrap
from typing import Any

from designer.gallery.models import ModuleVersion
from designer.gallery.publishing import module_publish

SCALE_CODE = textwrap.dedent(
    """
    def main(dataset, factor):
        dataset = dataset.copy()
        dataset["scaled"] = dataset.iloc[:, 0] * factor
        print(f"scaled {len(dataset)} rows by {factor}")
        return dataset
    """
)


def scale_spec(**changes: Any) -> dict[str, Any]:
    """A module with a table in, a table out and a float parameter."""
    document = {
        "name": "scale",
        "display_name": "Scale",
        "category": "Team Modules",
        "description": "Adds a column: the first column times a factor.",
        "inputs": [{"name": "dataset", "type": "table"}],
        "outputs": [{"name": "dataset", "type": "table", "label": "Scaled"}],
        "parameters": [{"name": "factor", "kind": "float", "default": 2, "label": "Factor"}],
    }
    return document | changes


def publish_scale(team: Any, code: str = SCALE_CODE, **changes: Any) -> ModuleVersion:
    return module_publish(team.workspace, scale_spec(**changes), code, team.contributor)
