"""Zip bundles as workspace datasets: uploaded, checked, versioned by content, listed by their files."""

from collections.abc import Iterator
from typing import Any

import pytest

from designer.datasets.models import DatasetVersion
from designer.pipelines.drafts import pipeline_create
from modules.archives import ArchiveLimits, default_limits, make_archive, set_default_limits
from runner.models import Artifact
from tests.api.test_datasets import CSV, upload
from tests.graphs import GraphBuilder

HELPERS = make_archive(
    {"helpers/__init__.py": "OFFSET = 10\n", "helpers/text.py": "def shout(s):\n    return s.upper()\n"}
)


@pytest.fixture(autouse=True)
def artifact_dir(settings: Any, tmp_path: Any) -> Any:
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    return settings.ARTIFACT_DIR


@pytest.fixture
def small_archive_limits() -> Iterator[None]:
    """Archives of at most 3 members and 1000 uncompressed bytes, for the duration of a test."""
    before = default_limits()
    set_default_limits(ArchiveLimits(max_members=3, max_total_bytes=1000))
    yield
    set_default_limits(before)


def datasets_url(team: Any) -> str:
    return f"/api/workspaces/{team.workspace.pk}/datasets/"


def test_a_zip_upload_is_a_file_dataset_listing_its_files(team, client_as):
    response = upload(client_as(team.contributor), datasets_url(team), "helpers.zip", HELPERS, name="Helpers")

    assert response.status_code == 201, response.json()
    version = response.json()["latest"]
    assert (version["kind"], version["file_format"], version["file_name"]) == ("zip", "zip", "helpers.zip")
    assert version["files"] == [{"name": "helpers/__init__.py", "size": 12}, {"name": "helpers/text.py", "size": 35}]
    assert version["columns"] == [] and version["row_count"] == 0
    stored = DatasetVersion.objects.get()
    assert Artifact.objects.get(digest=stored.digest).port_type == "zip"


def test_the_same_zip_again_is_the_same_version_and_changed_files_a_new_one(team, client_as):
    client = client_as(team.owner)
    first = upload(client, datasets_url(team), "helpers.zip", HELPERS, name="Helpers").json()
    versions_url = f"/api/datasets/{first['id']}/versions/"

    again = upload(client, versions_url, "renamed.zip", HELPERS)
    changed = upload(client, versions_url, "helpers-2.zip", make_archive({"helpers/__init__.py": "OFFSET = 20\n"}))

    assert again.status_code == 200 and again.json()["digest"] == first["latest"]["digest"]
    assert changed.status_code == 201 and changed.json()["number"] == 2


def test_the_preview_of_a_zip_version_lists_its_files_not_columns(team, client_as):
    client = client_as(team.owner)
    dataset = upload(client, datasets_url(team), "helpers.zip", HELPERS, name="Helpers").json()

    digest = dataset["latest"]["digest"]
    preview = client_as(team.reader).get(f"/api/datasets/{dataset['id']}/versions/{digest}/preview/")

    assert preview.status_code == 200
    assert preview.json() == {"kind": "files", "file_count": 2, "files": dataset["latest"]["files"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (make_archive({"../escape.py": "x = 1\n"}), "member '../escape.py' points outside the archive's folder"),
        (make_archive({"/etc/cron.py": "x = 1\n"}), "member '/etc/cron.py' has an absolute or Windows-style path"),
        (b"this is not a zip at all", "the file is not a zip archive"),
        (make_archive({}), "the zip bundle holds no files"),
    ],
)
def test_a_hostile_or_broken_zip_is_refused_naming_why(team, client_as, content, message):
    response = upload(client_as(team.owner), datasets_url(team), "bad.zip", content, name="Bad")

    assert response.status_code == 400
    assert message in response.json()["detail"] and response.json()["detail"].startswith("bad.zip: ")
    assert not DatasetVersion.objects.exists()


@pytest.mark.usefixtures("small_archive_limits")
def test_a_zip_bomb_and_a_zip_of_too_many_files_are_refused(team, client_as):
    client = client_as(team.owner)
    bomb = make_archive({"zeros.txt": b"0" * 5000})  # compresses to a few bytes
    many = make_archive({f"file{n}.py": "" for n in range(4)})

    refused_bomb = upload(client, datasets_url(team), "bomb.zip", bomb, name="Bomb")
    refused_many = upload(client, datasets_url(team), "many.zip", many, name="Many")

    assert len(bomb) < 1000 and refused_bomb.status_code == 400
    assert "member 'zeros.txt' takes the archive past its size limit" in refused_bomb.json()["detail"]
    assert refused_many.status_code == 400 and "holds 4 members; at most 3" in refused_many.json()["detail"]


def test_a_dataset_keeps_one_kind_of_content(team, client_as):
    client = client_as(team.owner)
    tables = upload(client, datasets_url(team), name="People").json()
    bundles = upload(client, datasets_url(team), "helpers.zip", HELPERS, name="Helpers").json()

    zip_on_tables = upload(client, f"/api/datasets/{tables['id']}/versions/", "helpers.zip", HELPERS)
    table_on_zips = upload(client, f"/api/datasets/{bundles['id']}/versions/", "people.csv", CSV)

    assert zip_on_tables.status_code == 400
    assert zip_on_tables.json()["detail"] == (
        "dataset 'People' holds tables; a zip bundle cannot be a version of it: upload it as a new dataset"
    )
    assert table_on_zips.status_code == 400 and "holds zip bundles; a table cannot" in table_on_zips.json()["detail"]


def test_a_zip_dataset_on_import_data_and_a_table_dataset_on_zip_dataset_are_problems(team, client_as):
    client = client_as(team.owner)
    tables = upload(client, datasets_url(team), name="People").json()
    bundles = upload(client, datasets_url(team), "helpers.zip", HELPERS, name="Helpers").json()
    bundle_digest, table_digest = bundles["latest"]["digest"], tables["latest"]["digest"]
    graph = (
        GraphBuilder()
        .node("table", "import_data", source="dataset", dataset=bundles["id"], dataset_version=bundle_digest)
        .node("bundle", "zip_dataset", dataset=tables["id"], dataset_version=table_digest)
        .build()
    )
    pipeline = pipeline_create(team.workspace, "P", team.owner, graph)

    problems = client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["problems"]

    assert [(p["code"], p["node"], p["parameter"]) for p in problems] == [
        ("dataset_kind_mismatch", "table", "dataset"),
        ("dataset_kind_mismatch", "bundle", "dataset"),
    ]
    assert problems[0]["message"] == (
        "Dataset: Helpers holds zip bundles, and Import Data reads tables: use Zip Dataset for it"
    )
