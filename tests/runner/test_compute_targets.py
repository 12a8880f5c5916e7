"""Compute targets with real workers: two "machines" (worker processes with data folders of their
own) that share nothing but the database, the broker and the artifact folder; each serves one
target, and a target's limits hold for the steps it runs."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from designer.workspaces.targets import target_create
from runner.submit import run_submit
from runner.workers import served_queues
from tests.graphs import GraphBuilder
from tests.runner.celery_workers import Worker, fresh_queue, needs_server_services, running_worker, wait_for_end
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

TARGET = f"gpu{uuid.uuid4().hex[:6]}"  # the test workspace's slug is "research"


@dataclass(frozen=True)
class Machines:
    web_side_default: Worker  # serves the default target
    gpu_box: Worker  # serves research.<TARGET>


@pytest.fixture(scope="module")
def machines(django_db_setup, tmp_path_factory) -> Iterator[Machines]:
    needs_server_services()
    shared_artifacts = tmp_path_factory.mktemp("shared-artifacts")
    default_queue = fresh_queue()
    with (
        running_worker(tmp_path_factory.mktemp("machine-a"), (default_queue,), artifact_dir=shared_artifacts) as a,
        running_worker(
            tmp_path_factory.mktemp("machine-b"), (f"research.{TARGET}",), artifact_dir=shared_artifacts
        ) as b,
    ):
        yield Machines(a, b)


@pytest.fixture
def on_machines(machines: Machines, settings) -> Machines:
    settings.CELERY_TASK_DEFAULT_QUEUE = machines.web_side_default.queue
    settings.ARTIFACT_DIR = machines.web_side_default.artifact_dir
    return machines


def test_a_node_on_a_target_runs_on_the_machine_serving_it(team, on_machines):
    target_create(team.workspace, TARGET)
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("heavy", "pass_through")
        .keys("heavy", compute_target=TARGET)
        .node("after", "select_columns", columns=["target"])
        .edge("load.dataset", "heavy.dataset")
        .edge("heavy.dataset", "after.dataset")
        .build()
    )

    run = wait_for_end(run_submit(version_of(team, graph), team.owner))

    assert run.status == "completed", run.error
    ran_on = dict(run.steps.values_list("node_id", "worker"))
    assert ran_on == {
        "load": on_machines.web_side_default.name,
        "heavy": on_machines.gpu_box.name,
        "after": on_machines.web_side_default.name,
    }
    assert f"research.{TARGET}" in served_queues()


def test_a_targets_memory_and_time_limits_stop_its_steps(team, on_machines):
    target_create(team.workspace, TARGET, memory_mb=150, timeout_seconds=20)
    graph = (
        GraphBuilder()
        .node("hog", "hold_memory", megabytes=400, seconds=60)
        .keys("hog", compute_target=TARGET)
        .node("nap", "burn_cpu", seconds=600)
        .keys("nap", compute_target=TARGET, timeout_seconds=2)  # the node's own timeout is shorter: it wins
        .build()
    )

    run = wait_for_end(run_submit(version_of(team, graph), team.owner), seconds=90)

    assert run.status == "failed"
    errors = dict(run.steps.values_list("node_id", "error"))
    assert errors["hog"].startswith("memory limit of 150 MB exceeded (")
    assert errors["nap"].startswith("timed out after 2 s")
