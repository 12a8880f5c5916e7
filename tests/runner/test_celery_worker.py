"""The runner against a real `celery -A designer worker` process, Redis broker and the PostgreSQL test database.

The worker sees only committed rows, so these tests run with transaction=True.
"""

import io
import time

import pytest
from django.db import transaction

from designer.datasets.datasets import Upload, dataset_create
from designer.datasets.models import Dataset
from designer.pipelines.drafts import version_record
from runner.cancel import run_cancel
from runner.models import Run
from runner.state import output_preview, run_snapshot
from runner.submit import run_submit
from tests.graphs import GraphBuilder, iris_split_graph
from tests.runner.celery_workers import (
    Worker,
    wait_for_step,
)
from tests.runner.celery_workers import wait_for_end as wait_for_run_end
from tests.runner.conftest import version_of


def submit_and_follow(version, user, run_events) -> Run:
    with transaction.atomic():  # the run's first events wait for this commit, so we follow it in time
        run = run_submit(version, user)
        run_events.follow(run.pk)
    return run


def wait_for_end(run: Run, worker: Worker) -> Run:
    run = wait_for_run_end(run)
    assert worker.process.poll() is None, "the worker died"
    return run


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


def test_a_three_step_run_completes_on_the_worker(team, on_worker, run_events):
    run = submit_and_follow(version_of(team, iris_split_graph()), team.owner, run_events)

    run = wait_for_end(run, on_worker)

    assert run.status == "completed", run_snapshot(run)
    steps = {step.node_id: step for step in run.steps.all()}
    assert {node: step.status for node, step in steps.items()} == dict.fromkeys(steps, "completed")
    assert all(step.attempt == 1 and step.queue == on_worker.queue for step in steps.values())
    assert output_preview(steps["split"], "dataset1")["row_count"] == 120
    assert output_preview(steps["columns"], "dataset")["columns"][0]["name"] == "petal length (cm)"
    # In a chain each event leaves before the task that causes the next one is sent, so even across
    # processes they arrive in order (parallel branches may interleave; clients order by seq).
    events = run_events.received(run.event_seq)
    assert [event["seq"] for event in events] == list(range(1, run.event_seq + 1))
    assert (events[-1]["type"], events[-1]["status"]) == ("run", "completed")
    step_events = [(event["node"], event["status"]) for event in events if event["type"] == "step"]
    assert [status for name, status in step_events if name == "load"] == ["queued", "running", "completed"]
    for node in ("columns", "split"):  # the worker that finished the step before claims each successor itself
        assert [status for name, status in step_events if name == node] == ["running", "completed"]


def test_a_failing_step_fails_the_run_and_skips_downstream(team, on_worker, run_events):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("broken", "fail", message="the worker says no")
        .node("after", "pass_through")
        .edge("load.dataset", "broken.dataset")
        .edge("broken.dataset", "after.dataset")
        .build()
    )
    run = submit_and_follow(version_of(team, graph), team.owner, run_events)

    run = wait_for_end(run, on_worker)

    assert run.status == "failed"
    assert run.error == "step broken failed: the worker says no"
    assert dict(run.steps.values_list("node_id", "status")) == {
        "load": "completed",
        "broken": "failed",
        "after": "skipped",
    }
    broken = run.steps.get(node_id="broken")
    assert broken.error.startswith("the worker says no\n\nTraceback") and "about to fail" in broken.log
    events = sorted(run_events.received(run.event_seq), key=lambda event: event["seq"])
    failure = next(event for event in events if event.get("node") == "broken" and event["status"] == "failed")
    assert failure["error"] == "the worker says no"
    assert (events[-1]["type"], events[-1]["status"], events[-1]["error"]) == ("run", "failed", run.error)


def test_independent_steps_run_at_the_same_time(team, on_worker):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("left", "sleep", seconds=1.0)
        .node("right", "sleep", seconds=1.0)
        .edge("load.dataset", "left.dataset")
        .edge("load.dataset", "right.dataset")
        .build()
    )
    run = run_submit(version_of(team, graph), team.owner)

    run = wait_for_end(run, on_worker)

    assert run.status == "completed"
    left, right = run.steps.get(node_id="left"), run.steps.get(node_id="right")
    assert left.started_at < right.finished_at and right.started_at < left.finished_at  # they overlapped


def test_an_unchanged_rerun_is_cached_and_a_changed_parameter_reruns_only_its_step(team, on_worker):
    document = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("echo", "pass_through")
        .node("split", "split_data", fraction=0.8)
        .edge("load.dataset", "echo.dataset")
        .edge("echo.dataset", "split.dataset")
        .build()
    )
    first = wait_for_end(run_submit(version_of(team, document), team.owner), on_worker)
    assert first.status == "completed"

    again = wait_for_end(run_submit(first.version, team.owner), on_worker)

    assert again.status == "completed"
    assert {s.node_id: (s.status, s.reason, s.attempt) for s in again.steps.all()} == dict.fromkeys(
        ["load", "echo", "split"], ("cached", "cached (from run 1)", 0)
    )
    assert again.steps.get(node_id="echo").log == ""  # pass_through did not run, so printed nothing

    document["nodes"][2]["parameters"]["fraction"] = 0.5
    changed = wait_for_end(run_submit(version_record(first.pipeline, document, team.owner), team.owner), on_worker)

    assert changed.status == "completed"
    assert dict(changed.steps.values_list("node_id", "reason")) == {
        "load": "cached (from run 1)",
        "echo": "cached (from run 1)",
        "split": "parameter fraction 0.8→0.5",
    }
    assert changed.steps.get(node_id="split").attempt == 1


def test_cancel_stops_a_running_step_and_queued_steps_never_start(team, on_worker):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("nap", "sleep", seconds=30.0)
        .node("after", "pass_through")
        .edge("load.dataset", "nap.dataset")
        .edge("nap.dataset", "after.dataset")
        .build()
    )
    run = run_submit(version_of(team, graph), team.owner)
    wait_for_step(run, "nap", "running")

    began = time.monotonic()
    run_cancel(run, "olivia")

    wait_for_step(run, "nap", "canceled")
    nap = run.steps.get(node_id="nap")
    deadline = time.monotonic() + 10
    while "the step was stopped" not in nap.log and time.monotonic() < deadline:
        time.sleep(0.05)
        nap.refresh_from_db()
    assert time.monotonic() - began < 5.0, "the worker did not stop the step in time"
    assert nap.log.endswith("[canceled: the step was stopped]\n")  # it ran inline, in the worker process
    run.refresh_from_db()
    assert (run.status, run.error) == ("canceled", "canceled by olivia")
    assert dict(run.steps.values_list("node_id", "status")) == {
        "load": "completed",
        "nap": "canceled",
        "after": "canceled",
    }
    assert nap.outputs == {} and list((on_worker.artifact_dir / "tmp").glob("*")) == []


def test_a_dataset_version_is_imported_and_exported_on_the_worker(team, on_worker):
    content = b"name,score\nAda,9.5\nAlan,8.25\n"
    dataset, version = dataset_create(
        team.workspace, "People", team.owner, Upload(name="people.csv", size=len(content), content=io.BytesIO(content))
    )
    graph = (
        GraphBuilder()
        .node("people", "import_data", source="dataset", dataset=dataset.pk, dataset_version=version.digest)
        .node("out", "export_data", destination="dataset", dataset_name="Copy")
        .edge("people.dataset", "out.dataset")
        .build()
    )

    run = wait_for_end(run_submit(version_of(team, graph), team.owner), on_worker)

    assert run.status == "completed", run_snapshot(run)
    copy = Dataset.objects.get(workspace=team.workspace, name="Copy").versions.get()
    assert copy.digest == run.steps.get(node_id="out").outputs["dataset"]["digest"]
    assert copy.row_count == 2 and copy.exported_by.node_id == "out"
