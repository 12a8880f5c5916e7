"""Every status change of a run or step: a conditional update, a sequence number, an event.

SQLite ignores row locks, so a transition is `UPDATE ... WHERE status IN (allowed)`: of two
processes racing for the same change exactly one updates a row, and only it announces. The
announcement goes through the live outlet, which sends it after the transaction commits.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction

from runner.models import Run, StepRun

RUN_TABLE = Run._meta.db_table


def _transaction() -> transaction.Atomic:
    """A transaction of its own, or a part of the caller's without a savepoint: no caller
    recovers from a failed transition inside its transaction, and a savepoint costs two more
    round trips to the database (SAVEPOINT, RELEASE) on every transition a worker makes."""
    return transaction.atomic(savepoint=False)


def step_transition(
    step: StepRun,
    allowed: Iterable[str],
    status: str,
    message: str = "",
    if_attempt: int | None = None,
    extra: Mapping[str, Any] | None = None,
    **fields: Any,
) -> bool:
    """Move `step` from one of `allowed` to `status`, setting `fields`; False if it was elsewhere.

    `if_attempt` also requires the step to be at that attempt. `message` is the short error
    for the event; `fields` may set the full `error` text; `extra` adds keys to the event only.
    On success the in-memory `step` is updated too.
    """
    rows = StepRun.objects.filter(pk=step.pk, status__in=list(allowed))
    if if_attempt is not None:
        rows = rows.filter(attempt=if_attempt)
    with _transaction():
        changed = rows.update(status=status, **fields)
        if not changed:
            return False
        seq = _next_seq(step.run_id)
        event = {"type": "step", "run": step.run_id, "seq": seq, "node": step.node_id, "status": status}
        _announce(
            step.run_id, {**event, "error": message, "reason": fields.get("reason", step.reason), **(extra or {})}
        )
    step.status = status
    for name, value in fields.items():
        setattr(step, name, value)
    return True


def run_transition(run: Run, allowed: Iterable[str], status: str, **fields: Any) -> bool:
    """Move `run` from one of `allowed` to `status`, setting `fields`; False if it was elsewhere."""
    with _transaction():
        changed = Run.objects.filter(pk=run.pk, status__in=list(allowed)).update(status=status, **fields)
        if not changed:
            return False
        seq = _next_seq(run.pk)
        error = fields.get("error", "")
        _announce(run.pk, {"type": "run", "run": run.pk, "seq": seq, "status": status, "error": error})
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    return True


def step_note(step: StepRun, **extra: Any) -> None:
    """Announce something about a step that is not a change of its status (e.g. what it waits for)."""
    with _transaction():
        seq = _next_seq(step.run_id)
        event = {"type": "step", "run": step.run_id, "seq": seq, "node": step.node_id, "status": step.status}
        _announce(step.run_id, {**event, "error": "", "reason": step.reason, **extra})


def step_report(step: StepRun, report: Mapping[str, Any]) -> None:
    """Announce what a running step printed or logged (runner/step_report.py). Not a change of
    state, so it takes no sequence number: clients apply it to the step as they have it."""
    _announce(step.run_id, {"type": "report", "run": step.run_id, "node": step.node_id, **report})


def run_created(run: Run) -> None:
    """Announce a new run (inside the transaction that created it)."""
    seq = _next_seq(run.pk)
    _announce(run.pk, {"type": "run", "run": run.pk, "seq": seq, "status": run.status, "error": ""})


def _next_seq(run_id: int) -> int:
    # The UPDATE locks the run row until commit (PostgreSQL; SQLite locks the database), so
    # concurrent transitions of one run get distinct, increasing numbers. One statement:
    # UPDATE ... RETURNING works on both (SQLite since 3.35), which Django's update() cannot say.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {RUN_TABLE} SET event_seq = event_seq + 1 WHERE id = %s RETURNING event_seq", [run_id])
        row = cursor.fetchone()
    if row is None:
        raise Run.DoesNotExist(f"no run {run_id}")
    return int(row[0])


def _announce(run_id: int, event: dict[str, Any]) -> None:
    try:
        from designer.live.outlet import announce
    except ModuleNotFoundError:  # the live outlet is optional until designer.live ships it
        return
    announce(run_id, event)
