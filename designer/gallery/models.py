"""Workspace modules and their versions. A published version never changes: only its status does."""

from django.conf import settings
from django.db import models

from designer.workspaces.models import Workspace


class VersionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DEPRECATED = "deprecated", "Deprecated"  # still runs; the canvas says so
    DISABLED = "disabled", "Disabled"  # may not be used: validation refuses it, the palette hides it


class Module(models.Model):
    """A module of one workspace's gallery: what its palette entry shows, and which version it adds."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="modules")
    name = models.CharField(max_length=63)
    display_name = models.CharField(max_length=200)
    category = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    default_version = models.CharField(max_length=32)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "display_name", "id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_module_name_per_workspace")]

    def __str__(self) -> str:
        return self.display_name


class ModuleVersion(models.Model):
    """One published version: its spec (JSON), its code and the digest of its helper files' zip."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=32)
    spec = models.JSONField()
    code = models.TextField()
    bundle_digest = models.CharField(max_length=64, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["module", "id"]
        constraints = [models.UniqueConstraint(fields=["module", "version"], name="one_version_string_per_module")]

    def __str__(self) -> str:
        return f"{self.module.name}@{self.version}"
