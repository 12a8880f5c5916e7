"""Applying the retention rules (runner/retention.py): releasing the outputs of runs no rule keeps.

A released step keeps its record, log and `outputs` (the digests it wrote), gets
`outputs_released_at`, and the cache entries pointing at it go, so no later step reuses them.
Its files go at the next garbage collection after the grace period, unless something else still
refers to the same bytes. A step of a released run is kept when a kept run reused its outputs
(it is that cached step's `cached_from`): keeping a run keeps everything it shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from designer.workspaces.models import Workspace
from runner import plan as states
from runner.models import RUN_ACTIVE, CacheEntry, Run, StepRun, WorkspaceRetention
from runner.retention import RetentionRules, RunFacts, runs_to_release

T = TypeVar("T")
BATCH = 500  # ids per IN (...) clause: SQLite limits the variables of one statement


@dataclass(frozen=True)
class ReleasePlan:
    """The steps whose outputs go, and the runs they belong to."""

    steps: frozenset[int] = frozenset()
    runs: frozenset[int] = frozenset()


@dataclass(frozen=True)
class WorkspaceRetentionState:
    defaults: RetentionRules
    keep_days: int | None = None  # the owner's override; None: the default
    keep_last: int | None = None
    rules: RetentionRules = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", self.defaults.overridden(self.keep_days, self.keep_last))

    def to_json(self) -> dict[str, object]:
        override = {"keep_days": self.keep_days, "keep_last": self.keep_last}
        return {"rules": self.rules.to_json(), "defaults": self.defaults.to_json(), "override": override}


def default_rules() -> RetentionRules:
    return RetentionRules(keep_days=settings.RETENTION_DAYS, keep_last=settings.RETENTION_KEEP_LAST)


def workspace_retention(workspace_id: int) -> WorkspaceRetentionState:
    """The rules in force in a workspace: the defaults with its owner's override."""
    override = WorkspaceRetention.objects.filter(workspace_id=workspace_id).first()
    if override is None:
        return WorkspaceRetentionState(default_rules())
    return WorkspaceRetentionState(default_rules(), override.keep_days, override.keep_last)


def workspace_retention_set(
    workspace: Workspace, keep_days: int | None, keep_last: int | None, user: AbstractBaseUser | None
) -> WorkspaceRetentionState:
    """Override the defaults in `workspace` (None: use the default); applied at the next collection."""
    WorkspaceRetention.objects.update_or_create(
        workspace=workspace, defaults={"keep_days": keep_days, "keep_last": keep_last, "updated_by": user}
    )
    return workspace_retention(workspace.pk)


def run_keep_set(run: Run, keep: bool) -> Run:
    """Pin a run (its outputs are never released) or unpin it. Outputs already released stay released."""
    Run.objects.filter(pk=run.pk).update(keep=keep)
    run.keep = keep
    return run


def release_plan(workspace_id: int, now: datetime) -> ReleasePlan:
    """What the workspace's rules release at `now`; nothing changes."""
    rules = workspace_retention(workspace_id).rules
    runs = frozenset(runs_to_release(_run_facts(workspace_id), rules, now))
    if not runs:
        return ReleasePlan()
    in_workspace = StepRun.objects.filter(run__pipeline__workspace_id=workspace_id, outputs_released_at=None)
    reused_by_kept = {
        producer
        for run_id, producer in in_workspace.filter(cached_from__isnull=False).values_list("run_id", "cached_from_id")
        if run_id not in runs
    }
    candidates = in_workspace.filter(status__in=states.DONE).values_list("pk", "run_id")
    going = [(pk, run_id) for pk, run_id in candidates if run_id in runs and pk not in reused_by_kept]
    return ReleasePlan(steps=frozenset(pk for pk, _ in going), runs=frozenset(run_id for _, run_id in going))


def outputs_release(plan: ReleasePlan, now: datetime) -> int:
    """Mark the plan's steps released at `now` and drop the cache entries pointing at them; returns how many."""
    released = 0
    with transaction.atomic():
        for batch in batches(sorted(plan.steps)):
            released += StepRun.objects.filter(pk__in=batch, outputs_released_at=None).update(outputs_released_at=now)
            CacheEntry.objects.filter(step_id__in=batch).delete()
    return released


def batches(ids: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _run_facts(workspace_id: int) -> Iterator[RunFacts]:
    rows = Run.objects.filter(pipeline__workspace_id=workspace_id).values_list(
        "pk", "pipeline_id", "number", "finished_at", "status", "keep"
    )
    for pk, pipeline_id, number, finished_at, status, keep in rows:
        active = status in RUN_ACTIVE
        yield RunFacts(pk, pipeline_id, number, None if active else finished_at, active, keep)
