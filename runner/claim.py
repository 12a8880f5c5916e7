"""A worker taking a step to run: the one transition that says who runs which attempt, and since when.

A worker claims a step it received as a task (queued -> running); a queued step that has no task
of its own (runner/progress.py steps_queue sends fewer tasks than it queues steps), by taking
the next one of its run and queue (step_claim_next); or, when finishing a step made a successor
ready on its own queue, that successor straight from pending (runner/progress.py Keeper): then
no task, no queued state and no second read of the step are needed.
"""

import random
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.pipelines.models import Pipeline, PipelineVersion
from runner import plan as states
from runner.events import RUN_TABLE, STEP_TABLE, ReadsAfter, run_transition, step_transition
from runner.models import Run, RunStatus, StepRun
from runner.reads import Columns, Statement, joined, quoted, read_together
from runner.reuse import References, refs_of_rows, upstream_select
from runner.step_report import step_reports_reset
from runner.versions import plan_for

# A step as running it reads it, with its run, the run's version and pipeline: not the step's
# log, the version's graph (runner/versions.py reads it once) or the pipeline's draft.
LOADED = (
    Columns.all_but(StepRun, ["log"], alias="s"),
    Columns.all_but(Run, alias="r"),
    Columns.all_but(PipelineVersion, ["graph"], alias="v"),
    Columns(Pipeline, ["id", "workspace", "name"], alias="p"),
)
LOAD_SQL = (
    f"SELECT {', '.join(columns.sql for columns in LOADED)} FROM {STEP_TABLE} s "
    f"JOIN {RUN_TABLE} r ON r.id = s.run_id JOIN {quoted(PipelineVersion)} v ON v.id = r.version_id "
    f"JOIN {quoted(Pipeline)} p ON p.id = r.pipeline_id"
)
# The oldest queued steps of a run on a queue: found through the index on run_id, among the
# run's steps. (An index on status would find them among all runs' steps, but would make every
# status change of a step update all of its indexes: PostgreSQL's HOT updates skip only
# changes of columns no index refers to.)
QUEUED_SQL = f"{LOAD_SQL} WHERE s.run_id = %s AND s.queue = %s AND s.status = %s ORDER BY s.id LIMIT %s"
# Workers taking the next queued step pick one of the oldest few at random, so that two of them
# finishing at once rarely race for the same one; a lost race tries the others, then reads again.
CANDIDATES = 4
CLAIM_ROUNDS = 3


def step_loaded(step_id: int) -> StepRun | None:
    """The step (LOADED: with its run, version and pipeline), or None if it is gone. One statement."""
    [rows] = read_together([Statement(f"{LOAD_SQL} WHERE s.id = %s", [step_id])])
    return _loaded(rows[0]) if rows else None


def steps_queued_on(run_id: int, queue: str, limit: int = CANDIDATES) -> list[StepRun]:
    """Up to `limit` of the oldest queued steps of run `run_id` on `queue`, LOADED as step_loaded loads them."""
    [rows] = read_together([queued_select(run_id, queue, limit)])
    return [_loaded(row) for row in rows]


def queued_select(run_id: int, queue: str, limit: int = CANDIDATES) -> Statement:
    """The read of steps_queued_on, to send with others; its rows are what step_claim_next knows."""
    return Statement(QUEUED_SQL, [run_id, queue, states.QUEUED, limit])


def _loaded(row: tuple[Any, ...]) -> StepRun:
    step, run, version, pipeline = joined(row, *LOADED)
    run.version, run.pipeline = version, pipeline
    step.run = run
    return step


def step_claim_next(
    run_id: int, queue: str, worker: str, known: Sequence[tuple[Any, ...]] = ()
) -> tuple[StepRun, References] | None:
    """Claim one of the oldest queued steps of run `run_id` on `queue` for `worker`, with its
    input references (read in the claim's round trip); None if none is left to take.

    `known`: rows of queued_select read a moment ago (runner/progress.py Lookahead), tried first.
    Rows, not steps: of the few read, one is claimed, and making a step with its run, version
    and pipeline costs a tenth of a drained step's CPU."""
    for reading in range(CLAIM_ROUNDS + 1):  # the known rows first (no read), then fresh ones
        rows = list(known) if reading == 0 else read_together([queued_select(run_id, queue)])[0]
        if not rows and reading > 0:
            return None
        random.shuffle(rows)
        for row in rows:
            step = _loaded(row)
            plan = plan_for(step.run.version)
            upstream = upstream_select(step, plan)
            reads = ReadsAfter([upstream]) if upstream else None
            if step_claim(step, worker, then=reads):
                return step, refs_of_rows(step, plan, reads.rows[0] if reads and reads.rows else [])
    return None


def step_claim(
    step: StepRun,
    worker: str,
    allowed: Iterable[str] = (states.QUEUED,),
    if_attempt: int | None = None,
    then: ReadsAfter | None = None,
    **fields: Any,
) -> bool:
    """-> running as the next attempt, by `worker`; False if the step was not in `allowed` at
    `if_attempt` (its loaded attempt, unless given) any more. `fields` are set as well; `then`:
    reads made once it moved, in the same round trip (see step_transition)."""
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
            then=then,
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
