"""A dataset pipeline parameter: each run picks a version of a workspace dataset; another workspace's is refused."""

import io
from typing import Any

import pytest

from designer.datasets.datasets import Upload, dataset_version_upload
from designer.pipelines.bindings import binding
from designer.pipelines.drafts import pipeline_create
from designer.workspaces.access import workspace_create
from runner.models import Run
from tests.api.test_dataset_pipelines import people
from tests.graphs import GraphBuilder

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]

LONGER = b"name,born,score\nAda,1815,9.5\nAlan,1912,8.25\nGrace,1906,9.0\nEdsger,1930,9.25\n"


def import_people(dataset_id: int, default: str) -> dict[str, Any]:
    document = (
        GraphBuilder()
        .node("people", "import_data", source="dataset", dataset=dataset_id, dataset_version=binding("people"))
        .node("columns", "select_columns", columns=["name"])
        .edge("people.dataset", "columns.dataset")
        .build()
    )
    return {**document, "parameters": [{"name": "people", "type": "dataset", "default": default}]}


def start(client: Any, pipeline: Any, **values: Any) -> Any:
    return client.post(f"/api/pipelines/{pipeline.pk}/runs/", {"parameters": values}, format="json")


def rows_read(client: Any, response: Any) -> int:
    assert response.status_code == 201, response.json()
    preview = client.get(f"/api/runs/{response.json()['id']}/steps/columns/outputs/dataset/preview/")
    return preview.json()["row_count"]


def test_each_run_reads_the_version_it_is_given(team, client_as):
    dataset, first = people(team.workspace, team.owner)
    second, _ = dataset_version_upload(dataset, team.owner, Upload("people.csv", len(LONGER), io.BytesIO(LONGER)))
    pipeline = pipeline_create(team.workspace, "People", team.owner, import_people(dataset.pk, first.digest))
    client = client_as(team.contributor)

    assert rows_read(client, start(client, pipeline)) == 3
    assert rows_read(client, start(client, pipeline, people=second.digest)) == 4


def test_a_version_of_another_workspace_is_refused_on_the_bound_field(team, client_as):
    dataset, version = people(team.workspace, team.owner)
    _, foreign = people(workspace_create("Elsewhere", team.outsider), team.outsider, LONGER)
    pipeline = pipeline_create(team.workspace, "People", team.owner, import_people(dataset.pk, version.digest))

    response = start(client_as(team.contributor), pipeline, people=foreign.digest)

    assert response.status_code == 400
    problems = [(p["code"], p["node"], p["parameter"]) for p in response.json()["problems"]]
    assert problems == [("unknown_dataset_version", "people", "dataset_version")]
    assert not Run.objects.exists()


def test_a_draft_bound_to_an_undeclared_parameter_names_the_node_and_field(team, client_as):
    dataset, version = people(team.workspace, team.owner)
    document = {**import_people(dataset.pk, version.digest), "parameters": []}
    pipeline = pipeline_create(team.workspace, "People", team.owner, document)

    detail = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/").json()

    problems = [(p["code"], p["node"], p["parameter"]) for p in detail["draft"]["problems"]]
    assert problems == [("unknown_pipeline_parameter", "people", "dataset_version")]
