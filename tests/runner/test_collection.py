"""Garbage collection of the artifact store after real runs: exactly the unreferenced files go.

Tasks run inline (eager mode) and steps in forked children, as in test_caching.py.
"""

import io
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.management import call_command
from django.utils import timezone

from designer.datasets.datasets import Upload, dataset_create
from designer.gallery.publishing import module_publish
from designer.workspaces.access import workspace_create
from modules.archives import make_archive
from modules.ports import TABLE, ZIP
from runner.artifacts import ArtifactStore
from runner.housekeeping import artifacts_collect, root_provider_register, root_provider_unregister
from runner.management.commands.collect_artifacts import human_bytes
from runner.models import Artifact, CacheEntry, Run, StepRun
from runner.storage import workspace_storage
from runner.submit import run_submit
from tests.gallery import SCALE_CODE, scale_spec
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]

HOUR = 3600


@pytest.fixture(autouse=True)
def rules(settings: Any) -> None:
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 30, 5
    settings.ARTIFACT_GRACE_SECONDS = HOUR


@pytest.fixture
def store(artifact_dir: Path) -> ArtifactStore:
    return ArtifactStore(artifact_dir)


def iris() -> dict[str, Any]:
    return GraphBuilder().node("load", "sample_dataset", dataset="iris").build()


def files_of(store: ArtifactStore) -> set[Path]:
    return {found.path for found in store.files()} | {found.path for found in store.temporary_files()}


def age(path: Path, seconds: float) -> Path:
    """Make the file look written `seconds` ago."""
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))
    return path


def unreferenced_artifact(store: ArtifactStore, rows: int, recorded: bool = True) -> Path:
    """What a step killed after writing leaves (without a record), or a released output (with one)."""
    stored = store.write(pd.DataFrame({"x": range(rows)}), TABLE)
    if recorded:
        Artifact.objects.create(digest=stored.digest, port_type="table", size=stored.size)
    return store.path(stored.digest, TABLE)


def referenced_paths(store: ArtifactStore, run: Run) -> set[Path]:
    return {store.path(ref["digest"], TABLE) for step in run.steps.all() for ref in step.outputs.values()}


def test_collection_deletes_exactly_the_unreferenced_files(team, store):
    run = run_submit(version_of(team, iris()), team.owner)
    kept = referenced_paths(store, run)
    for path in kept:
        age(path, 2 * HOUR)  # old, but referenced
    released_record = age(unreferenced_artifact(store, 10), 2 * HOUR)
    left_by_killed_step = age(unreferenced_artifact(store, 11, recorded=False), 2 * HOUR)
    stale_temporary = store.root / "tmp" / "tmpabc.parquet"
    stale_temporary.write_bytes(b"half a parquet file")
    age(stale_temporary, 2 * HOUR)
    garbage_bytes = released_record.stat().st_size + left_by_killed_step.stat().st_size

    report = artifacts_collect()

    assert files_of(store) == kept
    assert (report.deleted.files, report.deleted.unrecorded, report.deleted.records) == (2, 1, 1)
    assert report.deleted.bytes == garbage_bytes
    assert report.deleted.temporary == 1 and report.deleted.temporary_bytes == len(b"half a parquet file")
    assert set(Artifact.objects.values_list("digest", flat=True)) == {path.name[:64] for path in kept}
    assert not left_by_killed_step.exists() and not released_record.exists()


def test_files_younger_than_the_grace_period_survive(team, store):
    being_recorded = unreferenced_artifact(store, 12, recorded=False)  # a step wrote it a moment ago
    being_written = store.root / "tmp" / "tmpdef.parquet"
    being_written.write_bytes(b"still writing")

    report = artifacts_collect()

    assert being_recorded.exists() and being_written.exists()
    assert report.young == 1 and report.deleted.files == 0 and report.deleted.temporary == 0
    assert artifacts_collect(now=timezone.now() + timedelta(hours=2)).deleted.files == 1
    assert not being_recorded.exists() and not being_written.exists()


def test_a_cache_entry_keeps_its_artifact(team, store):
    run = run_submit(version_of(team, iris()), team.owner)
    producer = run.steps.get()
    path = next(iter(referenced_paths(store, run)))
    # Only the cache entry refers to the bytes now (the step's own claim is long released).
    StepRun.objects.filter(pk=producer.pk).update(outputs_released_at=timezone.now() - timedelta(days=10))
    assert CacheEntry.objects.filter(step=producer).exists()

    artifacts_collect(now=timezone.now() + timedelta(hours=2))

    assert path.exists()


def test_released_outputs_go_only_after_the_grace_period(team, store, settings):
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 0, 0
    run = run_submit(version_of(team, iris()), team.owner)
    paths = referenced_paths(store, run)
    for path in paths:
        age(path, 2 * HOUR)

    first = artifacts_collect()  # releases the run; its files may still be in use by a reader

    assert first.released_steps == 1 and first.deleted.files == 0
    assert all(path.exists() for path in paths) and first.releasable_bytes > 0
    assert artifacts_collect(now=timezone.now() + timedelta(hours=2)).deleted.files == 1
    assert not any(path.exists() for path in paths)


def test_a_registered_root_provider_keeps_its_artifacts(team, store):
    dataset = age(unreferenced_artifact(store, 13), 2 * HOUR)
    asked: list[Any] = []

    def datasets(workspace_id: int | None) -> Iterator[str]:
        asked.append(workspace_id)
        yield dataset.name[:64]

    root_provider_register("test datasets", datasets)
    try:
        artifacts_collect()
    finally:
        root_provider_unregister("test datasets")

    assert dataset.exists() and None in asked
    artifacts_collect()
    assert not dataset.exists()


def test_a_dry_run_reports_and_changes_nothing(team, store, settings):
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 0, 0
    run = run_submit(version_of(team, iris()), team.owner)
    garbage = age(unreferenced_artifact(store, 14), 2 * HOUR)
    before = files_of(store)
    output = io.StringIO()

    call_command("collect_artifacts", "--dry-run", stdout=output)

    assert files_of(store) == before and garbage.exists()
    assert not StepRun.objects.filter(run=run).exclude(outputs_released_at=None).exists()
    assert CacheEntry.objects.count() == 1 and Artifact.objects.count() == 2
    lines = output.getvalue().splitlines()
    assert lines[0] == "Dry run: nothing was changed."
    assert lines[1].startswith("Would release the outputs of 1 step in 1 run (")
    size = human_bytes(garbage.stat().st_size)
    assert lines[2] == (
        f"Would delete 1 artifact file ({size}; 0 without a record), 0 temporary files (0 bytes) and 1 record."
    )


def test_the_command_prints_what_it_deleted(team, store):
    garbage = age(unreferenced_artifact(store, 15, recorded=False), 2 * HOUR)
    size = human_bytes(garbage.stat().st_size)
    output = io.StringIO()

    call_command("collect_artifacts", stdout=output)

    assert output.getvalue().splitlines() == [
        "Released no outputs: the retention rules keep every run's.",
        f"Deleted 1 artifact file ({size}; 1 without a record), 0 temporary files (0 bytes) and 0 records.",
        "Kept 0 files (0 bytes); 0 unreferenced files younger than the grace period.",
    ]


def test_scratch_folders_of_dead_steps_go_and_those_of_running_steps_stay(team, store, settings):
    settings.ARTIFACT_GRACE_SECONDS = 0  # even then a running step's folder, touched each minute, stays
    dead, running = store.scratch_folder("step-"), store.scratch_folder("step-")
    for folder in (dead, running):
        (folder / "output-dataset.parquet").write_bytes(b"x" * 100)
        age(folder / "output-dataset.parquet", 2 * HOUR)
    age(dead, 2 * HOUR)
    age(running, 5 * 60)  # touched five minutes ago: its worker may just be slow to touch it again

    report = artifacts_collect()

    assert not dead.exists() and running.exists()
    assert (report.deleted.temporary, report.deleted.temporary_bytes) == (1, 100)


def test_dataset_versions_are_roots_and_count_in_their_workspace(team, store):
    csv = b"name,born\nAda,1815\nGrace,1906\n"
    _, version = dataset_create(team.workspace, "People", team.owner, Upload("people.csv", len(csv), io.BytesIO(csv)))
    path = store.path(version.digest, TABLE)
    age(path, 2 * HOUR)

    report = artifacts_collect(now=timezone.now() + timedelta(days=400))

    assert path.exists() and report.deleted.files == 0 and report.deleted.records == 0
    assert workspace_storage(team.workspace)["artifacts"] == 1
    assert workspace_storage(workspace_create("Elsewhere", team.owner))["artifacts"] == 0


def test_the_helper_files_of_a_published_module_are_roots(team, store):
    bundle = make_archive({"helpers.py": "def twice(frame):\n    return frame * 2\n"})
    version = module_publish(team.workspace, scale_spec(), SCALE_CODE, team.contributor, bundle=bundle)
    path = store.path(version.bundle_digest, ZIP)
    age(path, 2 * HOUR)

    report = artifacts_collect()

    assert path.exists() and report.deleted.files == 0
    assert workspace_storage(team.workspace)["artifacts"] == 1
