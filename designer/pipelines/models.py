from django.conf import settings
from django.db import models

from designer.workspaces.models import Workspace


def empty_graph() -> dict[str, object]:
    return {"format_version": 2, "nodes": [], "edges": []}


class Pipeline(models.Model):
    """A pipeline and its draft: the graph being edited, guarded by a revision number."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="pipelines")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft_graph = models.JSONField(default=empty_graph)
    draft_revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PipelineVersion(models.Model):
    """An immutable, numbered snapshot of a pipeline's graph; every run runs one."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    graph = models.JSONField()
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pipeline", "number"]
        constraints = [models.UniqueConstraint(fields=["pipeline", "number"], name="one_version_number_per_pipeline")]

    def __str__(self) -> str:
        return f"{self.pipeline.name} v{self.number}"
