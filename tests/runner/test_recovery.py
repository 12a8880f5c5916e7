"""Runs left unfinished by a stopped embedded server are failed when the next one starts."""

import pytest

from runner.models import Run, StepRun
from runner.recovery import INTERRUPTED, fail_interrupted_runs
from tests.graphs import iris_split_graph
from tests.runner.conftest import version_of

pytestmark = pytest.mark.django_db


def make_run(team, status: str, steps: dict[str, str]) -> Run:
    version = version_of(team, iris_split_graph(), name=f"pipeline {status}")
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status=status)
    for node_id, step_status in steps.items():
        StepRun.objects.create(run=run, node_id=node_id, module="m", module_version="1", queue="q", status=step_status)
    return run


def test_a_running_run_is_failed_with_its_unfinished_steps(team):
    run = make_run(team, "running", {"load": "completed", "columns": "running", "split": "pending"})

    assert fail_interrupted_runs() == 1

    run.refresh_from_db()
    assert run.status == "failed" and run.error == INTERRUPTED and run.finished_at is not None
    assert dict(run.steps.values_list("node_id", "status")) == {
        "load": "completed",
        "columns": "failed",
        "split": "skipped",
    }
    assert run.steps.get(node_id="columns").error == INTERRUPTED
    assert run.event_seq == 3  # two steps and the run, each announced


def test_queued_runs_are_failed_too_and_finished_ones_left_alone(team):
    queued = make_run(team, "queued", {"load": "queued", "columns": "pending", "split": "pending"})
    done = make_run(team, "completed", {"load": "completed", "columns": "completed", "split": "completed"})

    assert fail_interrupted_runs() == 1

    assert Run.objects.get(pk=queued.pk).status == "failed"
    assert Run.objects.get(pk=done.pk).status == "completed"
    assert fail_interrupted_runs() == 0
