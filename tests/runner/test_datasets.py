"""Datasets in runs: a pinned version is cached until the pin moves, a URL import always runs while
what it feeds is reused, and Export Data records a version when its step completes.

Tasks run inline (eager mode) and steps in forked children, as in test_caching.py.
"""

import io
import os
from typing import Any

import pytest

from designer.datasets.datasets import Upload, dataset_create, dataset_version_upload
from designer.datasets.exports import datasets_step_completed
from designer.datasets.models import Dataset
from designer.pipelines.drafts import version_record
from runner import step_user as step_user_choice
from runner.models import Run
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.http_files import file_server
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]

CSV = b"name,born,score\nAda,1815,9.5\nAlan,1912,8.25\nGrace,1906,9.0\n"
MORE = CSV + b"Linus,1969,7.0\n"


def upload(content: bytes, name: str = "people.csv") -> Upload:
    return Upload(name=name, size=len(content), content=io.BytesIO(content))


def pinned(dataset: Dataset, digest: str, *export_to: str) -> dict[str, Any]:
    """people (Import Data, pinned) -> columns (Select Columns) [-> out (Export Data)]."""
    graph = (
        GraphBuilder()
        .node("people", "import_data", source="dataset", dataset=dataset.pk, dataset_version=digest)
        .node("columns", "select_columns", columns=["name", "score"])
        .edge("people.dataset", "columns.dataset")
    )
    for name in export_to:
        graph.node("out", "export_data", destination="dataset", dataset_name=name).edge(
            "columns.dataset", "out.dataset"
        )
    return graph.build()


def from_url(url: str) -> dict[str, Any]:
    graph = GraphBuilder().node("web", "import_data", source="url", url=url)
    graph.node("columns", "select_columns", columns=["name"]).edge("web.dataset", "columns.dataset")
    return graph.build()


def finished(run: Run) -> Run:
    run.refresh_from_db()
    return run


def outcomes(run: Run) -> dict[str, tuple[str, str]]:
    return {step.node_id: (step.status, step.reason) for step in run.steps.all()}


def test_an_unchanged_version_is_cached_and_a_new_version_reruns_saying_why(team):
    dataset, first_version = dataset_create(team.workspace, "People", team.owner, upload(CSV))
    first = finished(run_submit(version_of(team, pinned(dataset, first_version.digest)), team.owner))
    assert first.status == "completed", first.error
    assert outcomes(first) == dict.fromkeys(["people", "columns"], ("completed", "never run"))

    again = finished(run_submit(first.version, team.owner))
    assert outcomes(again) == dict.fromkeys(["people", "columns"], ("cached", "cached (from run 1)"))

    second_version, created = dataset_version_upload(dataset, team.owner, upload(MORE))
    assert created
    moved = version_record(first.pipeline, pinned(dataset, second_version.digest), team.owner)
    third = finished(run_submit(moved, team.owner))

    change = f"parameter dataset_version {first_version.digest}→{second_version.digest}"
    assert outcomes(third) == {"people": ("completed", change), "columns": ("completed", "input dataset changed")}
    assert (
        third.steps.get(node_id="columns").outputs["dataset"]["digest"]
        != first.steps.get(node_id="columns").outputs["dataset"]["digest"]
    )


def test_export_data_records_a_version_when_its_step_completes(team):
    dataset, version = dataset_create(team.workspace, "People", team.owner, upload(CSV))
    first = finished(run_submit(version_of(team, pinned(dataset, version.digest, "Scores")), team.owner))

    assert first.status == "completed", first.error
    scores = Dataset.objects.get(workspace=team.workspace, name="Scores")
    exported = scores.versions.get()
    out = first.steps.get(node_id="out")
    assert (
        exported.digest
        == out.outputs["dataset"]["digest"]
        == first.steps.get(node_id="columns").outputs["dataset"]["digest"]
    )
    assert (exported.number, exported.row_count, exported.exported_by_id) == (1, 3, out.pk)
    assert [column["name"] for column in exported.columns] == ["name", "score"]
    assert out.log.strip().endswith("[dataset 'Scores': a new version, version 1]")

    again = finished(run_submit(first.version, team.owner))

    assert outcomes(again)["out"] == ("completed", "reuse off (not deterministic)")
    assert scores.versions.count() == 1  # the same table is the same version
    assert again.steps.get(node_id="out").log.strip().endswith("the version that already held this table, version 1]")


def test_a_url_import_always_runs_and_what_it_feeds_is_reused_while_the_file_is_unchanged(team, settings):
    settings.IMPORT_ALLOWED_HOSTS = ["127.0.0.1"]
    with file_server() as server:
        url = server.put("/people.csv", CSV, "text/csv")
        first = finished(run_submit(version_of(team, from_url(url)), team.owner))
        second = finished(run_submit(first.version, team.owner))
        server.put("/people.csv", MORE, "text/csv")
        third = finished(run_submit(first.version, team.owner))

    assert first.status == "completed", first.error
    assert outcomes(second) == {
        "web": ("completed", "reuse off (not deterministic)"),
        "columns": ("cached", "cached (from run 1)"),
    }
    assert outcomes(third) == {
        "web": ("completed", "reuse off (not deterministic)"),
        "columns": ("completed", "input dataset changed"),
    }
    assert f"fetched {len(CSV)} bytes from {url} as csv: 3 rows" in first.steps.get(node_id="web").log
    assert server.requests == ["/people.csv"] * 3


def test_a_url_on_the_private_network_fails_its_step_unless_listed(team, settings):
    settings.IMPORT_ALLOWED_HOSTS = []
    with file_server() as server:
        run = finished(run_submit(version_of(team, from_url(server.put("/people.csv", CSV))), team.owner))

    assert run.status == "failed"
    assert "web" in run.error and "TRELLIS_IMPORT_ALLOWED_HOSTS" in run.error
    assert outcomes(run)["columns"][0] == "skipped"
    assert server.requests == []


def test_an_export_that_cannot_be_recorded_leaves_the_step_completed_and_says_why_in_its_log(team, artifact_dir):
    dataset, version = dataset_create(team.workspace, "People", team.owner, upload(CSV))
    run = finished(run_submit(version_of(team, pinned(dataset, version.digest, "Scores")), team.owner))
    out = run.steps.get(node_id="out")
    Dataset.objects.get(name="Scores").versions.all().delete()
    stored = artifact_dir / out.outputs["dataset"]["digest"][:2] / f"{out.outputs['dataset']['digest']}.parquet"
    stored.unlink()

    datasets_step_completed(out)

    out.refresh_from_db()
    assert out.status == "completed"
    assert "[the table was not recorded as a version of dataset 'Scores': " in out.log
    assert not Dataset.objects.get(name="Scores").versions.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only a worker running as root runs steps as another user")
def test_a_step_running_as_another_user_reads_its_dataset_version_from_a_private_store(team, artifact_dir, monkeypatch):
    # pytest's tmp_path lies in a folder only root may enter: the step user cannot reach the
    # store by its full path, only from its working folder inside the store.
    monkeypatch.setattr(step_user_choice, "_needed_paths", list)
    step_user_choice.step_user.cache_clear()
    try:
        assert step_user_choice.step_user().run_as is not None
        dataset, version = dataset_create(team.workspace, "People", team.owner, upload(CSV))
        run = finished(run_submit(version_of(team, pinned(dataset, version.digest)), team.owner))
    finally:
        step_user_choice.step_user.cache_clear()

    assert run.status == "completed", run.error
    assert run.steps.get(node_id="columns").outputs["dataset"]["digest"]
