from typing import Any

from django.conf import settings
from django.db import models
from django.utils.text import slugify


class Role(models.TextChoices):
    READER = "reader", "Reader"
    CONTRIBUTOR = "contributor", "Contributor"
    OWNER = "owner", "Owner"


ROLE_RANK = {Role.READER: 1, Role.CONTRIBUTOR: 2, Role.OWNER: 3}


class Workspace(models.Model):
    name = models.CharField(max_length=200)
    # Fixed at creation (a rename keeps it): compute target queues are named after it.
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(self.name)
        super().save(*args, **kwargs)


def unique_slug(name: str) -> str:
    """A slug of `name` no workspace has yet: "research", then "research-2", ..."""
    base = slugify(name)[:50] or "workspace"
    taken = set(Workspace.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return next(slug for slug in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))) if slug not in taken)


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.workspace}"


class ComputeTarget(models.Model):
    """A named place to run steps: the Celery queue `<workspace slug>.<name>`, with limits per step.

    Nodes pick one by name (their `compute_target` key); the rest go to the default queue.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="compute_targets")
    name = models.SlugField(max_length=60)
    description = models.CharField(max_length=500, blank=True, default="")
    # Limits for each step on this target; None: no limit.
    timeout_seconds = models.FloatField(null=True, blank=True)
    cpu_seconds = models.PositiveIntegerField(null=True, blank=True)
    memory_mb = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workspace", "name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_target_name_per_workspace")]

    def __str__(self) -> str:
        return self.queue

    @property
    def queue(self) -> str:
        return f"{self.workspace.slug}.{self.name}"
