"""Datasets in pipelines through the API: problems, design-time columns, and downloading table outputs."""

import io
from typing import Any

import pandas as pd
import pytest

from designer.datasets.datasets import Upload, dataset_create
from designer.pipelines.drafts import pipeline_create
from designer.workspaces.access import workspace_create
from tests.graphs import GraphBuilder

# Steps start when the submitting transaction commits; they run inline (tests/api/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]

CSV = b"name,born,score\nAda,1815,9.5\nAlan,1912,8.25\nGrace,1906,9.0\n"


def people(workspace: Any, user: Any, content: bytes = CSV) -> Any:
    upload = Upload(name="people.csv", size=len(content), content=io.BytesIO(content))
    return dataset_create(workspace, "People", user, upload)


def import_and_select(dataset: int, version: str, columns: list[str]) -> dict[str, Any]:
    return (
        GraphBuilder()
        .node("people", "import_data", source="dataset", dataset=dataset, dataset_version=version)
        .node("columns", "select_columns", columns=columns)
        .edge("people.dataset", "columns.dataset")
        .build()
    )


def problems_of(client: Any, pipeline: Any) -> list[tuple[str, str | None, str | None]]:
    detail = client.get(f"/api/pipelines/{pipeline.pk}/").json()
    return [(p["code"], p["node"], p["parameter"]) for p in detail["draft"]["problems"]]


def test_a_pinned_version_gives_its_columns_to_the_draft(team, client_as):
    dataset, version = people(team.workspace, team.owner)
    pipeline = pipeline_create(team.workspace, "P", team.owner, import_and_select(dataset.pk, version.digest, ["nme"]))

    detail = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/").json()

    arriving = detail["draft"]["schemas"]["columns"]["inputs"]["dataset"]
    assert [column["name"] for column in arriving["columns"]] == ["name", "born", "score"]
    assert [(p["code"], p["node"]) for p in detail["draft"]["problems"]] == [("unknown_column", "columns")]


def test_a_dataset_of_another_workspace_is_a_problem_and_nothing_runs(team, client_as):
    elsewhere = workspace_create("Elsewhere", team.outsider)
    dataset, version = people(elsewhere, team.outsider)
    pipeline = pipeline_create(team.workspace, "P", team.owner, import_and_select(dataset.pk, version.digest, ["name"]))
    client = client_as(team.owner)

    assert problems_of(client, pipeline) == [
        ("unknown_dataset", "people", "dataset"),
        ("unknown_dataset_version", "people", "dataset_version"),
    ]
    response = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")
    assert response.status_code == 400 and pipeline.runs.count() == 0


def test_a_version_of_another_dataset_is_a_problem(team, client_as):
    dataset, _ = people(team.workspace, team.owner)
    upload = Upload(name="other.csv", size=8, content=io.BytesIO(b"a,b\n1,2\n"))
    _, other = dataset_create(team.workspace, "Other", team.owner, upload)
    pipeline = pipeline_create(team.workspace, "P", team.owner, import_and_select(dataset.pk, other.digest, ["a"]))

    assert problems_of(client_as(team.owner), pipeline) == [("unknown_dataset_version", "people", "dataset_version")]


def test_unset_sources_are_problems_on_their_parameters(team, client_as):
    graph = (
        GraphBuilder()
        .node("nothing", "import_data", source="dataset")
        .node("web", "import_data", source="url", url="ftp://example.org/a.csv")
        .node("out", "export_data", destination="dataset")
        .edge("web.dataset", "out.dataset")
        .build()
    )
    pipeline = pipeline_create(team.workspace, "P", team.owner, graph)

    assert problems_of(client_as(team.owner), pipeline) == [
        ("missing_parameter", "nothing", "dataset"),
        ("missing_parameter", "nothing", "dataset_version"),
        ("invalid_parameter", "web", "url"),
        ("missing_parameter", "out", "dataset_name"),
    ]


def test_members_download_a_table_output_as_csv_or_parquet(team, client_as, tmp_path):
    dataset, version = people(team.workspace, team.owner)
    graph = import_and_select(dataset.pk, version.digest, ["name", "score"])
    pipeline = pipeline_create(team.workspace, "Pioneers", team.owner, graph)
    run = client_as(team.contributor).post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json").json()
    base = f"/api/runs/{run['id']}/steps/columns/outputs/dataset/download"
    reader = client_as(team.reader)

    as_csv = reader.get(f"{base}/csv/")
    as_parquet = reader.get(f"{base}/parquet/")

    assert as_csv.status_code == 200, as_csv
    assert as_csv["Content-Disposition"] == 'attachment; filename="Pioneers-run1-columns-dataset.csv"'
    assert b"".join(as_csv.streaming_content) == b"name,score\nAda,9.5\nAlan,8.25\nGrace,9.0\n"
    parquet = tmp_path / "download.parquet"
    parquet.write_bytes(b"".join(as_parquet.streaming_content))
    assert pd.read_parquet(parquet).columns.tolist() == ["name", "score"]
    assert client_as(team.outsider).get(f"{base}/csv/").status_code == 404
    assert reader.get(f"/api/runs/{run['id']}/steps/columns/outputs/nothing/download/csv/").status_code == 404
