"""Putting back work whose worker died, so that no run is left running forever.

Every worker runs `reap()` with its heartbeat (runner/heartbeat.py) and the embedded server runs
it as it starts; any number may run at once, since every change is a conditional update. It:

1. marks lost the workers that stopped renewing their heartbeat (or whose process on this
   machine is gone);
2. queues again each running step whose own heartbeat went stale or whose worker is lost, at
   most STEP_MAX_ATTEMPTS times in all, then fails it with a message that says so;
3. sends again the tasks of steps queued on a lost worker's queues (it may have held them when it
   died, or been taking a fan-out's queued steps that have no task of their own: see
   runner/execute.py; a second delivery of a task whose step is already taken only takes what
   else is queued); a step a worker kept to run next itself is running from the start, so 2.
   covers it;
4. advances every active run with no step queued or running (a worker died between recording a
   step and dispatching its successors, or while it waited out a retry's backoff).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from runner import plan as states
from runner.events import step_transition
from runner.models import RUN_ACTIVE, Run, StepRun, Worker
from runner.progress import enqueue_on_commit, run_advance, step_dispatch
from runner.workers import lost_cutoff, worker_mark_lost, workers_gone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reaped:
    workers_lost: int = 0
    steps_requeued: int = 0
    steps_failed: int = 0
    tasks_resent: int = 0
    runs_advanced: int = 0

    def __bool__(self) -> bool:
        """Did it find anything dead? (Advancing runs that wait out a retry's backoff is routine.)"""
        return any((self.workers_lost, self.steps_requeued, self.steps_failed, self.tasks_resent))


def reap(now: datetime | None = None) -> Reaped:
    now = now or timezone.now()
    lost = [worker for worker in workers_gone(now) if worker_mark_lost(worker, now)]
    for worker in lost:
        logger.warning(
            "worker %s on %s stopped answering (last seen %s)", worker.name, worker.host, worker.last_seen_at
        )
    requeued, failed = _recover_steps(now)
    reaped = Reaped(
        workers_lost=len(lost),
        steps_requeued=requeued,
        steps_failed=failed,
        tasks_resent=_resend_queued(lost),
        runs_advanced=_advance_stalled_runs(),
    )
    if reaped:
        logger.warning("reaper: %s", reaped)
    return reaped


def _recover_steps(now: datetime) -> tuple[int, int]:
    lost_names = Worker.objects.filter(lost=True).values_list("name", flat=True)
    silent = Q(heartbeat_at__lt=lost_cutoff(now)) | Q(heartbeat_at=None, started_at__lt=lost_cutoff(now))
    orphans = StepRun.objects.filter(silent | Q(worker__in=lost_names), status=states.RUNNING).select_related("run")
    requeued = failed = 0
    for step in orphans:
        if step.worker_losses + 1 >= settings.STEP_MAX_ATTEMPTS:
            failed += _give_up(step, now)
        else:
            requeued += _requeue(step, now)
    return requeued, failed


def _requeue(step: StepRun, now: datetime) -> bool:
    """running -> queued for another attempt; the old attempt's late result, if any, is refused."""
    lost = step.worker_losses + 1
    why = step.reason.split("; worker lost")[0]
    return step_dispatch(
        step,
        allowed=[states.RUNNING],
        if_attempt=step.attempt,
        worker_losses=lost,
        queued_at=now,
        reason=f"{why}; worker lost ({step.worker or 'unknown'}), attempt {step.attempt + 1}",
    )


def _give_up(step: StepRun, now: datetime) -> bool:
    message = (
        f"the worker running this step was lost {step.worker_losses + 1} times (last: {step.worker or 'unknown'}, "
        f"no heartbeat since {(step.heartbeat_at or step.started_at or now):%Y-%m-%d %H:%M:%S} UTC); "
        f"gave up after {settings.STEP_MAX_ATTEMPTS} attempts"
    )
    failed = step_transition(
        step,
        [states.RUNNING],
        states.FAILED,
        if_attempt=step.attempt,
        message=message,
        error=message,
        worker_losses=step.worker_losses + 1,
        finished_at=now,
    )
    if failed:
        run_advance(step.run_id)
    return failed


def _resend_queued(lost: list[Worker]) -> int:
    queues = {queue for worker in lost for queue in worker.queues}
    waiting = StepRun.objects.filter(status=states.QUEUED, queue__in=queues).values_list("pk", "queue")
    for step_id, queue in waiting:
        enqueue_on_commit(step_id, queue)
    return len(waiting)


def _advance_stalled_runs() -> int:
    busy = StepRun.objects.filter(status__in=[states.QUEUED, states.RUNNING]).values("run_id")
    stalled = list(Run.objects.filter(status__in=RUN_ACTIVE).exclude(pk__in=busy).values_list("pk", flat=True))
    for run_id in stalled:
        run_advance(run_id)
    return len(stalled)
