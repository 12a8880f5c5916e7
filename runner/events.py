"""Every status change of a run or step: a conditional update, a sequence number, an event.

SQLite ignores row locks, so a transition is `UPDATE ... WHERE status IN (allowed)`: of two
processes racing for the same change exactly one updates a row, and only it announces. The
announcement goes through the live outlet, which sends it after the transaction commits.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from runner.models import Run, StepRun
from runner.reads import Statement, in_one_string, placeholders, quoted, read_together

RUN_TABLE, STEP_TABLE = quoted(Run), quoted(StepRun)


def _transaction() -> transaction.Atomic:
    """A transaction of its own, or a part of the caller's without a savepoint: no caller
    recovers from a failed transition inside its transaction, and a savepoint costs two more
    round trips to the database (SAVEPOINT, RELEASE) on every transition a worker makes."""
    return transaction.atomic(savepoint=False)


@dataclass(frozen=True)
class Alongside:
    """A row written only if a step's transition happens, and atomically with it (see row_alongside)."""

    sql: str  # INSERT ... SELECT ... FROM moved: `moved` holds the moved step's id and run_id
    params: Sequence[Any]


@dataclass
class ReadsAfter:
    """SELECTs to make once a step's transition happened, in its round trip: on PostgreSQL they
    follow the transition's statement in one string, so its locks (the run's row among them)
    are held until they have read; each reads what committed before it began. `rows` (one list
    per select) is set if the transition happened."""

    selects: Sequence[Statement]
    rows: list[list[tuple[Any, ...]]] | None = None


def row_alongside(
    model: type[Model],
    values: Mapping[str, Any],
    conflict: Sequence[str],
    update: Sequence[str] = (),
    step_field: str | None = None,
) -> Alongside:
    """Insert one `model` row of `values` (field name -> value) with the transition; `step_field`,
    if given, takes the moved step's id. A row already there under the `conflict` fields is kept,
    or gets the `update` fields of the new one."""
    meta, quote = model._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in values]
    columns = [quote(field.column) for field in fields]
    selected = ["%s"] * len(fields)
    if step_field:
        columns.append(quote(meta.get_field(step_field).column))
        selected.append("moved.id")
    unique = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    updated = ", ".join(f"{column} = excluded.{column}" for column in (quote(meta.get_field(n).column) for n in update))
    action = f"DO UPDATE SET {updated}" if update else "DO NOTHING"
    # WHERE true: SQLite cannot tell an INSERT ... SELECT's ON CONFLICT from a join without it
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(selected)} "
        f"FROM moved WHERE true ON CONFLICT ({unique}) {action}"
    )
    return Alongside(sql, [field.get_db_prep_save(values[field.name], connection) for field in fields])


def step_transition(
    step: StepRun,
    allowed: Iterable[str],
    status: str,
    message: str = "",
    if_attempt: int | None = None,
    extra: Mapping[str, Any] | None = None,
    alongside: Sequence[Alongside] = (),
    then: ReadsAfter | None = None,
    **fields: Any,
) -> bool:
    """Move `step` from one of `allowed` to `status`, setting `fields`; False if it was elsewhere.

    `if_attempt` also requires the step to be at that attempt. `message` is the short error
    for the event; `fields` may set the full `error` text; `extra` adds keys to the event only.
    `alongside`: rows written if and only if the step moves, in the same statement or transaction;
    `then`: reads made once it moved, in the same round trip.
    On success the in-memory `step` is updated too.
    """
    update = _step_update(step.pk, list(allowed), if_attempt, {"status": status, **fields})
    seq = _update_numbered(step, update, alongside, then)
    if seq is None:
        return False
    step.status = status
    for name, value in fields.items():
        setattr(step, name, value)
    step_announced(step, seq, message, extra)
    return True


def step_announced(step: StepRun, seq: int, message: str = "", extra: Mapping[str, Any] | None = None) -> None:
    """Announce `step` as it is now, its status changed by its run's transition number `seq`
    (sent once the change commits: at once, or with the caller's transaction)."""
    _announce(step.run_id, _step_event(step, seq, message, extra))


def steps_transition(
    run_id: int,
    changes: Sequence[tuple[StepRun, dict[str, Any]]],
    allowed: Iterable[str],
    status: str,
    extra: Callable[[StepRun], Mapping[str, Any]] | None = None,
) -> list[StepRun]:
    """Move many steps of run `run_id` from one of `allowed` to `status` at once, each with its
    own fields (the same field names for all); the steps that moved, in the order given.

    Two statements whatever their number (a fan-out readies hundreds): one conditional update
    of statuses and fields that says which rows it changed, and their event numbers.
    """
    allowed = list(allowed)
    with _transaction():
        moved_ids: set[int] = set()
        for start in range(0, len(changes), BULK_ROWS):
            moved_ids |= _update_returning(run_id, changes[start : start + BULK_ROWS], allowed, status)
        moved = [(step, fields) for step, fields in changes if step.pk in moved_ids]
        if not moved:
            return []
        first = _next_seq(run_id, len(moved)) - len(moved) + 1
        for seq, (step, fields) in enumerate(moved, start=first):
            step.status = status
            for name, value in fields.items():
                setattr(step, name, value)
            step_announced(step, seq, extra=extra(step) if extra else None)
    return [step for step, _ in moved]


# Steps per statement of a bulk transition: a few thousand parameters, far below SQLite's limit.
BULK_ROWS = 500


def _update_returning(
    run_id: int, changes: Sequence[tuple[StepRun, Mapping[str, Any]]], allowed: list[str], status: str
) -> set[int]:
    """The ids of the steps this moved, each to `status` with its own fields.

    One statement, `WITH v AS (VALUES ...) UPDATE ... FROM v ... RETURNING id` (PostgreSQL;
    SQLite since 3.35): Django's update() sets the same values on every row and only counts
    them, and its bulk_update builds a CASE per field and row, slower than the statements it saves.
    """
    fields = [StepRun._meta.get_field(name) for name in sorted(changes[0][1])]
    columns = [field.column for field in fields]
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    values = [
        value
        for step, given in changes
        for value in (step.pk, *(field.get_db_prep_value(given[field.name], connection) for field in fields))
    ]
    assigned = "".join(f", {column} = v.{column}" for column in columns)
    states = placeholders(allowed)
    # PostgreSQL locks the rows in id order, as every other bulk transition does: two of them
    # racing for the same steps wait for each other instead of deadlocking. (SQLite locks the
    # whole database.)
    lock = " ORDER BY id FOR UPDATE" if connection.vendor == "postgresql" else ""
    names = "".join(f", {column}" for column in columns)
    sql = (
        f"WITH v(step_id{names}) AS (VALUES {', '.join([row] * len(changes))}) "
        f"UPDATE {STEP_TABLE} SET status = %s{assigned} FROM v WHERE id = v.step_id AND id IN "
        f"(SELECT id FROM {STEP_TABLE} WHERE run_id = %s AND status IN ({states}) "
        f"AND id IN (SELECT step_id FROM v){lock}) RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, status, run_id, *allowed])
        return {int(row[0]) for row in cursor.fetchall()}


def _step_event(step: StepRun, seq: int, message: str, extra: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        "type": "step",
        "run": step.run_id,
        "seq": seq,
        "node": step.node_id,
        "status": step.status,
        "error": message,
        "reason": step.reason,
        **(extra or {}),
    }


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


def _step_update(step_id: int, allowed: list[str], if_attempt: int | None, values: Mapping[str, Any]) -> Statement:
    """`UPDATE step SET <values> WHERE id = <step_id> AND status IN <allowed> [AND attempt = <if_attempt>]`.

    Written here, not built by the ORM: a transition is made twice for every step a worker runs,
    and building and compiling a QuerySet for it costs more CPU than the database takes to run it.
    `values`: field name (or attname) -> a value, never an expression."""
    meta, quote = StepRun._meta, connection.ops.quote_name
    assigned, params = [], []
    for name, value in values.items():
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"a transition sets values, not expressions: {name}")
        field = meta.get_field(name)
        assigned.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    where = f"id = %s AND status IN ({placeholders(allowed)})"
    params += [step_id, *allowed]
    if if_attempt is not None:
        where += " AND attempt = %s"
        params.append(if_attempt)
    return Statement(f"UPDATE {STEP_TABLE} SET {', '.join(assigned)} WHERE {where}", params)


def _update_numbered(
    step: StepRun, update: Statement, alongside: Sequence[Alongside] = (), then: ReadsAfter | None = None
) -> int | None:
    """Make the `update` of `step` (see _step_update) if its conditions still hold, write the
    `alongside` rows and take the run's next event number; None if no row matched (and then
    nothing is written and no number is taken). If it moved, the reads `then` are made.

    On PostgreSQL one statement, `WITH moved AS (UPDATE step ... RETURNING id, run_id), <the
    alongside INSERTs> UPDATE run ... RETURNING event_seq`, which needs no transaction of its own:
    a worker's claim is one round trip instead of four (BEGIN, update, number, COMMIT), a
    completion with its artifacts and cache entry one instead of six, and `then`'s reads ride
    in it. The step's row is locked before its run's, the order every transition takes. SQLite
    has no UPDATE inside WITH: the same statements one after another, in a transaction.
    """
    selects = then.selects if then else ()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            with _transaction():
                cursor.execute(update.sql, update.params)
                if not cursor.rowcount:
                    return None
                moved = "WITH moved(id, run_id) AS (VALUES (%s, %s)) "
                for row in alongside:
                    cursor.execute(moved + row.sql, [step.pk, step.run_id, *row.params])
                seq = _next_seq(step.run_id)
            if then:
                then.rows = read_together(selects)
            return seq
        writes = "".join(f", alongside_{number} AS ({row.sql})" for number, row in enumerate(alongside))
        sql = (
            f"WITH moved AS ({update.sql} RETURNING id, run_id){writes} UPDATE {RUN_TABLE} "
            "SET event_seq = event_seq + 1 WHERE id IN (SELECT run_id FROM moved) RETURNING event_seq"
        )
        numbered = Statement(sql, [*update.params, *(param for row in alongside for param in row.params)])
        # Separate statements, not more CTEs: those would share the update's snapshot and miss a
        # transition of the run that committed while this one waited for the run's row.
        [seq, *rows] = in_one_string(cursor, [numbered, *selects])
    if not seq:
        return None
    if then:
        then.rows = rows
    return int(seq[0][0])


def _next_seq(run_id: int, count: int = 1) -> int:
    """The run's next event number (the last of the next `count`)."""
    # The UPDATE locks the run row until commit (PostgreSQL; SQLite locks the database), so
    # concurrent transitions of one run get distinct, increasing numbers. One statement:
    # UPDATE ... RETURNING works on both (SQLite since 3.35), which Django's update() cannot say.
    with connection.cursor() as cursor:
        sql = f"UPDATE {RUN_TABLE} SET event_seq = event_seq + %s WHERE id = %s RETURNING event_seq"
        cursor.execute(sql, [count, run_id])
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
