"""A worker taking a step to run: the one transition that says who runs which attempt, and since when.

A worker claims a step it received as a task (queued -> running), or, when finishing a step made
a successor ready on its own queue, that successor straight from pending (runner/progress.py
Keeper): then no task, no queued state and no second read of the step are needed.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.db import transaction
from django.utils import timezone

from runner import plan as states
from runner.events import run_transition, step_transition
from runner.models import RunStatus, StepRun
from runner.step_report import step_reports_reset


def step_claim(
    step: StepRun, worker: str, allowed: Iterable[str] = (states.QUEUED,), if_attempt: int | None = None, **fields: Any
) -> bool:
    """-> running as the next attempt, by `worker`; False if the step was not in `allowed` at
    `if_attempt` (its loaded attempt, unless given) any more. `fields` are set as well."""
    now, earlier_attempt = timezone.now(), step.attempt > 0
    # The run was loaded with the step: once running it never goes back to queued, so only
    # a run that was queued then needs the (conditional) update, not every step of it.
    run_queued = step.run.status == RunStatus.QUEUED
    # A first claim of a step of a running run is the transition alone, which is atomic by itself
    # (one statement on PostgreSQL): a transaction around it would cost two round trips.
    with transaction.atomic(savepoint=False) if earlier_attempt or run_queued else nullcontext():
        claimed = step_transition(
            step,
            allowed,
            states.RUNNING,
            if_attempt=step.attempt if if_attempt is None else if_attempt,
            extra={"started_at": now.isoformat()},  # the canvas counts the elapsed time from it
            **fields,
            attempt=step.attempt + 1,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            error="",  # a retry starts clean
        )
        if claimed and earlier_attempt:  # a first attempt has nothing to clear: spare it the queries
            step_reports_reset(step)
        if claimed and run_queued:
            run_transition(step.run, [RunStatus.QUEUED], RunStatus.RUNNING, started_at=now)
    return claimed
