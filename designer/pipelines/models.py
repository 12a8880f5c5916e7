from django.conf import settings
from django.db import models

from designer.workspaces.models import Workspace


def empty_graph() -> dict[str, object]:
    return {"format_version": 2, "nodes": [], "edges": []}


class PipelineQuerySet(models.QuerySet["Pipeline"]):
    def live(self) -> "PipelineQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "PipelineQuerySet":
        return self.filter(deleted_at__isnull=False)


class Pipeline(models.Model):
    """A pipeline and its draft: the graph being edited, guarded by a revision number.

    Deleting only sets `deleted_at`: the pipeline, its versions and runs stay until restored.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="pipelines")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft_graph = models.JSONField(default=empty_graph)
    draft_revision = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PipelineQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class VersionOrigin(models.TextChoices):
    RUN = "run", "Recorded by a run"
    SAVED = "saved", "Saved with a message"
    KEPT = "kept", "The draft, kept before a restore"


class PipelineVersion(models.Model):
    """An immutable, numbered snapshot of a pipeline's graph; every run runs one."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    graph = models.JSONField()
    digest = models.CharField(max_length=64)
    message = models.CharField(max_length=500, blank=True, default="")
    origin = models.CharField(max_length=10, choices=VersionOrigin.choices, default=VersionOrigin.RUN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pipeline", "number"]
        constraints = [models.UniqueConstraint(fields=["pipeline", "number"], name="one_version_number_per_pipeline")]

    def __str__(self) -> str:
        return f"{self.pipeline.name} v{self.number}"
