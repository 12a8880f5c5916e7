"""Canceling a run: it ends `canceled` at once; its unfinished steps become `canceled`.

Pending and queued steps then never start (a queued task finds its step no longer queued).
A running step's worker notices within runner.supervise.POLL_SECONDS that its step is no
longer running and terminates the step's process (TERM, then KILL after CANCEL_GRACE_SECONDS).
"""

from django.db import transaction
from django.utils import timezone

from runner import plan as states
from runner.events import run_transition, step_transition
from runner.models import RUN_ACTIVE, Run, RunStatus

UNFINISHED = (states.PENDING, states.QUEUED, states.RUNNING)


class RunNotActive(ValueError):
    """The run has already finished; there is nothing to cancel."""


def run_cancel(run: Run, who: str = "") -> Run:
    """Cancel `run`; raises RunNotActive if it already finished."""
    now = timezone.now()
    error = f"canceled by {who}" if who else "canceled"
    with transaction.atomic():
        # Rows are locked in the order every transition takes them, steps (by id) before their
        # run, so a cancel waits for a dispatch or record in flight instead of deadlocking with
        # it; holding the steps, it then ends the run before anyone can start another of them.
        # (SQLite locks the whole database and ignores this.)
        list(run.steps.filter(status__in=UNFINISHED).order_by("id").select_for_update().values_list("pk"))
        if not run_transition(run, RUN_ACTIVE, RunStatus.CANCELED, finished_at=now, error=error):
            run.refresh_from_db()
            raise RunNotActive(f"run {run.number} already {run.status}; there is nothing to cancel")
        for step in run.steps.filter(status__in=UNFINISHED):
            step_transition(step, UNFINISHED, states.CANCELED, message=error, error=error, finished_at=now)
    return run
