"""What steps logged, through the API: a run's metrics per step, a logged table and image; members only."""

from typing import Any

import pytest

from designer.pipelines.drafts import draft_save, pipeline_create
from runner.housekeeping import live_digests
from runner.models import StepAttachment
from tests.graphs import GraphBuilder
from tests.unit.test_step_api import tiny_png

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]

SCRIPT = f"""
import pandas as pd

def azureml_main(dataframe1=None, dataframe2=None):
    for epoch, loss in enumerate([0.5, 0.25]):
        log_metric("loss", loss, step=epoch)
    log_metric("auc", 0.8)
    log_table("scores", pd.DataFrame({{"name": ["a", "b"], "score": [1.5, 2.5]}}))
    log_image("plot", {tiny_png()!r})
    return pd.DataFrame({{"x": [1]}}),
"""


def script_run(team: Any, client: Any) -> dict[str, Any]:
    graph = GraphBuilder().node("script", "execute_python_script", script=SCRIPT).build()
    pipeline = pipeline_create(team.workspace, "Logs", team.owner, graph=graph)
    response = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


def test_a_reader_lists_the_metrics_a_run_logged_and_fetches_its_table_and_image(team, client_as):
    run = script_run(team, client_as(team.contributor))
    assert run["status"] == "completed", run["steps"]
    reader = client_as(team.reader)

    response = reader.get(f"/api/runs/{run['id']}/metrics/")

    assert response.status_code == 200
    (step,) = response.json()["steps"]
    assert step["node"] == "script"
    assert [(m["name"], m["value"], m["step"]) for m in step["metrics"]] == [
        ("loss", 0.5, 0),
        ("loss", 0.25, 1),
        ("auc", 0.8, None),
    ]
    assert all(m["logged_at"] for m in step["metrics"])
    table, image = step["attachments"]
    assert (table["kind"], table["name"], table["rows"]) == ("table", "scores", 2)
    base = f"/api/runs/{run['id']}/steps/script/logged"
    preview = reader.get(f"{base}/{table['id']}/").json()
    assert preview["kind"] == "table" and preview["rows"] == [["a", 1.5], ["b", 2.5]]
    raw = reader.get(f"{base}/{image['id']}/?raw=1")
    assert raw.status_code == 200 and raw["Content-Type"] == "image/png"
    assert b"".join(raw.streaming_content) == tiny_png()
    assert reader.get(f"{base}/999999/").status_code == 404


def test_logged_tables_and_images_are_roots_of_garbage_collection(team, client_as):
    script_run(team, client_as(team.owner))
    digests = set(StepAttachment.objects.values_list("digest", flat=True))
    assert len(digests) == 2
    assert digests <= live_digests(team.workspace.pk)


def test_an_outsider_sees_no_metrics(team, client_as):
    run = script_run(team, client_as(team.owner))
    assert client_as(team.outsider).get(f"/api/runs/{run['id']}/metrics/").status_code in (403, 404)


def test_a_cached_step_lists_the_metrics_of_the_step_it_reused(team, client_as):
    client = client_as(team.owner)
    graph = GraphBuilder().node("script", "execute_python_script", script=SCRIPT).build()
    pipeline = pipeline_create(team.workspace, "Logs", team.owner, graph=graph)
    client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")
    second = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json").json()

    listed = client.get(f"/api/runs/{second['id']}/metrics/").json()["steps"]

    snapshot = client.get(f"/api/runs/{second['id']}/").json()
    assert snapshot["steps"][0]["status"] == "cached"
    assert [m["name"] for m in listed[0]["metrics"]] == ["loss", "loss", "auc"]


def test_run_comparison_puts_logged_metrics_beside_evaluation_metrics(team, client_as):
    client = client_as(team.owner)
    graph = GraphBuilder().node("script", "execute_python_script", script=SCRIPT).build()
    pipeline = pipeline_create(team.workspace, "Logs", team.owner, graph=graph)
    first = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json").json()
    better = GraphBuilder().node("script", "execute_python_script", script=SCRIPT.replace("0.25", "0.125")).build()
    pipeline.refresh_from_db()
    draft_save(pipeline, better, pipeline.draft_revision)
    second = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json").json()

    comparison = client.get(f"/api/runs/{first['id']}/compare/{second['id']}/").json()

    logged = [row for row in comparison["metrics"] if row["source"] == "logged"]
    assert [(row["node"], row["name"], row["a"], row["b"]) for row in logged] == [
        ("script", "loss", 0.25, 0.125),
        ("script", "auc", 0.8, 0.8),
    ]
