"""Workers as the database knows them, so that any process can tell a dead worker from a busy one.

Each `celery worker` records itself when it starts, renews `last_seen_at` every
HEARTBEAT_SECONDS (runner/heartbeat.py) and marks itself stopped when it shuts down. A worker
silent for LOST_AFTER_SECONDS, or whose process is gone from this machine, is lost: a reaper
(runner/reaper.py) then queues its steps again. The same records say whether a compute target
has a worker at all, so a step waiting for one says so instead of hanging.
"""

import os
import socket
import time
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from designer.workspaces.targets import DEFAULT_TARGET
from runner.models import StepRun, Worker
from runner.processes import process_alive
from runner.step_user import step_user

SERVED_CACHE_SECONDS = 1.0
_served_cache: tuple[float, dict[str, int]] | None = None


def worker_started(name: str, queues: Iterable[str], concurrency: int) -> Worker:
    now = timezone.now()
    worker, _ = Worker.objects.update_or_create(
        name=name,
        defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "queues": sorted(set(queues)),
            "concurrency": concurrency,
            "steps_run_as": step_user().description,
            "started_at": now,
            "last_seen_at": now,
            "stopped_at": None,
            "lost": False,
        },
    )
    return worker


def worker_beat(name: str) -> bool:
    """Renew the worker's heartbeat; False if it is not registered (the caller registers it again).

    A worker a reaper thought lost (it was paused, say) comes back to life: its steps were
    queued again meanwhile, and its own late results are refused (they name an old attempt).
    """
    renewed = Worker.objects.filter(name=name).update(last_seen_at=timezone.now(), stopped_at=None, lost=False)
    return bool(renewed)


def worker_stopped(name: str) -> None:
    Worker.objects.filter(name=name, stopped_at=None).update(stopped_at=timezone.now())


def lost_cutoff(now: datetime | None = None) -> datetime:
    """Heartbeats older than this are from workers (or steps) presumed dead."""
    return (now or timezone.now()) - timedelta(seconds=settings.LOST_AFTER_SECONDS)


def live_workers(now: datetime | None = None) -> QuerySet[Worker]:
    return Worker.objects.filter(stopped_at=None, last_seen_at__gte=lost_cutoff(now))


def served_queues(now: datetime | None = None) -> set[str]:
    return set(_concurrency_by_queue(now))


def _concurrency_by_queue(now: datetime | None = None) -> dict[str, int]:
    """Queue -> how many steps the live workers serving it run at once (their pool processes)."""
    served: dict[str, int] = {}
    for queues, concurrency in live_workers(now).values_list("queues", "concurrency"):
        for queue in queues:
            served[queue] = served.get(queue, 0) + concurrency
    return served


def waiting_for(step: StepRun, served: Collection[str] | None = None) -> str:
    """What a step in the queue waits for besides its turn: "" or "waiting: no worker for target gpu"."""
    if step.queue in (served if served is not None else _served_recently()):
        return ""
    return f"waiting: no worker for target {step.compute_target or DEFAULT_TARGET}"


def queue_concurrency(queue: str) -> int:
    """How many steps of `queue` live workers run at once, as of at most a second ago (0: none serves it)."""
    return _served_recently().get(queue, 0)


def _served_recently() -> dict[str, int]:
    """_concurrency_by_queue(), remembered for a second: dispatching many steps asks it for each one."""
    global _served_cache
    now = time.monotonic()
    if _served_cache is None or now - _served_cache[0] > SERVED_CACHE_SECONDS:
        _served_cache = (now, _concurrency_by_queue())
    return _served_cache[1]


def workers_gone(now: datetime) -> list[Worker]:
    """Workers that neither stopped cleanly nor renewed their heartbeat in time, or whose process
    on this machine has ended (then there is no need to wait for the heartbeat to go stale)."""
    running = Worker.objects.filter(stopped_at=None)
    stale = list(running.filter(last_seen_at__lt=lost_cutoff(now)))
    here = running.filter(host=socket.gethostname(), last_seen_at__gte=lost_cutoff(now))
    return stale + [worker for worker in here if not process_alive(worker.pid)]


def worker_mark_lost(worker: Worker, now: datetime) -> bool:
    """Mark `worker` lost unless it renewed its heartbeat meanwhile; True if this call marked it."""
    marked = Worker.objects.filter(pk=worker.pk, stopped_at=None, last_seen_at=worker.last_seen_at)
    return bool(marked.update(stopped_at=now, lost=True))
