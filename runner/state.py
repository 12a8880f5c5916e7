"""What the API shows of a run: a JSON snapshot, a step's log, a preview of a step's output."""

from datetime import datetime
from pathlib import Path
from typing import Any

from designer.pipelines.catalog import module_registry
from designer.workspaces.targets import DEFAULT_TARGET
from modules.ports import PNG_IMAGE, TABLE
from runner import plan as states
from runner.models import AttachmentKind, Run, StepAttachment, StepMetric, StepRun
from runner.reuse import released_reason
from runner.step_report import attachment_json, metric_json
from runner.store import artifact_store
from runner.workers import served_queues, waiting_for


def run_snapshot(run: Run) -> dict[str, Any]:
    """The run and all its steps, as clients need them to (re)draw its state; `seq` orders it among events."""
    run = Run.objects.select_related("version").get(pk=run.pk)  # fresh: the caller's copy may be stale
    served = served_queues()
    steps = run.steps.select_related("cached_from__run").order_by("id")
    return {**run_fields(run), "steps": [_step_snapshot(step, served) for step in steps]}


def run_fields(run: Run) -> dict[str, Any]:
    """The run without its steps, as it is in memory (load `version` with it when listing many)."""
    return {
        "id": run.pk,
        "number": run.number,
        "pipeline": run.pipeline_id,
        "version": run.version.number,
        "status": run.status,
        "seq": run.event_seq,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "error": run.error,
        "options": run.options,
        "parameters": run.parameters,
        "keep": run.keep,
    }


def _step_snapshot(step: StepRun, served: set[str]) -> dict[str, Any]:
    return {
        "node": step.node_id,
        "module": step.module,
        "version": step.module_version,
        "status": step.status,
        "attempt": step.attempt,
        "started_at": _iso(step.started_at),
        "finished_at": _iso(step.finished_at),
        "error": step.error,
        "outputs": step.outputs,
        "reason": step.reason,
        "cached_from": _origin(step),
        "outputs_released_at": _iso(step.outputs_released_at),
        "compute_target": step.compute_target or DEFAULT_TARGET,
        "worker": step.worker,
        "waiting": waiting_for(step, served) if step.status == states.QUEUED else "",
        "progress": _progress(step),
    }


def _progress(step: StepRun) -> dict[str, int] | None:
    if step.progress_total is None:
        return None
    return {"done": step.progress_done or 0, "total": step.progress_total}


def run_metrics(run: Run) -> list[dict[str, Any]]:
    """Per step: the metrics, tables and images it logged (a cached step: those of the step it reused)."""
    steps = list(run.steps.order_by("id"))
    sources = {step.pk: step.cached_from_id or step.pk for step in steps}
    metrics: dict[int, list[dict[str, Any]]] = {}
    for metric in StepMetric.objects.filter(step_id__in=set(sources.values())).order_by("id"):
        metrics.setdefault(metric.step_id, []).append(metric_json(metric))
    attachments: dict[int, list[dict[str, Any]]] = {}
    for attachment in StepAttachment.objects.filter(step_id__in=set(sources.values())).order_by("id"):
        attachments.setdefault(attachment.step_id, []).append(attachment_json(attachment))
    return [
        {"node": step.node_id, "metrics": metrics.get(source, []), "attachments": attachments.get(source, [])}
        for step in steps
        if (source := sources[step.pk]) in metrics or source in attachments
    ]


def step_attachment(step: StepRun, attachment_id: int) -> StepAttachment:
    """A table or image the step (or the step a cached one reused) logged; LookupError if it has none by that id."""
    source = step.cached_from_id or step.pk
    attachment = StepAttachment.objects.filter(step_id=source, pk=attachment_id).first()
    if attachment is None:
        raise LookupError(f"step {step.node_id} logged no table or image {attachment_id}")
    return attachment


def attachment_preview(attachment: StepAttachment) -> dict[str, Any]:
    """A logged table's preview (as an output's); an image's name and size."""
    port_type = TABLE if attachment.kind == AttachmentKind.TABLE else PNG_IMAGE
    return {"name": attachment.name, **artifact_store().preview(attachment.digest, port_type)}


def attachment_path(attachment: StepAttachment) -> Path:
    port_type = TABLE if attachment.kind == AttachmentKind.TABLE else PNG_IMAGE
    return artifact_store().path(attachment.digest, port_type)


def _origin(step: StepRun) -> dict[str, Any] | None:
    """The run number and node whose outputs a cached step reused."""
    producer = step.cached_from
    return {"run": producer.run.number, "node": producer.node_id} if producer else None


def step_log(step: StepRun) -> str:
    """The step's captured stdout and stderr (the last megabyte), kept up to date while it runs."""
    return step.log


def step_log_json(step: StepRun) -> dict[str, Any]:
    """The log, and its `length`: where the next live report's log text starts (runner/step_report.py)."""
    return {"log": step.log, "length": len(step.log), "status": step.status}


def output_preview(step: StepRun, port: str) -> dict[str, Any]:
    """The port type's preview of the artifact on output `port`; LookupError if there is none.

    Outputs the retention rules released preview as a message saying so (kind "released").
    """
    if not step.outputs:
        raise LookupError(f"step {step.node_id} has no outputs (it is {step.status})")
    output = step.outputs.get(port)
    if output is None:
        known = ", ".join(sorted(step.outputs))
        raise LookupError(f"step {step.node_id} has no output port '{port}' (it has: {known})")
    if step.outputs_released_at is not None:
        message = f"{released_reason(step.outputs_released_at)}; re-run to regenerate"
        return {"kind": "released", "message": message, "released_at": _iso(step.outputs_released_at)}
    port_type = module_registry().port_type(output["type"])
    return artifact_store().preview(output["digest"], port_type)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
