"""Runs of pipeline versions, their steps and the artifacts the steps wrote.

Status changes go through runner.events, which makes them conditional updates and
announces them; never save a status field directly.
"""

from django.conf import settings
from django.db import models

from designer.pipelines.models import Pipeline, PipelineVersion
from designer.workspaces.models import Workspace
from runner import plan


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


class StepStatus(models.TextChoices):
    PENDING = plan.PENDING, "Pending"
    QUEUED = plan.QUEUED, "Queued"
    RUNNING = plan.RUNNING, "Running"
    COMPLETED = plan.COMPLETED, "Completed"
    FAILED = plan.FAILED, "Failed"
    SKIPPED = plan.SKIPPED, "Skipped"
    CACHED = plan.CACHED, "Cached"
    CANCELED = plan.CANCELED, "Canceled"


RUN_ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class Run(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(PipelineVersion, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    # Bumped with every status change of the run or its steps; clients order events by it.
    event_seq = models.PositiveIntegerField(default=0)
    # runner.options.RunOptions as JSON: regenerate, up_to, from, retry_of, continue_on_failure.
    options = models.JSONField(default=dict, blank=True)
    # The values of the pipeline parameters this run used (given ones and defaults), by name.
    parameters = models.JSONField(default=dict, blank=True)
    # Pinned by a user: the retention rules never release this run's outputs (runner/release.py).
    keep = models.BooleanField(default=False)

    class Meta:
        ordering = ["pipeline", "-number"]
        constraints = [models.UniqueConstraint(fields=["pipeline", "number"], name="one_run_number_per_pipeline")]

    def __str__(self) -> str:
        return f"run {self.number} of pipeline {self.pipeline_id}"


class StepRun(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    node_id = models.CharField(max_length=100)
    module = models.CharField(max_length=200)
    module_version = models.CharField(max_length=50)
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING)
    attempt = models.PositiveIntegerField(default=0)
    queue = models.CharField(max_length=200)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    log = models.TextField(blank=True, default="")
    outputs = models.JSONField(default=dict, blank=True)
    # Set when the step becomes ready (its inputs are known): runner.cache.KeyParts and its key.
    cache_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    cache_parts = models.JSONField(default=dict, blank=True)
    # Its input references (input port -> {type, digest}), recorded with the key: whoever runs
    # the step reads them with it. None: not recorded (its key could not be computed), read then.
    inputs = models.JSONField(null=True, blank=True, default=None)
    # The step that produced the outputs of a cached step.
    cached_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Why it ran ("parameter fraction 0.7→0.8", "never run", ...) or where its outputs came from.
    reason = models.TextField(blank=True, default="")
    # A step waiting to be retried is not dispatched before this time (its backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    # The node's compute target ("" for the default one); `queue` is where its task goes.
    compute_target = models.CharField(max_length=60, blank=True, default="")
    queued_at = models.DateTimeField(null=True, blank=True)
    # Crash safety (runner/reaper.py): the worker running it, which renews `heartbeat_at` while it
    # runs; a step whose worker stopped renewing it is queued again, `worker_losses` times at most.
    worker = models.CharField(max_length=200, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker_losses = models.PositiveIntegerField(default=0)
    # When the retention rules released its outputs (runner/release.py): `outputs` still names
    # them, but they are no longer kept in the store.
    outputs_released_at = models.DateTimeField(null=True, blank=True)
    # What the step last said of its progress (modules.step_api.report_progress), while it runs.
    progress_done = models.PositiveIntegerField(null=True, blank=True)
    progress_total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        # By the column, not by "run": that would join runs (and sort by their ordering) in
        # every step query the runner makes.
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "node_id"], name="one_step_per_node_per_run")]

    def __str__(self) -> str:
        return f"step {self.node_id} of run {self.run_id}"


class StepMetric(models.Model):
    """A number a step logged (modules.step_api.log_metric); `index` orders a series of one name."""

    step = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=100)
    value = models.FloatField()
    index = models.PositiveIntegerField(null=True, blank=True)
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["step", "id"]

    def __str__(self) -> str:
        return f"metric {self.name} of {self.step_id}"


class AttachmentKind(models.TextChoices):
    TABLE = "table", "Table"
    IMAGE = "image", "Image"


class StepAttachment(models.Model):
    """A table or image a step logged, kept in the artifact store (a root of garbage collection)."""

    step = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64)
    size = models.BigIntegerField()
    rows = models.PositiveIntegerField(null=True, blank=True)  # of the table as logged, before it was cut
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["step", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} of {self.step_id}"


class Artifact(models.Model):
    """A value in the content-addressed store, known by the sha256 of its file."""

    digest = models.CharField(max_length=64, primary_key=True)
    port_type = models.CharField(max_length=50)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.port_type} {self.digest[:12]}"


class CacheEntry(models.Model):
    """The outputs of a completed step, found by its cache key; the latest producer wins.

    Per workspace: a cached step names the run that produced it, which must be one its
    workspace's members may see.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    outputs = models.JSONField(default=dict)  # port -> {type, digest}
    step = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="one_cache_entry_per_key")]

    def __str__(self) -> str:
        return f"cache {self.key[:12]} from step {self.step_id}"


class Worker(models.Model):
    """A `celery worker` process, as it last reported itself (runner/workers.py)."""

    name = models.CharField(max_length=200, unique=True)  # Celery's node name, e.g. trellis@host
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    queues = models.JSONField(default=list)
    concurrency = models.PositiveIntegerField(default=1)
    # Whom its steps run as, and why when that is the worker's own user (runner/step_user.py).
    steps_run_as = models.CharField(max_length=500, blank=True, default="")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    # Set when it shut down, or when a reaper found it gone (`lost`).
    stopped_at = models.DateTimeField(null=True, blank=True)
    lost = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkspaceRetention(models.Model):
    """A workspace owner's override of the retention rules; a field left empty keeps the default."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, primary_key=True, related_name="+")
    keep_days = models.PositiveIntegerField(null=True, blank=True)
    keep_last = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"retention of workspace {self.workspace_id}"
