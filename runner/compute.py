"""What a workspace's compute targets are, with the workers serving each right now."""

from typing import Any

from django.conf import settings

from designer.workspaces.models import ComputeTarget, Workspace
from designer.workspaces.targets import DEFAULT_TARGET, LIMITS
from runner.models import Worker
from runner.workers import live_workers


def targets_overview(workspace: Workspace) -> list[dict[str, Any]]:
    """The default target, then the workspace's own, each with its queue, limits and live workers."""
    workers = list(live_workers())
    default = {
        "name": DEFAULT_TARGET,
        "queue": settings.CELERY_TASK_DEFAULT_QUEUE,
        "description": "Runs every node that names no other target.",
        "default": True,
        **dict.fromkeys(LIMITS),
    }
    targets = [default] + [target_json(target) for target in workspace.compute_targets.select_related("workspace")]
    for target in targets:
        serving = [worker for worker in workers if target["queue"] in worker.queues]
        target["workers"] = [_worker_json(worker) for worker in serving]
        target["worker_command"] = f"celery -A designer worker -Q {target['queue']}"
    return targets


def target_json(target: ComputeTarget) -> dict[str, Any]:
    limits = {name: getattr(target, name) for name in LIMITS}
    return {"name": target.name, "queue": target.queue, "description": target.description, "default": False, **limits}


def _worker_json(worker: Worker) -> dict[str, Any]:
    return {
        "name": worker.name,
        "host": worker.host,
        "concurrency": worker.concurrency,
        "steps_run_as": worker.steps_run_as,
        "started_at": worker.started_at.isoformat(),
        "last_seen_at": worker.last_seen_at.isoformat(),
    }
