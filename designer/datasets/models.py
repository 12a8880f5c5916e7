"""Workspace datasets: named tables (or zip bundles) with versions, each version an artifact known by its digest.

A version is the content: uploading the same table again finds the version that holds it. Versions
are roots of the artifact store: their files must never be collected (see `dataset_artifact_digests`).
"""

from django.conf import settings
from django.db import models

from designer.workspaces.models import Workspace
from runner.models import Artifact, StepRun


class Dataset(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workspace", "name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_dataset_name_per_workspace")]

    def __str__(self) -> str:
        return self.name


class DatasetKind(models.TextChoices):
    TABLE = "table", "Table"
    ZIP = "zip", "Zip bundle"  # a file dataset: helper code for Execute Python Script


class DatasetVersion(models.Model):
    """One content of a dataset. `artifact` (column `digest`) is the stored table or zip; PROTECT keeps
    its Artifact row from being deleted while a version names it."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    artifact = models.ForeignKey(Artifact, on_delete=models.PROTECT, db_column="digest", related_name="+")
    kind = models.CharField(max_length=10, choices=DatasetKind.choices, default=DatasetKind.TABLE)
    row_count = models.PositiveBigIntegerField()  # 0 for a zip
    columns = models.JSONField(default=list)  # [{"name", "type"}], as modules.schema.TableSchema writes them
    files = models.JSONField(default=list)  # a zip's members: [{"name", "size"}]
    # Where it came from: the uploaded file's name and format, or the export step that made it.
    file_name = models.CharField(max_length=255, blank=True, default="")
    file_format = models.CharField(max_length=20, blank=True, default="")
    exported_by = models.ForeignKey(StepRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="one_dataset_version_number"),
            models.UniqueConstraint(fields=["dataset", "artifact"], name="one_dataset_version_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number} ({self.digest[:12]})"

    @property
    def digest(self) -> str:
        return str(self.artifact_id)
