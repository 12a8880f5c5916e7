"""Runs a previous embedded server left unfinished: its worker died with it, so they never will."""

from django.db.models import QuerySet
from django.utils import timezone

from runner import plan as states
from runner.events import run_transition, step_transition
from runner.models import RUN_ACTIVE, Run, RunStatus

INTERRUPTED = "interrupted: the server stopped while this run was in progress"


def fail_interrupted_runs() -> int:
    """Mark every queued or running run failed (unfinished steps failed or skipped); returns how many.

    Call it only when no worker can be working on them, i.e. as the embedded server starts.
    """
    failed = 0
    for run in _active_runs():
        now = timezone.now()
        for step in run.steps.filter(status__in=[states.QUEUED, states.RUNNING]):
            step_transition(
                step,
                [states.QUEUED, states.RUNNING],
                states.FAILED,
                message=INTERRUPTED,
                error=INTERRUPTED,
                finished_at=now,
            )
        for step in run.steps.filter(status=states.PENDING):
            step_transition(step, [states.PENDING], states.SKIPPED, finished_at=now)
        failed += run_transition(run, RUN_ACTIVE, RunStatus.FAILED, error=INTERRUPTED, finished_at=now)
    return failed


def _active_runs() -> QuerySet[Run]:
    return Run.objects.filter(status__in=RUN_ACTIVE).order_by("id")
