"""How a run moves forward: skip what cannot run, finish when nothing is left, dispatch what is ready.

Called after every change that may unblock or end something (a run submitted, a step finished).
Each call reads the step statuses after the caller's change committed, so of two steps finishing
at once at least one sees both done; the conditional pending -> queued update makes sure only
one of them dispatches the successor.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from runner import plan as states
from runner.cache import KeyParts
from runner.claim import next_claim, step_claim, step_claimed
from runner.events import STEP_TABLE, ReadsAfter, run_transition, step_transition, steps_transition
from runner.models import RUN_ACTIVE, Run, StepRun
from runner.options import RunOptions
from runner.plan import Plan
from runner.reads import Columns, Statement, placeholders, read_together
from runner.reuse import Decision, Foreseen, foreseen_keys, steps_decide
from runner.versions import GRAPH_FIELD, plan_for
from runner.workers import queue_concurrency, waiting_for

logger = logging.getLogger(__name__)


# What advancing a run reads of its steps (never their logs and outputs, which can be large).
STEP_FIELDS = (
    "id",
    "run_id",
    "node_id",
    "module",
    "module_version",
    "status",
    "attempt",
    "queue",
    "compute_target",
    "reason",
    "not_before",
    "worker_losses",
)


STEP_COLUMNS = Columns(StepRun, STEP_FIELDS)


def step_statuses(run_id: int) -> dict[str, str]:
    [rows] = read_together([_statuses_select(run_id)])
    return dict(rows)


# Neither read is ordered: callers go by node id, in plan order, and sorting a fan-out's 200
# rows took the database as long as finding them.
def _statuses_select(run_id: int) -> Statement:
    return Statement(f"SELECT node_id, status FROM {STEP_TABLE} WHERE run_id = %s", [run_id])


def _steps_select(run_id: int, nodes: list[str]) -> Statement:
    where = f"run_id = %s AND node_id IN ({placeholders(nodes)})"
    return Statement(f"SELECT {STEP_COLUMNS.sql} FROM {STEP_TABLE} WHERE {where}", [run_id, *nodes])


def run_plan(run: Run, nodes: Iterable[str]) -> Plan:
    """The plan of the run's steps: the version's plan, restricted when the run has fewer steps (up_to)."""
    plan = plan_for(run.version)
    nodes = frozenset(nodes)
    return plan if len(nodes) == len(plan.order) else plan.restricted_to(nodes)


@dataclass
class Lookahead:
    """What advancing reads once a step completed, read in the completion's round trip
    (runner/events.py ReadsAfter): the run's step statuses, the rows of the steps it may have
    made ready and, for those whose every input it made (a chain's next step, a fan-out's
    branches), the reads deciding their reuse needs (runner/reuse.py Foreseen). When it foresees
    none (a fan-out's branch ahead of its join, a last step), it also claims the run's oldest
    queued step on the worker's queue, which the worker runs next (runner/execute.py), where the
    database can (runner/claim.py next_claim)."""

    run: Run
    candidates: list[str]
    parts: dict[str, KeyParts]  # of some of the candidates
    reads: ReadsAfter
    claims: bool = False  # the last read claims the next queued step

    @classmethod
    def after(
        cls, run: Run, finished: dict[str, dict[str, Any]], completing: StepRun | None = None, worker: str = ""
    ) -> "Lookahead":
        """For `run` once the steps of `finished` (their outputs by node) completed; `completing`:
        the step whose completion these reads follow, if its worker (`worker`) is to take the
        next queued step of its queue.

        The string holds the run's row locked until its reads end, while other completions of
        the run wait for it: a few rows' worth (a 200-step fan-out's statuses: ≈ 0.1 ms)."""
        candidates = successors(run, finished)
        parts = foreseen_keys(run, plan_for(run.version), candidates, finished)
        reads = [_statuses_select(run.pk)]
        if candidates:
            reads.append(_steps_select(run.pk, candidates))
        if parts:
            reads += Foreseen.selects(run, parts)
        # A foreseen successor on the worker's queue is kept instead (see Keeper).
        claim = next_claim(run.pk, completing.queue, worker, completing) if completing and not parts else None
        if claim is not None:
            reads.append(claim)
        return cls(run, candidates, parts, ReadsAfter(reads), claims=claim is not None)

    def statuses_and_steps(self, run: Run) -> tuple[dict[str, str], dict[str, StepRun]]:
        rows = self._rows()
        return dict(rows[0]), _steps_of(run, rows[1]) if self.candidates else {}

    def foreseen(self) -> Foreseen | None:
        return Foreseen.of_rows(self.parts, self._rows()[2:4]) if self.parts else None

    def claimed(self) -> StepRun | None:
        """The queued step the completion's string claimed, if any."""
        return step_claimed(self.run, self._rows()[-1]) if self.claims else None

    def _rows(self) -> list[list[tuple[Any, ...]]]:
        if self.reads.rows is None:
            raise RuntimeError("the completion these reads were to follow did not happen")
        return self.reads.rows


@dataclass
class Keeper:
    """A worker that will run one of the steps this advance makes ready itself: the last on its
    queue. That step is claimed for the worker at once (pending -> running, no task, so no broker
    round trip); should the worker die before it records it, a reaper puts it back.

    `outputs` are those of the step the worker just finished, by node: successors' input
    references need not be read back from the database; `lookahead`, what its completion read.
    A worker whose completion claimed a queued step (`claimed`, see Lookahead) keeps none."""

    queue: str
    worker: str
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    lookahead: Lookahead | None = None
    kept: StepRun | None = None
    claimed: StepRun | None = None

    def takes(self, step: StepRun) -> bool:
        return self.kept is None and self.claimed is None and step.queue == self.queue

    def read_ahead(self) -> Lookahead | None:
        """The lookahead, if its reads were made; once (a later advance must read anew)."""
        ahead, self.lookahead = self.lookahead, None
        if ahead is None or ahead.reads.rows is None:
            return None
        self.claimed = ahead.claimed()
        return ahead


def run_advance(run: Run | int, keeper: Keeper | None = None) -> None:
    """Skip steps below a failure, finish the run when no step is active, else start ready steps.

    `run`: its id, or the run loaded with its version and pipeline. Its status may be older than
    the steps' statuses read here; that is safe, since a run ends either by this function or by
    a cancel that ends its unfinished steps in the same transaction: a stale "running" finds
    nothing to start, and finishing it again is a conditional update that does nothing.
    A step served from the cache finishes at once and may ready others, hence the loop.
    The step `keeper` claimed, if any, is then `keeper.kept` (loaded with its run).
    """
    if not isinstance(run, Run):
        run = Run.objects.select_related("version", "pipeline").defer(GRAPH_FIELD).get(pk=run)
    ahead = keeper.read_ahead() if keeper else None
    candidates: list[str] = []
    if ahead is not None:
        candidates = ahead.candidates  # computed for the reads already
    elif keeper is not None:
        candidates = successors(run, keeper.outputs)
    while run.status in RUN_ACTIVE and _advance_once(run, keeper, candidates, ahead):
        candidates, ahead = [], None
        run.status = _status_of(run.pk)


def successors(run: Run, finished: Mapping[str, Any]) -> list[str]:
    """The nodes that the steps of `finished` (node ids) completing may have made ready."""
    downstream = plan_for(run.version).downstream
    return sorted({node for done in finished for node in downstream[done]})


def _status_of(run_id: int) -> str:
    return str(Run.objects.values_list("status", flat=True).get(pk=run_id))


def _advance_once(run: Run, keeper: Keeper | None, candidates: list[str], ahead: Lookahead | None) -> bool:
    """One pass; True if a step was served from the cache (so another pass may find more ready).

    `candidates`: nodes likely to be ready, whose steps are read with the statuses (one round
    trip); `ahead`: those reads, made already."""
    # Statuses of all steps, but model instances only of those this pass acts on: a wide or
    # long run has hundreds of steps, and most passes act on one or none.
    statuses, read = ahead.statuses_and_steps(run) if ahead else _statuses_and_steps(run, candidates)
    plan = run_plan(run, statuses)
    options = RunOptions.from_json(run.options)
    doomed = plan.to_skip(statuses, options.continue_on_failure)
    if doomed:
        now = timezone.now()
        steps = _steps(run, doomed)
        skipped = [
            step_transition(steps[node], [states.PENDING, states.QUEUED], states.SKIPPED, finished_at=now)
            for node in doomed  # in plan order
        ]
        # a skip that did not happen means a status moved meanwhile: read them again
        statuses = statuses | dict.fromkeys(doomed, states.SKIPPED) if all(skipped) else step_statuses(run.pk)
    outcome = plan.outcome(statuses)
    if outcome is not None:
        run_finish(run, plan, outcome)
        return False
    ready = plan.ready(statuses)
    if not ready:
        return False
    steps = read if read.keys() >= set(ready) else _steps(run, ready)
    foreseen = ahead.foreseen() if ahead else None
    return steps_start(run, plan, [steps[node] for node in ready], options, keeper, foreseen)


def _statuses_and_steps(run: Run, nodes: list[str]) -> tuple[dict[str, str], dict[str, StepRun]]:
    """The statuses of all steps of the run, and the steps of `nodes` by node id: one round trip."""
    if not nodes:
        return step_statuses(run.pk), {}
    statuses, rows = read_together([_statuses_select(run.pk), _steps_select(run.pk, nodes)])
    return dict(statuses), _steps_of(run, rows)


def _steps(run: Run, nodes: Iterable[str]) -> dict[str, StepRun]:
    """The steps of `nodes`, as advancing reads them, by node id."""
    [rows] = read_together([_steps_select(run.pk, list(nodes))])
    return _steps_of(run, rows)


def _steps_of(run: Run, rows: list[tuple[Any, ...]]) -> dict[str, StepRun]:
    steps = STEP_COLUMNS.instances(rows)
    for step in steps:
        step.run = run  # as run.steps would: the caller's run, not read again
    return {step.node_id: step for step in steps}


def steps_start(
    run: Run,
    plan: Plan,
    steps: list[StepRun],
    options: RunOptions,
    keeper: Keeper | None = None,
    foreseen: Foreseen | None = None,
) -> bool:
    """Serve ready steps from the cache, or dispatch them; True if one was served from the cache.

    Decided and queued together (a fan-out readies hundreds of steps at once); `keeper` keeps
    the last one it can take, once the others' tasks have left. `foreseen`: see steps_decide.
    """
    now = timezone.now()
    # A step backing off before a retry waits: the worker that failed it advances the run later.
    due = [step for step in steps if step.not_before is None or step.not_before <= now]
    # A retry in this run: its key and reason were decided before the first attempt.
    fresh = [step for step in due if step.attempt == 0]
    known = keeper.outputs if keeper else {}
    decisions = steps_decide(run, plan, fresh, options, known, foreseen) if fresh else {}
    reused = False
    to_run: list[StepRun] = []
    for step in due:
        decision = decisions.get(step.pk)
        if decision is not None and decision.producer is not None:
            reused |= _serve_from_cache(step, decision)
        else:
            to_run.append(step)
    # Step ids in sets: a fan-out readies hundreds, and a model's == is slow.
    takeable = [step.pk for step in to_run if keeper is not None and keeper.takes(step)]
    mine = set(takeable[-1:])  # the last one it can take
    decided = [step for step in to_run if step.pk in decisions and step.pk not in mine]
    steps_queue(run, [(step, decisions[step.pk].fields()) for step in decided])
    queued = {step.pk for step in decided}
    for step in to_run:  # a retry, a step whose key could not be computed, the kept one
        if step.pk not in queued:
            decision = decisions.get(step.pk)
            fields = decision.fields() if decision else {}
            step_dispatch(step, keeper=keeper, **fields)
    return reused


def _serve_from_cache(step: StepRun, decision: Decision) -> bool:
    now = timezone.now()
    return step_transition(
        step,
        [states.PENDING],
        states.CACHED,
        outputs=decision.outputs,
        cached_from_id=decision.producer,
        started_at=now,
        finished_at=now,
        **decision.fields(),
    )


def steps_queue(run: Run, changes: list[tuple[StepRun, dict[str, Any]]]) -> list[StepRun]:
    """Pending -> queued for many steps of `run` at once, each with its decision's fields, and
    tasks enqueued once that commits; the steps that were still pending.

    Not a task per step: as many per queue as its live workers run steps at once (at least one).
    A worker that ran a task's step goes on with its run's other queued steps on that queue
    (runner/execute.py step_execute), so a fan-out's hundreds of steps cost that many broker
    messages fewer."""
    if not changes:
        return []
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        changes = [(step, {**fields, "queued_at": now, "worker": ""}) for step, fields in changes]
        queued = steps_transition(
            run.pk, changes, [states.PENDING], states.QUEUED, extra=lambda step: {"waiting": waiting_for(step)}
        )
        tasks_left = {queue: max(1, queue_concurrency(queue)) for queue in {step.queue for step in queued}}
        for step in queued:
            if tasks_left[step.queue]:
                tasks_left[step.queue] -= 1
                enqueue_on_commit(step.pk, step.queue)
    return queued


def step_dispatch(
    step: StepRun,
    allowed: Iterable[str] = (states.PENDING,),
    if_attempt: int | None = None,
    keeper: Keeper | None = None,
    **fields: Any,
) -> bool:
    """-> queued (from pending, unless `allowed` says otherwise), and enqueue its task once that
    commits; or, if `keeper` keeps it, -> running for the keeper's worker. False if another
    process moved it first."""
    fields.setdefault("queued_at", timezone.now())
    if keeper is not None and keeper.takes(step):
        if not step_claim(step, keeper.worker, allowed, if_attempt, **fields):
            return False
        keeper.kept = step
        return True
    with transaction.atomic(savepoint=False):
        waiting = {"waiting": waiting_for(step)}
        if not step_transition(step, allowed, states.QUEUED, if_attempt=if_attempt, extra=waiting, worker="", **fields):
            return False
        enqueue_on_commit(step.pk, step.queue)
    return True


def enqueue_on_commit(step_id: int, queue: str) -> None:
    """Send the step's task once the current transaction commits (a worker must see it queued)."""
    transaction.on_commit(partial(_enqueue, step_id, queue))


def run_finish(run: Run, plan: Plan, outcome: str) -> bool:
    error = ""
    if outcome == states.FAILED:
        failed = dict(run.steps.filter(status=states.FAILED).values_list("node_id", "error"))
        first = next(node for node in plan.order if node in failed)
        error = f"step {first} failed: {error_message(failed[first])}"
    elif outcome == states.CANCELED:
        error = "canceled"
    now = timezone.now()
    # A run served entirely from the cache never had a step start: it starts as it ends.
    started = Run.objects.values_list("started_at", flat=True).get(pk=run.pk) or now
    return run_transition(run, RUN_ACTIVE, outcome, started_at=started, finished_at=now, error=error)


def error_message(error: str) -> str:
    """The message part of a stored step error ("message", a blank line, the traceback)."""
    return error.split("\n\n", 1)[0]


def _enqueue(step_id: int, queue: str) -> None:
    from runner.tasks import execute_step  # the tasks module imports this one

    execute_step.apply_async(args=[step_id], queue=queue)
