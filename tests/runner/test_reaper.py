"""The reaper, driven by hand: what it does with work whose worker stopped answering.

Steps are put in the states a dead worker leaves behind; `reap()` runs as a worker's heartbeat
would; tasks run inline (eager), so a step queued again really runs here.
"""

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from runner.models import Run, StepRun, Worker
from runner.reaper import reap
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir")]

LONG_AGO = timedelta(minutes=10)


def a_run_stuck_at(team, status_of_echo: str, **echo_fields) -> Run:
    """load (completed) -> echo (`status_of_echo`) -> last (pending), as a dead worker leaves them."""
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("echo", "pass_through")
        .node("last", "pass_through")
        .keys("last", allow_reuse=False)
        .edge("load.dataset", "echo.dataset")
        .edge("echo.dataset", "last.dataset")
        .build()
    )
    version = version_of(team, graph)
    earlier = run_submit(version, team.owner)  # runs inline: its load outputs are the stuck run's
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=2, status="running")
    loaded = earlier.steps.get(node_id="load")
    make = {"run": run, "module_version": "1", "queue": "trellis"}
    StepRun.objects.create(node_id="load", module="sample_dataset", status="completed", outputs=loaded.outputs, **make)
    StepRun.objects.create(node_id="echo", module="pass_through", status=status_of_echo, **make, **echo_fields)
    StepRun.objects.create(node_id="last", module="pass_through", **make)
    return run


def dead_worker(name: str = "gone@elsewhere", queues=("trellis",), seen: timedelta = LONG_AGO) -> Worker:
    now = timezone.now()
    return Worker.objects.create(
        name=name, host="elsewhere", pid=1, queues=list(queues), started_at=now - seen, last_seen_at=now - seen
    )


@pytest.fixture
def inline(eager_tasks, settings):
    settings.STEP_MAX_ATTEMPTS = 3


def test_a_running_step_whose_heartbeat_stopped_is_queued_again_and_runs(team, inline, settings):
    stale = timezone.now() - LONG_AGO
    run = a_run_stuck_at(team, "running", attempt=1, worker="gone@elsewhere", heartbeat_at=stale, reason="never run")

    reaped = reap()

    assert (reaped.steps_requeued, reaped.steps_failed) == (1, 0)
    run.refresh_from_db()
    assert run.status == "completed"
    echo = run.steps.get(node_id="echo")
    assert (echo.status, echo.attempt, echo.worker_losses) == ("completed", 2, 1)
    assert echo.reason == "never run; worker lost (gone@elsewhere), attempt 2"


def test_a_step_that_lost_its_worker_too_often_fails_with_a_message_saying_so(team, inline):
    stale = timezone.now() - LONG_AGO
    run = a_run_stuck_at(team, "running", attempt=3, worker="gone@elsewhere", heartbeat_at=stale, worker_losses=2)

    reaped = reap()

    assert (reaped.steps_requeued, reaped.steps_failed) == (0, 1)
    run.refresh_from_db()
    assert run.status == "failed"
    echo = run.steps.get(node_id="echo")
    assert echo.status == "failed" and echo.worker_losses == 3
    assert echo.error.startswith("the worker running this step was lost 3 times (last: gone@elsewhere")
    assert echo.error.endswith("gave up after 3 attempts")
    assert run.error.startswith("step echo failed: the worker running this step was lost 3 times")
    assert run.steps.get(node_id="last").status == "skipped"


def test_a_live_step_is_left_alone(team, inline):
    run = a_run_stuck_at(team, "running", attempt=1, worker="busy@here", heartbeat_at=timezone.now())

    assert not reap()

    assert run.steps.get(node_id="echo").status == "running"


def test_a_silent_worker_is_marked_lost_and_its_queued_steps_are_sent_again(team, inline):
    worker = dead_worker()
    run = a_run_stuck_at(team, "queued", queued_at=timezone.now() - LONG_AGO)

    reaped = reap()

    assert (reaped.workers_lost, reaped.tasks_resent) == (1, 1)
    worker.refresh_from_db()
    assert worker.lost and worker.stopped_at is not None
    run.refresh_from_db()
    assert run.status == "completed"  # the step the dead worker may have held ran after all
    assert run.steps.get(node_id="echo").attempt == 1


def test_a_worker_whose_process_is_gone_from_this_machine_is_lost_at_once(team, inline):
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)  # a pid that just ended
    now = timezone.now()
    worker = Worker.objects.create(
        name="ended@here", host=socket.gethostname(), pid=child, queues=["trellis"], started_at=now, last_seen_at=now
    )
    run = a_run_stuck_at(team, "running", attempt=1, worker=worker.name, heartbeat_at=now)

    reaped = reap()

    assert (reaped.workers_lost, reaped.steps_requeued) == (1, 1)
    assert run.steps.get(node_id="echo").status == "completed"


def test_a_run_whose_worker_died_before_advancing_it_is_advanced(team, inline):
    run = a_run_stuck_at(team, "completed", attempt=1)
    load = run.steps.get(node_id="load")
    run.steps.filter(node_id="echo").update(outputs=load.outputs)

    reaped = reap()

    assert reaped.runs_advanced == 1
    run.refresh_from_db()
    assert run.status == "completed"


def test_the_late_result_of_an_attempt_a_reaper_replaced_is_refused(team, inline):
    from runner.execute import _record
    from runner.step_process import StepResult

    run = a_run_stuck_at(team, "running", attempt=2, worker="new@here", heartbeat_at=timezone.now())
    stale_copy = run.steps.get(node_id="echo")
    stale_copy.attempt = 1  # what the old worker still believes

    _record(stale_copy, StepResult(ok=False, message="late failure"))

    echo = run.steps.get(node_id="echo")
    assert (echo.status, echo.error) == ("running", "")
