"""What running steps print and log reaches the database and the websocket while they run.

Against a real `celery worker` process (Redis broker, PostgreSQL): a script step in its own
process, a built-in training module inline in the worker's pool process.
"""

import time
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from designer.asgi import application
from runner.models import Artifact, StepAttachment, StepMetric, StepRun
from runner.state import attachment_path, run_metrics
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.celery_workers import wait_for_end
from tests.runner.conftest import version_of
from tests.unit.test_step_api import tiny_png

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

WAIT_SECONDS = 60


def waiting_script(go_file: Path) -> str:
    return f"""
import os, time
import pandas as pd
from trellis import log_table, log_image
from azureml.core import Run

def azureml_main(dataframe1=None, dataframe2=None):
    print("hello from the script", flush=True)
    for epoch, loss in enumerate([0.8, 0.4, 0.2]):
        log_metric("loss", loss, step=epoch)
    Run.get_context().log("accuracy", 0.75)
    log_table("summary", pd.DataFrame({{"a": [1, 2, 3]}}))
    log_image("picture", {tiny_png()!r})
    while not os.path.exists({str(go_file)!r}):
        print("waiting", flush=True)
        report_progress(1, 2)
        time.sleep(0.2)
    print("going on")
    report_progress(2, 2)
    return pd.DataFrame({{"done": [1]}}),
"""


def script_graph(go_file: Path) -> dict:
    return GraphBuilder().node("script", "execute_python_script", script=waiting_script(go_file)).build()


def submit_and_follow(version, user, run_events):
    with transaction.atomic():
        run = run_submit(version, user)
        run_events.follow(run.pk)
    return run


def report_until(run_events, wanted) -> list[dict]:
    """Events up to the first report for which `wanted(report)` holds."""
    seen = []
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        event = run_events.next_event()
        seen.append(event)
        if event["type"] == "report" and wanted(event):
            return seen
    pytest.fail(f"no such report among {seen}")


def test_a_script_streams_its_log_and_progress_while_it_runs_and_keeps_what_it_logged(
    team, on_worker, run_events, go_file
):
    run = submit_and_follow(version_of(team, script_graph(go_file)), team.owner, run_events)

    seen = report_until(run_events, lambda report: report.get("progress") == {"done": 1, "total": 2})
    step = StepRun.objects.get(run=run, node_id="script")
    assert step.status == "running"  # still waiting for the go file
    assert "hello from the script\n" in step.log
    logged = "".join(e["log"]["text"] for e in seen if e["type"] == "report" and "log" in e)
    assert logged.startswith("hello from the script\n")
    metrics = [(m["name"], m["value"], m["step"]) for e in seen if e["type"] == "report" for m in e.get("metrics", [])]
    assert metrics == [("loss", 0.8, 0), ("loss", 0.4, 1), ("loss", 0.2, 2), ("accuracy", 0.75, None)]
    assert step.progress_done == 1 and step.progress_total == 2

    go_file.touch()
    run = wait_for_end(run, WAIT_SECONDS)

    assert run.status == "completed", run.error
    step.refresh_from_db()
    assert step.log.startswith("hello from the script\nwaiting\n") and step.log.endswith("waiting\ngoing on\n")
    assert (step.progress_done, step.progress_total) == (2, 2)
    assert list(StepMetric.objects.filter(step=step).values_list("name", "index")) == [
        ("loss", 0),
        ("loss", 1),
        ("loss", 2),
        ("accuracy", None),
    ]
    table, image = StepAttachment.objects.filter(step=step)
    assert (table.kind, table.name, table.rows, image.kind, image.name) == ("table", "summary", 3, "image", "picture")
    assert attachment_path(image).read_bytes() == tiny_png()
    assert Artifact.objects.filter(digest__in=[table.digest, image.digest]).count() == 2
    (listed,) = run_metrics(run)
    assert listed["node"] == "script" and [m["name"] for m in listed["metrics"]] == ["loss"] * 3 + ["accuracy"]


def test_a_builtin_sweep_reports_its_progress_from_the_worker_process(team, on_worker, run_events):
    graph = (
        GraphBuilder()
        .node("data", "sample_dataset", dataset="breast_cancer")
        .node("algorithm", "two_class_logistic_regression")
        .node("tune", "tune_model_hyperparameters", label_column="target", maximum_runs=3, metric="accuracy")
        .edge("algorithm.model", "tune.untrained_model")
        .edge("data.dataset", "tune.training")
        .build()
    )
    run = submit_and_follow(version_of(team, graph), team.owner, run_events)

    report_until(run_events, lambda report: report["node"] == "tune" and "progress" in report)
    run = wait_for_end(run, WAIT_SECONDS)

    assert run.status == "completed", run.error
    tune = run.steps.get(node_id="tune")
    assert (tune.progress_done, tune.progress_total) == (3, 3)
    assert tune.worker and "run 3 of 3" in tune.log


async def test_the_websocket_carries_log_and_progress_before_the_step_ends(team, on_worker, go_file):
    version = await sync_to_async(version_of)(team, script_graph(go_file))
    run = await sync_to_async(run_submit)(version, team.owner)
    communicator = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/", headers=[(b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = team.owner
    connected, _ = await communicator.connect()
    assert connected

    reports = []
    while not any(report.get("progress") for report in reports):
        event = await communicator.receive_json_from(timeout=WAIT_SECONDS)
        if event["type"] == "report":
            reports.append(event)
    status = await sync_to_async(lambda: StepRun.objects.get(run=run, node_id="script").status)()
    assert status == "running"
    assert any("waiting\n" in report.get("log", {}).get("text", "") for report in reports)

    go_file.touch()
    while True:
        event = await communicator.receive_json_from(timeout=WAIT_SECONDS)
        if event["type"] == "step" and event["status"] == "completed":
            break
    await communicator.disconnect()
