"""A fan-out's steps share a few tasks: whoever runs a task goes on with its queue's queued steps.

Steps go to a Redis queue nobody consumes, so the test sees every task sent; it runs a task by
calling what the Celery task calls, as a worker named "drainer@test".
"""

import pytest

from runner.execute import step_execute
from runner.models import Run
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.conftest import task_of, version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir")]

BRANCHES = 6
WORKER = "drainer@test"


@pytest.fixture
def fan_out(team, broker_queue, settings) -> tuple[Run, str, object]:
    """A submitted run of load -> BRANCHES pass_through steps, on the test's queue."""
    queue, broker = broker_queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    graph = GraphBuilder().node("load", "sample_dataset")
    for index in range(BRANCHES):
        graph.node(f"b{index}", "pass_through").edge("load.dataset", f"b{index}.dataset")
    return run_submit(version_of(team, graph.build()), team.owner), queue, broker


def tasks_sent(queue: str, broker) -> list[tuple[list[int], dict[str, object]]]:
    """The tasks waiting on `queue`, in the order they were sent (kombu pushes each to the head), taken off it."""
    messages = broker.lrange(queue, 0, -1)
    broker.delete(queue)
    return [task_of(message) for message in reversed(messages)]


def run_task(task: tuple[list[int], dict[str, object]]) -> None:
    args, kwargs = task
    step_execute(*args, worker=WORKER, **kwargs)


def test_one_task_runs_every_step_of_a_fan_out_that_has_none_of_its_own(fan_out):
    run, queue, broker = fan_out
    [load_task] = tasks_sent(queue, broker)

    run_task(load_task)

    run.refresh_from_db()
    assert run.status == "completed"
    steps = list(run.steps.order_by("id"))
    assert [(step.status, step.attempt, step.worker) for step in steps] == [("completed", 1, WORKER)] * (BRANCHES + 1)
    # Nobody serves the queue, so the branches came with one task (the worker kept one branch
    # for itself); its step ran meanwhile, and running the task now changes nothing.
    [branch_task] = tasks_sent(queue, broker)
    assert branch_task[0][0] in {step.pk for step in steps[1:]}
    run_task(branch_task)
    assert [(step.status, step.attempt) for step in run.steps.order_by("id")] == [("completed", 1)] * (BRANCHES + 1)


def test_a_task_hands_the_rest_of_its_queue_on_after_steps_per_task(fan_out, settings):
    run, queue, broker = fan_out
    settings.STEPS_PER_TASK = 2
    [load_task] = tasks_sent(queue, broker)

    run_task(load_task)

    # load, the branch kept with it, and two taken from the queue; then the task handed on.
    statuses = dict(run.steps.values_list("node_id", "status"))
    assert sorted(statuses.values()).count("completed") == 4
    queued = sorted(run.steps.filter(status="queued").values_list("pk", flat=True))
    assert len(queued) == BRANCHES - 3
    _batch, handed_on = tasks_sent(queue, broker)
    assert handed_on == ([queued[0]], {})  # the oldest queued step

    run_task(handed_on)  # its own step and the two left

    run.refresh_from_db()
    assert run.status == "completed"
    assert tasks_sent(queue, broker) == []
