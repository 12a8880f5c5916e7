"""Garbage collection of the artifact store: release what the retention rules no longer keep,
mark every digest something refers to, sweep the rest.

Roots (what keeps an artifact): the outputs of every step not released (and of steps released
less than the grace period ago), every cache entry, and whatever the registered root providers
return. Another app that keeps artifacts of its own (datasets, logged metrics, tables, images)
registers one provider, once, in its AppConfig.ready():

    from runner.housekeeping import root_provider_register

    def dataset_digests(workspace_id: int | None) -> Iterable[str]:
        rows = Dataset.objects.all() if workspace_id is None else Dataset.objects.filter(workspace_id=workspace_id)
        return rows.values_list("digest", flat=True)

    root_provider_register("datasets", dataset_digests)

A provider returns the digests one workspace keeps, or all workspaces' for None. The sweep deletes
unreferenced Artifact records and their files, files without a record, and stale temporary files,
but never a file written less than the grace period ago (see docs/decisions/0007).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import ProtectedError, Q
from django.utils import timezone

from designer.workspaces.models import Workspace
from runner.artifacts import ArtifactStore, StoredFile
from runner.garbage import Garbage, garbage_find, output_digests
from runner.models import Artifact, CacheEntry, StepRun
from runner.release import batches, outputs_release, release_plan
from runner.store import artifact_store

SCRATCH_FOLDER_MIN_AGE_SECONDS = 600
RootProvider = Callable[[int | None], Iterable[str]]
_root_providers: dict[str, RootProvider] = {}


def root_provider_register(name: str, provider: RootProvider) -> None:
    """Keep the artifacts `provider` names; registering a name again replaces its provider."""
    _root_providers[name] = provider


def root_provider_unregister(name: str) -> None:
    _root_providers.pop(name, None)


def live_digests(
    workspace_id: int | None = None,
    without_steps: Collection[int] = (),
    released_after: datetime | None = None,
) -> set[str]:
    """The roots: digests the steps, cache entries and root providers (of one workspace, or all) keep.

    `without_steps` are counted as released (their cache entries too); a step released after
    `released_after` still counts as a root.
    """
    steps, entries = StepRun.objects.all(), CacheEntry.objects.all()
    if workspace_id is not None:
        steps = steps.filter(run__pipeline__workspace_id=workspace_id)
        entries = entries.filter(workspace_id=workspace_id)
    unreleased = Q(outputs_released_at__isnull=True)
    if released_after is not None:
        unreleased |= Q(outputs_released_at__gt=released_after)
    digests: set[str] = set()
    for rows in (steps.filter(unreleased).values_list("pk", "outputs"), entries.values_list("step_id", "outputs")):
        for step_id, outputs in rows.iterator(chunk_size=2000):
            if step_id not in without_steps:
                digests |= output_digests(outputs)
    for provider in list(_root_providers.values()):
        digests.update(provider(workspace_id))
    return digests


def recorded_sizes(digests: Iterable[str]) -> dict[str, int]:
    """digest -> size of the Artifact records among `digests`."""
    sizes: dict[str, int] = {}
    for batch in batches(sorted(digests)):
        sizes.update(Artifact.objects.filter(digest__in=batch).values_list("digest", "size"))
    return sizes


def plan_digests(plan_steps: Collection[int]) -> set[str]:
    digests: set[str] = set()
    for batch in batches(sorted(plan_steps)):
        for outputs in StepRun.objects.filter(pk__in=batch).values_list("outputs", flat=True):
            digests |= output_digests(outputs)
    return digests


@dataclass(frozen=True)
class Deleted:
    """What a sweep deleted (or, in a dry run, would delete)."""

    files: int = 0  # artifact files; fewer than the garbage when a step wrote one again meanwhile
    bytes: int = 0
    unrecorded: int = 0  # of `files`: those no Artifact record named
    temporary: int = 0
    temporary_bytes: int = 0
    records: int = 0

    @classmethod
    def of(
        cls, garbage: Garbage, files: Sequence[StoredFile], temporary: Sequence[StoredFile], records: int
    ) -> Deleted:
        unrecorded = {found.path for found in garbage.unrecorded}
        return cls(
            files=len(files),
            bytes=sum(found.size for found in files),
            unrecorded=sum(found.path in unrecorded for found in files),
            temporary=len(temporary),
            temporary_bytes=sum(found.size for found in temporary),
            records=records,
        )


@dataclass(frozen=True)
class CollectReport:
    dry_run: bool
    released_steps: int
    released_runs: int
    releasable_bytes: int  # held only by the released steps: deleted once the grace period passed
    deleted: Deleted
    kept_files: int
    kept_bytes: int
    young: int  # unreferenced files spared because they were written within the grace period
    missing: int  # referenced digests with no file in the store
    grace_seconds: int


def artifacts_collect(dry_run: bool = False, now: datetime | None = None) -> CollectReport:
    """Release what the retention rules no longer keep, then delete unreferenced artifacts.

    With `dry_run` nothing changes; the report says what would.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.ARTIFACT_GRACE_SECONDS)
    plans = [release_plan(workspace_id, now) for workspace_id in Workspace.objects.values_list("pk", flat=True)]
    plan_steps = frozenset().union(*(plan.steps for plan in plans))
    released = len(plan_steps) if dry_run else sum(outputs_release(plan, now) for plan in plans)
    releasable = plan_digests(plan_steps) - live_digests(without_steps=plan_steps)
    # Steps released at `now` stay roots for the grace period, unless it is zero.
    roots = live_digests(without_steps=plan_steps if dry_run and not grace else (), released_after=now - grace)
    store, written_before = artifact_store(), (now - grace).timestamp()
    recorded = Artifact.objects.values_list("digest", flat=True)
    garbage = garbage_find(roots, recorded, store.files(), _temporary(store, now), written_before)
    planned = Deleted.of(garbage, garbage.files, garbage.temporary, len(garbage.records))
    return CollectReport(
        dry_run=dry_run,
        released_steps=released,
        released_runs=len(frozenset().union(*(plan.runs for plan in plans))),
        releasable_bytes=sum(recorded_sizes(releasable).values()),
        deleted=planned if dry_run else _sweep(store, garbage, written_before),
        kept_files=garbage.kept_files,
        kept_bytes=garbage.kept_bytes,
        young=garbage.young,
        missing=len(garbage.missing),
        grace_seconds=int(grace.total_seconds()),
    )


def _sweep(store: ArtifactStore, garbage: Garbage, written_before: float) -> Deleted:
    files = [found for found in garbage.files if store.remove_unless_written_since(found.path, written_before)]
    spared = {str(found.digest) for found in garbage.files} - {str(found.digest) for found in files}
    temporary = [
        found for found in garbage.temporary if store.remove_temporary_unless_written_since(found.path, written_before)
    ]
    records = sorted(digest for digest in garbage.records - spared if not _has_file(store.root, digest))
    return Deleted.of(garbage, files, temporary, _delete_records(records))


def _delete_records(digests: Sequence[str]) -> int:
    deleted = 0
    for batch in batches(digests):
        try:
            deleted += Artifact.objects.filter(digest__in=batch).delete()[0]
        except ProtectedError:  # a record that began to be referred to (a dataset version) since the mark
            for digest in batch:
                with contextlib.suppress(ProtectedError):
                    deleted += Artifact.objects.filter(digest=digest).delete()[0]
    return deleted


def _temporary(store: ArtifactStore, now: datetime) -> Iterator[StoredFile]:
    """Temporary files, and scratch folders untouched for SCRATCH_FOLDER_MIN_AGE_SECONDS at least
    (a running step touches its folder every minute, whatever the grace period)."""
    yield from store.temporary_files()
    untouched_since = (now - timedelta(seconds=SCRATCH_FOLDER_MIN_AGE_SECONDS)).timestamp()
    yield from (folder for folder in store.scratch_folders() if folder.modified < untouched_since)


def _has_file(root: Path, digest: str) -> bool:
    """Is there a file for `digest` now? (A step may have written it again since the sweep began.)"""
    return any((root / digest[:2]).glob(f"{digest}*"))
