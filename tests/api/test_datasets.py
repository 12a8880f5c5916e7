"""Workspace datasets through the API: upload, versions by content, preview, download, by role."""

import io
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from designer.datasets.models import Dataset, DatasetVersion
from runner.models import Artifact

CSV = b"name,born,score\nAda,1815,9.5\nAlan,1912,8.25\nGrace,1906,9.0\n"


@pytest.fixture(autouse=True)
def artifact_dir(settings: Any, tmp_path: Any) -> Any:
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    return settings.ARTIFACT_DIR


def upload(client: Any, url: str, file_name: str = "people.csv", content: bytes = CSV, **fields: Any) -> Any:
    """POST a multipart form with a file, as the datasets page does."""
    return client.post(url, {"file": SimpleUploadedFile(file_name, content), **fields}, format="multipart")


def new_dataset(client: Any, team: Any, name: str) -> dict[str, Any]:
    response = upload(client, f"/api/workspaces/{team.workspace.pk}/datasets/", name=name)
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_contributor_uploads_a_csv_as_a_new_dataset(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/datasets/"
    response = upload(client_as(team.contributor), url, name="People", description="Pioneers")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["description"], body["version_count"]) == ("People", "Pioneers", 1)
    version = body["versions"][0]
    assert version == body["latest"]
    assert (version["number"], version["row_count"], version["file_name"], version["file_format"]) == (
        1,
        3,
        "people.csv",
        "csv",
    )
    assert version["columns"] == [
        {"name": "name", "type": "string"},
        {"name": "born", "type": "integer"},
        {"name": "score", "type": "number"},
    ]
    assert version["created_by"] == "conrad"
    stored = DatasetVersion.objects.get()
    assert stored.digest == version["digest"] and Artifact.objects.filter(digest=stored.digest).exists()


def test_the_same_content_again_is_the_same_version_and_new_content_a_new_one(team, client_as):
    client = client_as(team.owner)
    dataset = new_dataset(client, team, name="People")
    versions_url = f"/api/datasets/{dataset['id']}/versions/"
    tab_separated = CSV.replace(b",", b"\t")

    again = upload(client, versions_url, file_name="same-people.tsv", content=tab_separated)
    changed = upload(client, versions_url, file_name="people-2.csv", content=CSV + b"Linus,1969,7.0\n")

    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["digest"] == dataset["latest"]["digest"] and again.json()["number"] == 1
    assert changed.status_code == 201 and changed.json()["created"] is True
    assert (changed.json()["number"], changed.json()["row_count"]) == (2, 4)
    detail = client.get(f"/api/datasets/{dataset['id']}/").json()
    assert [version["number"] for version in detail["versions"]] == [2, 1]
    assert detail["latest"]["digest"] == changed.json()["digest"]


def test_excel_json_and_parquet_uploads_are_tables(team, client_as):
    client = client_as(team.owner)
    workbook = Workbook()
    for row in [["name", "born"], ["Ada", 1815]]:
        workbook.active.append(row)
    xlsx, parquet = io.BytesIO(), io.BytesIO()
    workbook.save(xlsx)
    pd.DataFrame({"name": ["Ada"], "born": [1815]}).to_parquet(parquet)
    files = {
        "book.xlsx": xlsx.getvalue(),
        "rows.json": b'[{"name": "Ada", "born": 1815}]',
        "table.parquet": parquet.getvalue(),
    }
    digests = set()
    for index, (name, content) in enumerate(files.items()):
        url = f"/api/workspaces/{team.workspace.pk}/datasets/"
        response = upload(client, url, file_name=name, content=content, name=f"set {index}")
        assert response.status_code == 201, response.json()
        digests.add(response.json()["latest"]["digest"])
    assert len(digests) == 1  # one table, whatever file it came in


def test_a_file_that_is_no_table_is_refused_naming_the_file(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/datasets/"
    response = upload(client_as(team.owner), url, file_name="broken.json", content=b"[1, 2]", name="Broken")

    assert response.status_code == 400
    assert response.json()["detail"] == "broken.json: a JSON array must hold one object per row"
    assert not Dataset.objects.exists()


def test_a_second_dataset_with_a_taken_name_is_refused(team, client_as):
    client = client_as(team.owner)
    new_dataset(client, team, name="People")
    response = upload(client, f"/api/workspaces/{team.workspace.pk}/datasets/", name="People")
    assert response.status_code == 400 and "already has a dataset named 'People'" in response.json()["detail"]


def test_an_upload_over_the_limit_is_refused_with_413(team, client_as, settings):
    settings.UPLOAD_MAX_BYTES = 40
    client = client_as(team.owner)

    response = upload(client, f"/api/workspaces/{team.workspace.pk}/datasets/", name="People")

    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"the upload is {len(CSV)} bytes; files are limited to 40 bytes here (TRELLIS_UPLOAD_MAX_BYTES)"
    )
    assert not Dataset.objects.exists()


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(team, client_as, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = b"a,b\n" + b"1,2\n" * 100_000
    response = upload(client_as(team.owner), f"/api/workspaces/{team.workspace.pk}/datasets/", content=big, name="Big")
    assert response.status_code == 413 and "limited to 1000 bytes" in response.json()["detail"]


def test_readers_see_datasets_but_cannot_upload(team, client_as):
    dataset = new_dataset(client_as(team.owner), team, name="People")
    reader = client_as(team.reader)

    assert [d["name"] for d in reader.get(f"/api/workspaces/{team.workspace.pk}/datasets/").json()] == ["People"]
    refused_new = upload(reader, f"/api/workspaces/{team.workspace.pk}/datasets/", name="Mine")
    refused_version = upload(reader, f"/api/datasets/{dataset['id']}/versions/", content=CSV + b"x,1,1\n")

    assert refused_new.status_code == 403 and refused_version.status_code == 403
    assert "needs the contributor role" in refused_new.json()["detail"]
    assert DatasetVersion.objects.count() == 1


def test_outsiders_get_404_for_everything(team, client_as):
    dataset = new_dataset(client_as(team.owner), team, name="People")
    outsider, digest = client_as(team.outsider), dataset["latest"]["digest"]
    base = f"/api/datasets/{dataset['id']}"

    for url in (
        f"/api/workspaces/{team.workspace.pk}/datasets/",
        f"{base}/",
        f"{base}/versions/{digest}/preview/",
        f"{base}/versions/{digest}/download/csv/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert upload(outsider, f"{base}/versions/").status_code == 404


def test_a_version_preview_has_rows_and_column_statistics(team, client_as):
    client = client_as(team.reader)
    dataset = new_dataset(client_as(team.owner), team, name="People")

    preview = client.get(f"/api/datasets/{dataset['id']}/versions/{dataset['latest']['digest']}/preview/").json()

    assert preview["kind"] == "table" and preview["row_count"] == 3
    assert preview["rows"][0] == ["Ada", 1815, 9.5]
    born = next(column for column in preview["statistics"] if column["name"] == "born")
    assert (born["min"], born["max"], born["missing"], born["unique"]) == (1815.0, 1912.0, 0, 3)
    assert client.get(f"/api/datasets/{dataset['id']}/versions/{'0' * 64}/preview/").status_code == 404


def test_a_version_downloads_as_csv_and_as_parquet(team, client_as):
    client = client_as(team.reader)
    dataset = new_dataset(client_as(team.owner), team, name="People")
    base = f"/api/datasets/{dataset['id']}/versions/{dataset['latest']['digest']}/download"

    as_csv = client.get(f"{base}/csv/")
    as_parquet = client.get(f"{base}/parquet/")

    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert as_csv["Content-Disposition"] == 'attachment; filename="People-v1.csv"'
    assert b"".join(as_csv.streaming_content) == CSV
    table = pd.read_parquet(io.BytesIO(b"".join(as_parquet.streaming_content)))
    assert table["name"].tolist() == ["Ada", "Alan", "Grace"]
    assert client.get(f"{base}/xml/").status_code == 404
