"""Versions: saved with a message, listed with who made them, read one by one, diffed, restored."""

import pytest

from designer.pipelines.drafts import draft_save, pipeline_create
from designer.pipelines.models import PipelineVersion
from tests.graphs import GraphBuilder, iris_split_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(team):
    return pipeline_create(team.workspace, "Iris", team.contributor, graph=iris_split_graph())


def url(pipeline, rest=""):
    return f"/api/pipelines/{pipeline.pk}/versions/{rest}"


def save_version(client, pipeline, message, **body):
    return client.post(url(pipeline), {"message": message, **body}, format="json")


def with_fraction(fraction):
    graph = iris_split_graph()
    graph["nodes"][2]["parameters"]["fraction"] = fraction
    return graph


def test_a_contributor_saves_a_version_with_a_message_and_everyone_sees_it(team, client_as, pipeline):
    response = save_version(client_as(team.contributor), pipeline, "  baseline  ", revision=0)
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["message"], body["origin"], body["created_by"]) == (1, "baseline", "saved", "conrad")
    assert body["made_by_run"] is None
    listed = client_as(team.reader).get(url(pipeline)).json()
    assert [(v["number"], v["message"]) for v in listed] == [(1, "baseline")]
    assert PipelineVersion.objects.get(pipeline=pipeline).graph == iris_split_graph()


def test_a_version_needs_a_message_and_a_current_revision(team, client_as, pipeline):
    client = client_as(team.contributor)
    assert save_version(client, pipeline, "").status_code == 400
    draft_save(pipeline, with_fraction(0.5), 0)
    stale = save_version(client, pipeline, "from an old tab", revision=0)
    assert stale.status_code == 409
    assert stale.json()["revision"] == 1
    assert not PipelineVersion.objects.exists()


def test_saving_an_unchanged_draft_again_still_names_a_new_version(team, client_as, pipeline):
    client = client_as(team.contributor)
    save_version(client, pipeline, "first")
    second = save_version(client, pipeline, "same graph, a name for it").json()
    assert second["number"] == 2
    assert [v["number"] for v in client.get(url(pipeline)).json()] == [2, 1]


def test_a_graph_with_problems_can_be_kept_as_a_version(team, client_as, pipeline):
    draft_save(pipeline, GraphBuilder().node("split", "split_data").build(), 0)
    response = save_version(client_as(team.contributor), pipeline, "half done")
    assert response.status_code == 201
    detail = client_as(team.reader).get(url(pipeline, "1/")).json()
    assert [problem["code"] for problem in detail["problems"]] == ["missing_input"]


def test_a_version_made_by_a_run_says_which_run(team, client_as, pipeline):
    client = client_as(team.contributor)
    # The runs stay queued: their steps would start once the test's transaction commits.
    assert client.post(f"/api/pipelines/{pipeline.pk}/runs/").status_code == 201
    assert client.post(f"/api/pipelines/{pipeline.pk}/runs/").status_code == 201
    (version,) = client_as(team.reader).get(url(pipeline)).json()
    assert (version["origin"], version["made_by_run"], version["run_count"], version["message"]) == ("run", 1, 2, "")


def test_one_version_has_its_graph_problems_and_schemas(team, client_as, pipeline):
    save_version(client_as(team.contributor), pipeline, "baseline")
    detail = client_as(team.reader).get(url(pipeline, "1/")).json()
    assert detail["graph"] == iris_split_graph()
    assert detail["problems"] == []
    assert detail["schemas"]["split"]["inputs"]["dataset"]["complete"] is True
    missing = client_as(team.reader).get(url(pipeline, "7/"))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "pipeline 'Iris' has no version 7"


def test_a_version_downloads_as_a_file(team, client_as, pipeline):
    save_version(client_as(team.contributor), pipeline, "baseline")
    response = client_as(team.reader).get(url(pipeline, "1/graph/"))
    assert response["Content-Disposition"] == 'attachment; filename="iris-v1.json"'


def test_the_diff_of_two_versions_lists_changed_parameters_and_removed_nodes(team, client_as, pipeline):
    client = client_as(team.contributor)
    save_version(client, pipeline, "baseline")
    changed = with_fraction(0.6)
    changed["nodes"] = [node for node in changed["nodes"] if node["id"] != "columns"]
    changed["edges"] = [{"source": {"node": "load", "port": "dataset"}, "target": {"node": "split", "port": "dataset"}}]
    draft_save(pipeline, changed, 0)
    save_version(client, pipeline, "fewer steps")

    diff = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/diff/?base=1&head=2").json()
    assert (diff["base"]["number"], diff["head"]["number"]) == (1, 2)
    assert diff["base"]["graph"] == iris_split_graph()
    statuses = {node["node"]: node["status"] for node in diff["nodes"]}
    assert statuses == {"load": "unchanged", "split": "changed", "columns": "removed"}
    split = next(node for node in diff["nodes"] if node["node"] == "split")
    assert split["parameters"] == [{"name": "fraction", "old": 0.8, "new": 0.6}]
    assert diff["summary"]["edges_added"] == 1 and diff["summary"]["edges_removed"] == 2


def test_the_draft_can_be_one_side_of_a_diff(team, client_as, pipeline):
    save_version(client_as(team.contributor), pipeline, "baseline")
    draft_save(pipeline, with_fraction(0.5), 0)
    diff = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/diff/?base=1").json()
    assert diff["head"] == {"kind": "draft", "number": None, "revision": 1, "graph": with_fraction(0.5)}
    assert diff["summary"]["changed"] == 1
    bad = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/diff/?base=latest")
    assert bad.status_code == 400
    assert "base" in bad.json()


def test_restoring_a_version_makes_it_the_draft_and_keeps_the_draft_it_replaced(team, client_as, pipeline):
    client = client_as(team.contributor)
    save_version(client, pipeline, "baseline")
    draft_save(pipeline, with_fraction(0.5), 0)

    response = client.post(url(pipeline, "1/restore/"), {"revision": 1}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["revision"], body["graph"], body["problems"]) == (2, iris_split_graph(), [])
    assert (body["kept"]["number"], body["kept"]["origin"]) == (2, "kept")
    assert body["kept"]["message"] == "The draft before restoring version 1"
    pipeline.refresh_from_db()
    assert (pipeline.draft_graph, pipeline.draft_revision) == (iris_split_graph(), 2)
    assert PipelineVersion.objects.get(pipeline=pipeline, number=2).graph == with_fraction(0.5)


def test_restoring_over_a_draft_that_is_already_a_version_keeps_nothing_more(team, client_as, pipeline):
    client = client_as(team.contributor)
    save_version(client, pipeline, "baseline")
    draft_save(pipeline, with_fraction(0.5), 0)
    save_version(client, pipeline, "half")
    body = client.post(url(pipeline, "1/restore/"), {"revision": 1}, format="json").json()
    assert body["kept"] is None
    assert PipelineVersion.objects.filter(pipeline=pipeline).count() == 2


def test_a_stale_restore_is_refused_and_changes_nothing(team, client_as, pipeline):
    client = client_as(team.contributor)
    save_version(client, pipeline, "baseline")
    draft_save(pipeline, with_fraction(0.5), 0)
    response = client.post(url(pipeline, "1/restore/"), {"revision": 0}, format="json")
    assert response.status_code == 409
    assert response.json()["revision"] == 1
    pipeline.refresh_from_db()
    assert (pipeline.draft_graph, pipeline.draft_revision) == (with_fraction(0.5), 1)
    assert PipelineVersion.objects.filter(pipeline=pipeline).count() == 1


def test_readers_read_versions_but_cannot_save_or_restore_them(team, client_as, pipeline):
    save_version(client_as(team.contributor), pipeline, "baseline")
    for persona, expected in ((team.reader, 403), (team.outsider, 404)):
        client = client_as(persona)
        assert save_version(client, pipeline, "mine").status_code == expected
        assert client.post(url(pipeline, "1/restore/"), {"revision": 0}, format="json").status_code == expected
    outsider = client_as(team.outsider)
    for path in (url(pipeline), url(pipeline, "1/"), f"/api/pipelines/{pipeline.pk}/diff/?base=1"):
        assert outsider.get(path).status_code == 404
    assert PipelineVersion.objects.count() == 1
