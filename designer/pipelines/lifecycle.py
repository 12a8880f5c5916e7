"""Renaming, duplicating, deleting and restoring pipelines. Deleting is soft: nothing is lost."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from designer.pipelines.drafts import pipeline_create
from designer.pipelines.models import Pipeline


class PipelineDeleted(Exception):
    """The pipeline is in its workspace's Deleted list; it must be restored before use."""

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(
            f"pipeline '{pipeline.name}' was deleted; restore it from the workspace's Deleted list to open it"
        )


def pipeline_rename(pipeline: Pipeline, name: str) -> Pipeline:
    Pipeline.objects.filter(pk=pipeline.pk).update(name=name, updated_at=timezone.now())
    pipeline.refresh_from_db()
    return pipeline


def pipeline_duplicate(pipeline: Pipeline, user: AbstractBaseUser | None, name: str | None = None) -> Pipeline:
    """A new pipeline in the same workspace whose draft is a copy of this one's (versions and runs stay behind)."""
    current = Pipeline.objects.values_list("draft_graph", flat=True).get(pk=pipeline.pk)
    return pipeline_create(pipeline.workspace, name or _copy_name(pipeline), user, current)


def _copy_name(pipeline: Pipeline) -> str:
    """ "Iris (copy)", or "Iris (copy 2)" and on when that name is taken in the workspace."""
    taken = set(Pipeline.objects.live().filter(workspace_id=pipeline.workspace_id).values_list("name", flat=True))
    name, number = f"{pipeline.name} (copy)", 2
    while name in taken:
        name, number = f"{pipeline.name} (copy {number})", number + 1
    return name


def pipeline_delete(pipeline: Pipeline, user: AbstractBaseUser | None) -> Pipeline:
    """Moves the pipeline to the Deleted list; deleting it again changes nothing."""
    Pipeline.objects.filter(pk=pipeline.pk, deleted_at__isnull=True).update(deleted_at=timezone.now(), deleted_by=user)
    pipeline.refresh_from_db()
    return pipeline


def pipeline_restore(pipeline: Pipeline) -> Pipeline:
    """Brings a deleted pipeline back, with its draft, versions and runs as they were."""
    Pipeline.objects.filter(pk=pipeline.pk).update(deleted_at=None, deleted_by=None)
    pipeline.refresh_from_db()
    return pipeline
