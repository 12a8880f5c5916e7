"""How a run moves forward: skip what cannot run, finish when nothing is left, dispatch what is ready.

Called after every change that may unblock or end something (a run submitted, a step finished).
Each call reads the step statuses after the caller's change committed, so of two steps finishing
at once at least one sees both done; the conditional pending -> queued update makes sure only
one of them dispatches the successor.
"""

import logging
from collections.abc import Iterable
from functools import lru_cache, partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer.pipelines.graph import read_graph
from designer.pipelines.models import PipelineVersion
from runner import plan as states
from runner.events import run_transition, step_transition
from runner.models import RUN_ACTIVE, Run, StepRun
from runner.options import RunOptions
from runner.plan import Plan
from runner.reuse import step_decide
from runner.workers import waiting_for

logger = logging.getLogger(__name__)


def plan_for(version: PipelineVersion) -> Plan:
    return _plan(version.pk, version.digest)


@lru_cache(maxsize=128)
def _plan(version_id: int, digest: str) -> Plan:
    # A version's graph never changes; the digest guards against reused ids in tests.
    return Plan.from_graph(read_graph(PipelineVersion.objects.values_list("graph", flat=True).get(pk=version_id)))


def step_statuses(run_id: int) -> dict[str, str]:
    return dict(StepRun.objects.filter(run_id=run_id).values_list("node_id", "status"))


def run_plan(run: Run, nodes: Iterable[str]) -> Plan:
    """The plan of the run's steps: the version's plan, restricted when the run has fewer steps (up_to)."""
    plan = plan_for(run.version)
    nodes = frozenset(nodes)
    return plan if len(nodes) == len(plan.order) else plan.restricted_to(nodes)


def run_advance(run_id: int) -> None:
    """Skip steps below a failure, finish the run when no step is active, else start ready steps.

    A step served from the cache finishes at once and may ready others, hence the loop.
    """
    run = Run.objects.select_related("version", "pipeline").get(pk=run_id)
    while run.status in RUN_ACTIVE and _advance_once(run):
        run.refresh_from_db(fields=["status"])


def _advance_once(run: Run) -> bool:
    """One pass; True if a step was served from the cache (so another pass may find more ready)."""
    steps = {step.node_id: step for step in run.steps.all()}
    plan = run_plan(run, steps)
    options = RunOptions.from_json(run.options)
    known = {node: step.status for node, step in steps.items()}
    for node in plan.to_skip(known, options.continue_on_failure):
        step_transition(steps[node], [states.PENDING, states.QUEUED], states.SKIPPED, finished_at=timezone.now())
    statuses = step_statuses(run.pk)
    outcome = plan.outcome(statuses)
    if outcome is not None:
        run_finish(run, plan, outcome)
        return False
    reused = [step_start(run, plan, steps[node], options) for node in plan.ready(statuses)]
    return any(reused)


def step_start(run: Run, plan: Plan, step: StepRun, options: RunOptions) -> bool:
    """Serve a ready step from the cache, or dispatch it; True if it was served from the cache."""
    if step.not_before is not None and step.not_before > timezone.now():
        return False  # backing off before a retry; the worker that failed it advances the run later
    if step.attempt > 0:  # a retry in this run: its key and reason were decided before the first attempt
        step_dispatch(step)
        return False
    try:
        decision = step_decide(run, plan, step, options)
    except Exception:  # e.g. its module vanished: let the worker fail it with the full message
        logger.exception("could not compute the cache key of %s", step)
        step_dispatch(step)
        return False
    if decision.producer is None:
        step_dispatch(step, **decision.fields())
        return False
    now = timezone.now()
    return step_transition(
        step,
        [states.PENDING],
        states.CACHED,
        outputs=decision.outputs,
        cached_from=decision.producer,
        started_at=now,
        finished_at=now,
        **decision.fields(),
    )


def step_dispatch(
    step: StepRun, allowed: Iterable[str] = (states.PENDING,), if_attempt: int | None = None, **fields: Any
) -> bool:
    """-> queued (from pending, unless `allowed` says otherwise), and enqueue its task once that
    commits; False if another process did."""
    with transaction.atomic():
        fields.setdefault("queued_at", timezone.now())
        waiting = {"waiting": waiting_for(step)}
        if not step_transition(step, allowed, states.QUEUED, if_attempt=if_attempt, extra=waiting, **fields):
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
