"""A worker taking a step to run: the one transition that says who runs which attempt, and since when.

A worker claims a step it received as a task (queued -> running); a queued step that has no task
of its own (runner/progress.py steps_queue sends fewer tasks than it queues steps), by taking
the next one of its run and queue (step_claim_next; on PostgreSQL usually with the completion of
the step before, runner/progress.py Lookahead); or, when finishing a step made a successor
ready on its own queue, that successor straight from pending (runner/progress.py Keeper): then
no task, no queued state and no second read of the step are needed. A step is loaded with its
input references (recorded when it became ready), so running it reads nothing more.
"""

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from designer.pipelines.models import Pipeline, PipelineVersion
from runner import plan as states
from runner.events import RUN_TABLE, STEP_TABLE, ReadsAfter, run_transition, step_announced, step_transition
from runner.models import Run, RunStatus, StepRun
from runner.reads import Columns, Statement, joined, quoted, read_together
from runner.step_report import step_reports_reset

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
# Taking the oldest queued step of a run on PostgreSQL: one statement claims it (one that another
# worker is claiming is skipped, not waited for), numbers the claim's event and returns the step
# (CLAIMED), with the event's number last. AFTER_COMPLETED: only if a given step completed at a
# given attempt (sent after that step's completion, in its string, whose statements all run).
CLAIMED = Columns.all_but(StepRun, ["log"])
AFTER_COMPLETED = f"AND EXISTS (SELECT 1 FROM {STEP_TABLE} WHERE id = %s AND status = %s AND attempt = %s) "
CLAIM_NEXT_SQL, CLAIM_NEXT_AFTER_SQL = (
    f"WITH s AS (UPDATE {STEP_TABLE} SET status = %s, attempt = attempt + 1, started_at = %s, "
    f"heartbeat_at = %s, worker = %s, error = '' WHERE id = (SELECT id FROM {STEP_TABLE} "
    "WHERE run_id = %s AND queue = %s AND status = %s ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
    f"{after}RETURNING {CLAIMED.sql}), "
    f"numbered AS (UPDATE {RUN_TABLE} SET event_seq = event_seq + 1 WHERE id IN (SELECT run_id FROM s) "
    "RETURNING event_seq) SELECT s.*, numbered.event_seq FROM s CROSS JOIN numbered"
    for after in ("", AFTER_COMPLETED)
)
# SQLite: a lost race for the oldest queued step (another process claimed it between the read
# and the claim) is tried again a few times; it also means that process goes on taking them.
CLAIM_ROUNDS = 3


def step_loaded(step_id: int) -> StepRun | None:
    """The step (LOADED: with its run, version and pipeline), or None if it is gone. One statement."""
    [rows] = read_together([Statement(f"{LOAD_SQL} WHERE s.id = %s", [step_id])])
    return _loaded(rows[0]) if rows else None


def steps_queued_on(run_id: int, queue: str, limit: int = 1) -> list[StepRun]:
    """Up to `limit` of the oldest queued steps of run `run_id` on `queue`, LOADED as step_loaded loads them."""
    [rows] = read_together([Statement(QUEUED_SQL, [run_id, queue, states.QUEUED, limit])])
    return [_loaded(row) for row in rows]


def _loaded(row: Sequence[Any]) -> StepRun:
    step, run, version, pipeline = joined(row, *LOADED)
    run.version, run.pipeline = version, pipeline
    step.run = run
    return step


def step_claim_next(run: Run, queue: str, worker: str) -> StepRun | None:
    """Claim the oldest queued step of `run` (loaded with its version and pipeline) on `queue` for
    `worker`, with its input references; None if none is left to take. The step gets `run`."""
    claim = next_claim(run.pk, queue, worker)
    if claim is not None:
        [rows] = read_together([claim])
        return step_claimed(run, rows)
    for _ in range(CLAIM_ROUNDS):
        oldest = steps_queued_on(run.pk, queue)
        if not oldest:
            return None
        oldest[0].run = run
        if step_claim(oldest[0], worker):
            return oldest[0]
    return None


def next_claim(run_id: int, queue: str, worker: str, after: StepRun | None = None) -> Statement | None:
    """step_claim_next's claim as one statement, to send with others (see step_claimed); None
    on SQLite, which cannot update rows inside a WITH. `after`: a step whose completion at its
    attempt the claim follows: it claims nothing if that completion did not happen."""
    if connection.vendor != "postgresql":
        return None
    now = timezone.now()
    params = [states.RUNNING, now, now, worker, run_id, queue, states.QUEUED]
    if after is None:
        return Statement(CLAIM_NEXT_SQL, params)
    return Statement(CLAIM_NEXT_AFTER_SQL, [*params, after.pk, states.COMPLETED, after.attempt])


def step_claimed(run: Run, rows: Sequence[Sequence[Any]]) -> StepRun | None:
    """The step of `run` that the rows of a next_claim statement say it claimed, announced; None
    if none.

    What step_claim does within its claim, done after this one: a run still queued starts, and
    a later attempt's step loses what an earlier attempt reported. Should this worker die in
    between, a reaper queues the step again, and its next claim does both."""
    if not rows:
        return None
    *columns, seq = rows[0]
    step: StepRun = CLAIMED.instance(columns)
    step.run = run
    step_announced(step, seq, extra={"started_at": step.started_at.isoformat() if step.started_at else None})
    if run.status == RunStatus.QUEUED:
        run_transition(run, [RunStatus.QUEUED], RunStatus.RUNNING, started_at=step.started_at)
    if step.attempt > 1:
        step_reports_reset(step)
    return step


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
