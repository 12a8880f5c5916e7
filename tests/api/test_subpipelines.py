"""Pipelines with a group through the API: problems name their path, steps their inner node."""

from typing import Any

import pytest

from designer.pipelines.drafts import pipeline_create
from tests.group_graphs import prep_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]


def finished_run(client: Any, pipeline: Any, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/pipelines/{pipeline.pk}/runs/", body, format="json")
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


def test_a_draft_with_a_group_is_saved_as_written_with_problems_naming_the_path(team, client_as):
    pipeline = pipeline_create(team.workspace, "Grouped", team.owner)
    document = prep_group()
    document["nodes"][1]["group"]["nodes"][0]["parameters"]["columns"] = []
    client = client_as(team.contributor)

    response = client.put(f"/api/pipelines/{pipeline.pk}/draft/", {"graph": document, "revision": 0}, format="json")

    assert response.status_code == 200
    [problem] = response.json()["problems"]
    assert (problem["code"], problem["node"], problem["parameter"]) == ("missing_parameter", "prep:columns", "columns")
    assert problem["message"].startswith("group 'prep' \u203a node 'columns': ")
    assert response.json()["schemas"]["prep:columns"]["inputs"]["dataset"]["complete"] is True
    assert client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["graph"] == document


def test_a_group_runs_and_reruns_from_the_group_with_a_log_per_inner_step(team, client_as):
    pipeline = pipeline_create(team.workspace, "Grouped", team.owner, graph=prep_group())
    client = client_as(team.contributor)
    first = finished_run(client, pipeline)
    assert first["status"] == "completed"

    again = finished_run(client, pipeline, **{"from": "prep"})

    statuses = {step["node"]: step["status"] for step in again["steps"]}
    assert statuses == {"load": "cached", "prep:columns": "completed", "prep:echo": "completed", "split": "completed"}
    log = client.get(f"/api/runs/{again['id']}/steps/prep:echo/log/")
    assert log.status_code == 200
    assert "rows 150" in log.content.decode()
