"""Compute targets of a workspace: named Celery queues with limits for the steps they run.

The default target ("default", or no `compute_target` on a node) is the installation's default
queue (CELERY_TASK_DEFAULT_QUEUE) and has no limits; a workspace adds its own, each served by
the workers started with `-Q <workspace slug>.<name>`.
"""

import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from designer.workspaces.models import ComputeTarget, Workspace

DEFAULT_TARGET = "default"
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
LIMITS = ("timeout_seconds", "cpu_seconds", "memory_mb")


class TargetError(ValueError):
    """A compute target that cannot be made or changed as asked, naming the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def target_queues(workspace: Workspace) -> dict[str, str]:
    """Target name -> queue, for every name a node of `workspace` may use ("" is the default)."""
    default = str(settings.CELERY_TASK_DEFAULT_QUEUE)
    queues = {"": default, DEFAULT_TARGET: default}
    queues.update((target.name, target.queue) for target in workspace.compute_targets.select_related("workspace"))
    return queues


def target_names(workspace: Workspace) -> frozenset[str]:
    return frozenset(target_queues(workspace))


def target_create(workspace: Workspace, name: str, description: str = "", **limits: Any) -> ComputeTarget:
    if not NAME_PATTERN.fullmatch(name):
        raise TargetError(
            "name", "lower-case letters, digits, '-' and '_' (at most 60), starting with a letter or digit"
        )
    if name == DEFAULT_TARGET:
        raise TargetError("name", "'default' is the installation's default target; choose another name")
    target = ComputeTarget(workspace=workspace, name=name, description=description)
    _set_limits(target, limits)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise TargetError("name", f"this workspace already has a compute target '{name}'") from None
    return target


def target_update(target: ComputeTarget, description: str | None = None, **limits: Any) -> ComputeTarget:
    if description is not None:
        target.description = description
    _set_limits(target, limits)
    target.save()
    return target


def _set_limits(target: ComputeTarget, limits: dict[str, Any]) -> None:
    for name, value in limits.items():
        if name not in LIMITS:
            raise TargetError(name, f"not a limit (limits are {', '.join(LIMITS)})")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            raise TargetError(name, "must be a positive number, or null for no limit")
        setattr(target, name, value)
