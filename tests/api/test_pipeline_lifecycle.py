"""Renaming, duplicating, deleting (softly) and restoring pipelines; graphs downloaded and read back."""

import json

import pytest

from designer.pipelines.drafts import draft_save, pipeline_create
from designer.pipelines.models import Pipeline
from tests.graphs import iris_split_graph


@pytest.fixture
def pipeline(team):
    return pipeline_create(team.workspace, "Iris", team.contributor, graph=iris_split_graph())


def listing(client, team, deleted=False):
    url = f"/api/workspaces/{team.workspace.pk}/pipelines/" + ("?deleted=true" if deleted else "")
    return [p["name"] for p in client.get(url).json()]


def test_a_contributor_renames_a_pipeline(team, client_as, pipeline):
    response = client_as(team.contributor).patch(f"/api/pipelines/{pipeline.pk}/", {"name": " Iris v2 "}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Iris v2"
    pipeline.refresh_from_db()
    assert pipeline.name == "Iris v2"


def test_a_name_cannot_be_blank(team, client_as, pipeline):
    response = client_as(team.contributor).patch(f"/api/pipelines/{pipeline.pk}/", {"name": "  "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_duplicating_copies_the_draft_but_not_the_history(team, client_as, pipeline):
    client = client_as(team.contributor)
    first = client.post(f"/api/pipelines/{pipeline.pk}/duplicate/", {}, format="json")
    second = client.post(f"/api/pipelines/{pipeline.pk}/duplicate/", {}, format="json")
    named = client.post(f"/api/pipelines/{pipeline.pk}/duplicate/", {"name": "Iris for Rita"}, format="json")
    assert [r.status_code for r in (first, second, named)] == [201, 201, 201]
    assert [r.json()["name"] for r in (first, second, named)] == ["Iris (copy)", "Iris (copy 2)", "Iris for Rita"]
    copy = Pipeline.objects.get(pk=first.json()["id"])
    assert copy.draft_graph == pipeline.draft_graph
    assert (copy.workspace, copy.created_by, copy.versions.count()) == (team.workspace, team.contributor, 0)
    assert first.json()["draft"]["revision"] == 0


def test_deleting_moves_a_pipeline_to_the_deleted_list_and_restoring_brings_it_back(team, client_as, pipeline):
    client = client_as(team.contributor)
    assert client.delete(f"/api/pipelines/{pipeline.pk}/").status_code == 204
    assert listing(client, team) == []
    assert listing(client, team, deleted=True) == ["Iris"]
    deleted = client.get(f"/api/workspaces/{team.workspace.pk}/pipelines/?deleted=true").json()[0]
    assert deleted["deleted_at"] is not None
    gone = client.get(f"/api/pipelines/{pipeline.pk}/")
    assert gone.status_code == 410
    assert "restore it from the workspace's Deleted list" in gone.json()["detail"]
    edit = client.put(
        f"/api/pipelines/{pipeline.pk}/draft/", {"graph": iris_split_graph(), "revision": 0}, format="json"
    )
    assert edit.status_code == 410

    restored = client.post(f"/api/pipelines/{pipeline.pk}/restore/")
    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert listing(client, team) == ["Iris"]
    assert client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["graph"] == iris_split_graph()


def test_readers_and_outsiders_cannot_change_pipelines(team, client_as, pipeline):
    for persona, expected in ((team.reader, 403), (team.outsider, 404)):
        client = client_as(persona)
        assert client.patch(f"/api/pipelines/{pipeline.pk}/", {"name": "x"}, format="json").status_code == expected
        assert client.post(f"/api/pipelines/{pipeline.pk}/duplicate/", {}, format="json").status_code == expected
        assert client.delete(f"/api/pipelines/{pipeline.pk}/").status_code == expected
        assert client.post(f"/api/pipelines/{pipeline.pk}/restore/").status_code == expected
    pipeline.refresh_from_db()
    assert (pipeline.name, pipeline.deleted_at) == ("Iris", None)
    assert Pipeline.objects.count() == 1
    assert client_as(team.outsider).get(f"/api/workspaces/{team.workspace.pk}/pipelines/?deleted=1").status_code == 404


def test_the_draft_downloads_as_a_json_file_that_reads_back(team, client_as, pipeline):
    draft_save(pipeline, {**iris_split_graph(), "layout": {"direction": "right"}}, 0)
    response = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/graph/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="iris.json"'
    document = json.loads(response.content)
    assert document["layout"] == {"direction": "right"}  # keys Trellis does not know travel along
    read = client_as(team.reader).post("/api/graphs/read/", {"graph": document}, format="json")
    assert read.status_code == 200
    assert read.json() == {"graph": document, "problems": []}


def test_reading_upgrades_an_old_format_and_names_what_is_wrong_with_a_bad_one(team, client_as):
    client = client_as(team.reader)
    old = {
        "format_version": 1,
        "nodes": [{"id": "load", "module": "sample_dataset", "version": "1", "parameters": {"dataset": "iris"}}],
        "edges": [],
    }
    upgraded = client.post("/api/graphs/read/", {"graph": old}, format="json").json()
    assert upgraded["graph"]["format_version"] == 2
    newer = client.post("/api/graphs/read/", {"graph": {"format_version": 9, "nodes": [], "edges": []}}, format="json")
    assert newer.status_code == 400
    assert newer.json()["errors"] == ["format_version 9 is newer than this Trellis reads (2); upgrade Trellis"]
    broken = {"format_version": 2, "nodes": [{"id": "x", "module": "sample_dataset"}], "edges": []}
    response = client.post("/api/graphs/read/", {"graph": broken}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == ["$.nodes[0]: 'version' is a required property"]


def test_importing_a_file_makes_a_pipeline_and_a_bad_file_makes_none(team, client_as):
    client = client_as(team.contributor)
    url = f"/api/workspaces/{team.workspace.pk}/pipelines/"
    created = client.post(url, {"name": "iris_split", "graph": iris_split_graph()}, format="json")
    assert created.status_code == 201
    assert created.json()["draft"]["graph"] == iris_split_graph()
    bad = client.post(url, {"name": "bad", "graph": {"nodes": []}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == ["format_version must be a whole number, got None"]
    assert listing(client, team) == ["iris_split"]
