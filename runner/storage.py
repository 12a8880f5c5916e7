"""How much of the artifact store a workspace holds, and what its retention rules would free."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from designer.workspaces.models import Workspace
from runner.housekeeping import live_digests, plan_digests, recorded_sizes
from runner.release import release_plan, workspace_retention


def workspace_storage(workspace: Workspace, now: datetime | None = None) -> dict[str, Any]:
    """Bytes and artifacts the workspace's runs, cache and other keepers refer to; what applying
    its retention rules now would release (and free: bytes nothing else refers to); the rules."""
    now = now or timezone.now()
    held = recorded_sizes(live_digests(workspace.pk))
    plan = release_plan(workspace.pk, now)
    freed = recorded_sizes(plan_digests(plan.steps) - live_digests(without_steps=plan.steps))
    return {
        "bytes": sum(held.values()),
        "artifacts": len(held),
        "releasable": {
            "bytes": sum(freed.values()),
            "artifacts": len(freed),
            "runs": len(plan.runs),
            "steps": len(plan.steps),
        },
        "retention": workspace_retention(workspace.pk).to_json(),
    }
