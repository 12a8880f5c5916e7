"""What the API shows of a run: a JSON snapshot, a step's log, a preview of a step's output."""

from datetime import datetime
from typing import Any

from designer.pipelines.catalog import module_registry
from designer.workspaces.targets import DEFAULT_TARGET
from runner import plan as states
from runner.models import Run, StepRun
from runner.reuse import released_reason
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
    }


def _origin(step: StepRun) -> dict[str, Any] | None:
    """The run number and node whose outputs a cached step reused."""
    producer = step.cached_from
    return {"run": producer.run.number, "node": producer.node_id} if producer else None


def step_log(step: StepRun) -> str:
    """The step's captured stdout and stderr (the last megabyte)."""
    return step.log


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
