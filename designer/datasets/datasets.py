"""Workspace datasets: creating them, adding versions (from uploads and from Export Data), finding them.

A version is identified by the sha256 digest of its stored table (Parquet, as every table output
is stored): the same table uploaded again, under any file name or format, is the version that
already holds it. A dataset may instead hold zip bundles (a file dataset of helper code for
Execute Python Script), stored as their bytes and checked at upload like every archive from users.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

import pandas as pd
import pyarrow.parquet as parquet
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet

from designer.datasets.models import Dataset, DatasetKind, DatasetVersion
from designer.workspaces.access import AccessDenied, User, require_role
from designer.workspaces.models import Role, Workspace
from modules.archives import ArchiveError, read_archive
from modules.ports import TABLE, ZIP
from modules.schema import TableSchema
from modules.table_formats import AUTO, SNIFF_BYTES, TableFormatError, detect_format, read_table
from runner.artifacts import ArtifactStore
from runner.models import Artifact, StepRun
from runner.store import artifact_store

NUMBER_ATTEMPTS = 5
ZIP_FORMAT = "zip"  # an upload's format when it is a zip bundle of files, not a table


class DatasetError(ValueError):
    """An upload or dataset change that cannot be made; the message says why, for the user."""


class UploadTooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"the upload is {size} bytes; files are limited to {limit} bytes here (TRELLIS_UPLOAD_MAX_BYTES)"
        )


@dataclass(frozen=True)
class Content:
    """What an upload holds, ready to store: a table, or the bytes of a checked zip archive."""

    file_format: str
    table: pd.DataFrame | None = None
    archive: bytes | None = None


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name, its content type and its bytes (a file object)."""

    name: str
    size: int
    content: BinaryIO
    content_type: str = ""


def dataset_for(user: User, dataset_id: Any, minimum: Role = Role.READER) -> Dataset:
    """The dataset, if `user` has at least `minimum` in its workspace; AccessDenied (hidden when not a member)."""
    dataset = _with_versions(Dataset.objects.select_related("workspace")).filter(pk=dataset_id).first()
    if dataset is None:
        raise AccessDenied(f"no dataset {dataset_id}", hidden=True)
    require_role(user, dataset.workspace, minimum)
    return dataset


def dataset_version_for(dataset: Dataset, digest: str) -> DatasetVersion:
    version = dataset.versions.filter(artifact_id=digest).first()
    if version is None:
        raise AccessDenied(f"dataset {dataset.name} has no version {digest}", hidden=True)
    return version


def datasets_of(workspace: Workspace) -> QuerySet[Dataset]:
    return _with_versions(workspace.datasets.order_by("name"))


def _with_versions(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Datasets with their versions (newest first) and who made each, in two queries."""
    versions = DatasetVersion.objects.select_related("created_by", "exported_by").order_by("-number")
    return datasets.prefetch_related(Prefetch("versions", queryset=versions))


def upload_check_size(size: int) -> None:
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadTooLarge(size, settings.UPLOAD_MAX_BYTES)


def upload_content(upload: Upload, file_format: str = AUTO) -> Content:
    """What an uploaded file holds: a table, or (a .zip, or the format "zip") a checked zip archive.

    DatasetError, naming the file, when it holds neither. A .xlsx is a zip too: only the name or
    the chosen format makes an upload a zip bundle.
    """
    upload_check_size(upload.size)
    data = upload.content.read()
    upload_check_size(len(data))  # a client may have sent more than it declared
    if file_format == ZIP_FORMAT or (file_format == AUTO and upload.name.lower().endswith(".zip")):
        try:
            members = read_archive(data)  # path traversal, links, member count, uncompressed size
        except ArchiveError as error:
            raise DatasetError(f"{upload.name}: the zip bundle is refused: {error}") from None
        if not members:
            raise DatasetError(f"{upload.name}: the zip bundle holds no files")
        return Content(ZIP_FORMAT, archive=data)
    if file_format == AUTO:
        file_format = detect_format(upload.name, upload.content_type, data[:SNIFF_BYTES])
    try:
        return Content(file_format, table=read_table(data, file_format))
    except TableFormatError as error:
        raise DatasetError(f"{upload.name}: {error}") from None


def dataset_create(
    workspace: Workspace,
    name: str,
    user: AbstractBaseUser | None,
    upload: Upload,
    description: str = "",
    file_format: str = AUTO,
) -> tuple[Dataset, DatasetVersion]:
    """A new dataset named `name` whose first version is the uploaded table or zip bundle."""
    content = upload_content(upload, file_format)
    with transaction.atomic():
        try:
            with transaction.atomic():
                dataset = Dataset.objects.create(
                    workspace=workspace, name=name, description=description, created_by=user
                )
        except IntegrityError:
            raise DatasetError(
                f"this workspace already has a dataset named {name!r}: upload a new version of it instead"
            ) from None
        version, _ = dataset_content_add(dataset, content, user, file_name=upload.name)
    return dataset, version


def dataset_version_upload(
    dataset: Dataset, user: AbstractBaseUser | None, upload: Upload, file_format: str = AUTO
) -> tuple[DatasetVersion, bool]:
    """The version holding the uploaded content, and whether it is new (False: that content was a version already)."""
    content = upload_content(upload, file_format)
    return dataset_content_add(dataset, content, user, file_name=upload.name)


def dataset_content_add(
    dataset: Dataset, content: Content, user: AbstractBaseUser | None, **origin: Any
) -> tuple[DatasetVersion, bool]:
    """Store an upload's table or zip as a version of `dataset`; a dataset keeps one kind of content."""
    kind = DatasetKind.ZIP if content.archive is not None else DatasetKind.TABLE
    held = dataset.versions.values_list("kind", flat=True).first()
    if held is not None and held != kind:
        raise DatasetError(
            f"dataset {dataset.name!r} holds {DatasetKind(held).label.lower()}s; "
            f"a {DatasetKind(kind).label.lower()} cannot be a version of it: upload it as a new dataset"
        )
    origin["file_format"] = content.file_format
    if content.table is not None:
        return dataset_version_add(dataset, content.table, user, **origin)
    stored = artifact_store().write(content.archive, ZIP)
    Artifact.objects.get_or_create(digest=stored.digest, defaults={"port_type": ZIP.name, "size": stored.size})
    return dataset_version_record(dataset, stored.digest, user, kind=DatasetKind.ZIP, **origin)


def dataset_version_add(dataset: Dataset, table: pd.DataFrame, user: AbstractBaseUser | None, **origin: Any) -> Any:
    """Store `table` and record it as a version of `dataset`; (version, created)."""
    try:
        stored = artifact_store().write(table, TABLE)  # with fsync when TRELLIS_ARTIFACT_FSYNC is on
    except (TypeError, ValueError) as error:  # pyarrow refuses what it cannot store (ArrowException is one)
        raise DatasetError(f"the table cannot be stored: {error}") from None
    Artifact.objects.get_or_create(digest=stored.digest, defaults={"port_type": TABLE.name, "size": stored.size})
    return dataset_version_record(dataset, stored.digest, user, **origin)


def dataset_version_record(
    dataset: Dataset, digest: str, user: AbstractBaseUser | None, kind: str = DatasetKind.TABLE, **origin: Any
) -> tuple[DatasetVersion, bool]:
    """The version of `dataset` holding the stored table (or zip) `digest`, made when there is none; (version, created).

    `origin` may hold file_name, file_format and exported_by (the Export Data step).
    """
    facts = _zip_facts(digest) if kind == DatasetKind.ZIP else _table_facts(digest)
    for _ in range(NUMBER_ATTEMPTS):  # another upload may take the next number, or the same content, meanwhile
        existing = dataset.versions.filter(artifact_id=digest).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                number = (dataset.versions.aggregate(top=Max("number"))["top"] or 0) + 1
                version = DatasetVersion.objects.create(
                    dataset=dataset, number=number, artifact_id=digest, kind=kind, created_by=user, **facts, **origin
                )
                return version, True
        except IntegrityError:
            continue
    raise RuntimeError(f"could not record a version of dataset {dataset.pk}: version numbers kept colliding")


def _table_facts(digest: str) -> dict[str, Any]:
    """Row count and columns of a stored table, from its Parquet footer."""
    path = ArtifactStore(settings.ARTIFACT_DIR).path(digest, TABLE)
    footer = parquet.ParquetFile(path)
    empty = footer.schema_arrow.empty_table().to_pandas()
    return {"row_count": footer.metadata.num_rows, "columns": TableSchema.of_frame(empty).to_json()["columns"]}


def _zip_facts(digest: str) -> dict[str, Any]:
    """The files of a stored zip bundle (checked when it was uploaded), in path order."""
    members = read_archive(ArtifactStore(settings.ARTIFACT_DIR).read(digest, ZIP))
    return {"row_count": 0, "files": [{"name": name, "size": len(data)} for name, data in sorted(members.items())]}


def dataset_version_preview(version: DatasetVersion) -> dict[str, Any]:
    """The first rows, the column types and the per-column statistics of a version's table; a zip's files."""
    if version.kind == DatasetKind.ZIP:
        return {"kind": "files", "file_count": len(version.files), "files": version.files}
    return ArtifactStore(settings.ARTIFACT_DIR).preview(version.digest, TABLE)


def dataset_export_record(step: StepRun, dataset_name: str) -> tuple[DatasetVersion, bool]:
    """The table an Export Data step wrote, as a version of the workspace dataset `dataset_name`."""
    run = step.run
    dataset, _ = Dataset.objects.get_or_create(
        workspace_id=run.pipeline.workspace_id,
        name=dataset_name,
        defaults={"created_by": run.created_by, "description": f"Exported by pipeline {run.pipeline.name}."},
    )
    digest = step.outputs["dataset"]["digest"]
    return dataset_version_record(dataset, digest, run.created_by, exported_by=step)


def dataset_artifact_digests(workspace_id: int | None = None) -> QuerySet[DatasetVersion, str]:
    """Digests of every dataset version's table (in one workspace, or all): roots that artifact
    collection must keep, registered as the "datasets" root provider (runner/housekeeping.py)."""
    versions = DatasetVersion.objects.all()
    if workspace_id is not None:
        versions = versions.filter(dataset__workspace_id=workspace_id)
    return versions.values_list("artifact_id", flat=True)
