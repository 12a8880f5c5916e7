"""Checking a node's move to another version of its workspace module, against that workspace's registry."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from designer.pipelines.catalog import workspace_registry
from modules.upgrade import UpgradeCheck, upgrade_check


def node_upgrade_check(
    workspace_id: int,
    module: str,
    current_version: str,
    target_version: str,
    parameters: Mapping[str, Any],
    connected_inputs: Mapping[str, str],
    connected_outputs: Mapping[str, Sequence[str]],
) -> UpgradeCheck:
    """What moving a node of `module` from one version to another changes; ModuleNotFound for a version not there."""
    registry = workspace_registry(workspace_id)
    current, target = registry.get(module, current_version), registry.get(module, target_version)
    check = upgrade_check(current, target, parameters, connected_inputs, connected_outputs, registry.compatible)
    refusal = registry.refusal(module, target_version)
    return replace(check, refusals=[*check.refusals, refusal]) if refusal else check
