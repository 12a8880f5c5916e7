"""Pipelines and drafts: saves keep every edit, stale saves are refused, runs need a valid graph."""

import pytest

from designer.pipelines.models import Pipeline, PipelineVersion
from tests.graphs import GraphBuilder, iris_split_graph


@pytest.fixture
def pipeline(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/pipelines/"
    response = client_as(team.contributor).post(url, {"name": "Iris"}, format="json")
    assert response.status_code == 201
    return Pipeline.objects.get(pk=response.json()["id"])


def save(client, pipeline, graph, revision):
    return client.put(f"/api/pipelines/{pipeline.pk}/draft/", {"graph": graph, "revision": revision}, format="json")


def test_a_contributor_creates_a_pipeline_with_an_empty_draft(team, client_as, pipeline):
    detail = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/").json()
    assert detail["name"] == "Iris"
    assert detail["role"] == "reader"
    assert detail["draft"] == {
        "graph": {"format_version": 2, "nodes": [], "edges": []},
        "revision": 0,
        "problems": [],
        "schemas": {},
    }
    assert detail["latest_version"] is None and detail["latest_run"] is None
    listing = client_as(team.reader).get(f"/api/workspaces/{team.workspace.pk}/pipelines/").json()
    assert [p["name"] for p in listing] == ["Iris"]


def test_saving_a_draft_with_problems_keeps_it_and_returns_them(team, client_as, pipeline):
    graph = GraphBuilder().node("columns", "select_columns").build()
    response = save(client_as(team.contributor), pipeline, graph, 0)
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert {(p["code"], p["node"]) for p in response.json()["problems"]} == {
        ("missing_input", "columns"),
        ("missing_parameter", "columns"),
    }
    pipeline.refresh_from_db()
    assert (pipeline.draft_graph, pipeline.draft_revision) == (graph, 1)


def test_a_save_says_which_columns_will_reach_each_port(team, client_as, pipeline):
    response = save(client_as(team.contributor), pipeline, iris_split_graph(), 0)
    schemas = response.json()["schemas"]
    assert [c["name"] for c in schemas["split"]["inputs"]["dataset"]["columns"]] == ["petal length (cm)", "target"]
    assert schemas["load"]["outputs"]["dataset"]["complete"] is True
    detail = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/").json()
    assert detail["draft"]["schemas"] == schemas


def test_a_stale_save_gets_409_and_overwrites_nothing(team, client_as, pipeline):
    first = iris_split_graph()
    assert save(client_as(team.owner), pipeline, first, 0).status_code == 200
    response = save(client_as(team.contributor), pipeline, GraphBuilder().build(), 0)
    assert response.status_code == 409
    assert response.json()["revision"] == 1
    assert "reload" in response.json()["detail"]
    pipeline.refresh_from_db()
    assert pipeline.draft_graph == first


def test_a_malformed_graph_is_refused_and_the_draft_kept(team, client_as, pipeline):
    response = save(client_as(team.contributor), pipeline, {"format_version": 2, "nodes": [{"id": "x"}]}, 0)
    assert response.status_code == 400
    assert "$: 'edges' is a required property" in response.json()["errors"]
    pipeline.refresh_from_db()
    assert pipeline.draft_revision == 0


def test_validate_answers_400_with_problems_then_200_when_fixed(team, client_as, pipeline):
    contributor = client_as(team.contributor)
    save(contributor, pipeline, GraphBuilder().node("split", "split_data").build(), 0)
    response = contributor.post(f"/api/pipelines/{pipeline.pk}/validate/")
    assert response.status_code == 400
    assert response.json()["problems"][0]["port"] == "dataset"
    save(contributor, pipeline, iris_split_graph(), 1)
    assert contributor.post(f"/api/pipelines/{pipeline.pk}/validate/").json() == {"problems": []}


def test_running_an_invalid_draft_runs_nothing(team, client_as, pipeline):
    contributor = client_as(team.contributor)
    save(contributor, pipeline, GraphBuilder().node("split", "split_data", fraction=2).build(), 0)
    response = contributor.post(f"/api/pipelines/{pipeline.pk}/runs/")
    assert response.status_code == 400
    assert {p["code"] for p in response.json()["problems"]} == {"missing_input", "invalid_parameter"}
    assert not PipelineVersion.objects.exists()
    assert contributor.get(f"/api/pipelines/{pipeline.pk}/runs/").json() == []


def test_readers_and_outsiders_cannot_edit_or_run(team, client_as, pipeline):
    for persona, expected in ((team.reader, 403), (team.outsider, 404)):
        client = client_as(persona)
        assert save(client, pipeline, iris_split_graph(), 0).status_code == expected
        assert client.post(f"/api/pipelines/{pipeline.pk}/runs/").status_code == expected
    assert client_as(team.outsider).get(f"/api/pipelines/{pipeline.pk}/").status_code == 404
    url = f"/api/workspaces/{team.workspace.pk}/pipelines/"
    assert client_as(team.reader).post(url, {"name": "Mine"}, format="json").status_code == 403
    pipeline.refresh_from_db()
    assert pipeline.draft_revision == 0


def test_the_catalog_lists_modules_and_port_types(team, client_as):
    catalog = client_as(team.reader).get("/api/catalog/").json()
    names = {spec["name"] for spec in catalog["modules"]}
    assert {"sample_dataset", "select_columns", "split_data"} <= names
    assert {"name": "table", "label": "Table", "accepts": ["table"]} in catalog["port_types"]


def test_the_openapi_schema_is_served(team, client_as):
    response = client_as(team.reader).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/pipelines/{pipeline_id}/draft/" in response.content


def test_a_run_records_the_draft_as_a_version_only_when_it_changed(team, client_as, pipeline):
    contributor = client_as(team.contributor)
    save(contributor, pipeline, iris_split_graph(), 0)
    first = contributor.post(f"/api/pipelines/{pipeline.pk}/runs/")
    assert first.status_code == 201
    assert (first.json()["number"], first.json()["version"], first.json()["status"]) == (1, 1, "queued")
    assert [step["node"] for step in first.json()["steps"]] == ["load", "columns", "split"]
    second = contributor.post(f"/api/pipelines/{pipeline.pk}/runs/").json()
    assert (second["number"], second["version"]) == (2, 1)
    changed = iris_split_graph()
    changed["nodes"][2]["parameters"]["fraction"] = 0.5
    save(contributor, pipeline, changed, 1)
    third = contributor.post(f"/api/pipelines/{pipeline.pk}/runs/").json()
    assert (third["number"], third["version"]) == (3, 2)
    assert PipelineVersion.objects.get(pipeline=pipeline, number=1).graph == iris_split_graph()
    runs = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/runs/").json()
    assert [run["number"] for run in runs] == [3, 2, 1]
    assert client_as(team.reader).get(f"/api/runs/{third['id']}/").json()["steps"][2]["status"] == "pending"
    assert client_as(team.outsider).get(f"/api/runs/{third['id']}/").status_code == 404
