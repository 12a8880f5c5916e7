"""How a run moves forward: skip what cannot run, finish when nothing is left, dispatch what is ready.

Called after every change that may unblock or end something (a run submitted, a step finished).
Each call reads the step statuses after the caller's change committed, so of two steps finishing
at once at least one sees both done; the conditional pending -> queued update makes sure only
one of them dispatches the successor.
"""

from functools import lru_cache, partial

from django.db import transaction
from django.utils import timezone

from designer.pipelines.graph import read_graph
from designer.pipelines.models import PipelineVersion
from runner import plan as states
from runner.events import run_transition, step_transition
from runner.models import RUN_ACTIVE, Run, StepRun
from runner.plan import Plan


def plan_for(version: PipelineVersion) -> Plan:
    return _plan(version.pk, version.digest)


@lru_cache(maxsize=128)
def _plan(version_id: int, digest: str) -> Plan:
    # A version's graph never changes; the digest guards against reused ids in tests.
    return Plan.from_graph(read_graph(PipelineVersion.objects.values_list("graph", flat=True).get(pk=version_id)))


def step_statuses(run_id: int) -> dict[str, str]:
    return dict(StepRun.objects.filter(run_id=run_id).values_list("node_id", "status"))


def run_advance(run_id: int) -> None:
    """Skip steps below a failure, finish the run when no step is active, else dispatch ready steps."""
    run = Run.objects.select_related("version").get(pk=run_id)
    if run.status not in RUN_ACTIVE:
        return
    plan = plan_for(run.version)
    steps = {step.node_id: step for step in run.steps.all()}
    for node in plan.to_skip({node: step.status for node, step in steps.items()}):
        step_transition(steps[node], [states.PENDING, states.QUEUED], states.SKIPPED, finished_at=timezone.now())
    statuses = step_statuses(run_id)
    outcome = plan.outcome(statuses)
    if outcome is not None:
        run_finish(run, plan, outcome)
        return
    for node in plan.ready(statuses):
        step_dispatch(steps[node])


def step_dispatch(step: StepRun) -> bool:
    """pending -> queued, and enqueue its task once that commits; False if another process did."""
    with transaction.atomic():
        if not step_transition(step, [states.PENDING], states.QUEUED):
            return False
        transaction.on_commit(partial(_enqueue, step.pk, step.queue))
    return True


def run_finish(run: Run, plan: Plan, outcome: str) -> bool:
    error = ""
    if outcome == states.FAILED:
        failed = dict(run.steps.filter(status=states.FAILED).values_list("node_id", "error"))
        first = next(node for node in plan.order if node in failed)
        error = f"step {first} failed: {error_message(failed[first])}"
    return run_transition(run, RUN_ACTIVE, outcome, finished_at=timezone.now(), error=error)


def error_message(error: str) -> str:
    """The message part of a stored step error ("message", a blank line, the traceback)."""
    return error.split("\n\n", 1)[0]


def _enqueue(step_id: int, queue: str) -> None:
    from runner.tasks import execute_step  # the tasks module imports this one

    execute_step.apply_async(args=[step_id], queue=queue)
