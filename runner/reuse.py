"""Deciding, when a step becomes ready, whether its outputs can be reused, and saying why not.

A step is ready once every upstream step has outputs, so its cache key (runner.cache) can be
computed then. The decision is recorded on the StepRun (key, parts, reason) whichever way it goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from designer.pipelines.catalog import module_registry, workspace_registry
from modules.registry import ModuleNotFound
from modules.spec import ModuleSpec
from runner import plan as states
from runner.cache import KeyParts, explain, key_parts
from runner.models import CacheEntry, Run, StepRun
from runner.options import RunOptions
from runner.plan import Plan
from runner.store import artifact_store
from runner.versions import node_of, step_parameters


@dataclass(frozen=True)
class Decision:
    parts: KeyParts | None
    reason: str
    outputs: dict[str, Any] = field(default_factory=dict)  # the reused outputs, when `producer` is set
    producer: int | None = None  # the id of the step whose outputs are reused; None: the step runs
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)  # input port -> reference of its upstream output

    def fields(self) -> dict[str, Any]:
        """The StepRun fields that record this decision."""
        parts = self.parts.to_json() if self.parts else {}
        return {"cache_key": self.parts.key if self.parts else "", "cache_parts": parts, "reason": self.reason}


def step_decide(
    run: Run, plan: Plan, step: StepRun, options: RunOptions, known: dict[str, dict[str, Any]] | None = None
) -> Decision:
    """Reuse (from the retried run or the cache) or run, with the reason either way.

    `known`: outputs of upstream steps by node, where the caller has them (see input_refs)."""
    spec = step_spec(step)
    node = node_of(run.version, step.node_id)
    inputs = input_refs(step, plan, known)
    digests = {port: ref["digest"] for port, ref in inputs.items()}
    parts = key_parts(spec, node.get("parameters", {}), digests, run.parameters)
    node["parameters"] = step_parameters(run, step.node_id)
    retried = _retried_step(options, step.node_id)
    if retried is not None:  # a retry reuses what completed, even where reuse is off
        producer = retried.cached_from if retried.status == states.CACHED else retried
        if producer is not None and retried.outputs_released_at is None and _stored(retried.outputs):
            return Decision(parts, f"cached (from run {producer.run.number})", retried.outputs, producer.pk)
    forced = _forced_reason(options, plan, node, spec)
    if forced is not None:
        return Decision(parts, forced, inputs=inputs)
    entries = CacheEntry.objects.filter(workspace_id=run.pipeline.workspace_id, key=parts.key)  # unique: one or none
    for outputs, producer_id, run_number in entries.values_list("outputs", "step_id", "step__run__number"):
        if _stored(outputs):
            return Decision(parts, f"cached (from run {run_number})", outputs, producer_id)
    return Decision(parts, _why_run(run, step, parts), inputs=inputs)


def cache_record(step: StepRun, outputs: dict[str, Any]) -> None:
    """Remember a completed step's outputs under its key (call inside the completing transaction).

    An upsert: of twin steps finishing at the same moment, the last one's outputs are kept.
    """
    if not step.cache_key:
        return
    spec = step_spec(step)
    if not spec.deterministic_for(step_parameters(step.run, step.node_id)):
        return
    entry = CacheEntry(workspace_id=step.run.pipeline.workspace_id, key=step.cache_key, outputs=outputs, step=step)
    CacheEntry.objects.bulk_create(
        [entry],
        update_conflicts=True,
        unique_fields=["workspace", "key"],
        update_fields=["outputs", "step", "created_at"],
    )


def step_spec(step: StepRun) -> ModuleSpec:
    """The spec a step runs: its module version in its pipeline's workspace (built-in or the workspace's own)."""
    try:  # most steps run a built-in: no workspace registry to build (its modules never take those names)
        return module_registry().get(step.module, step.module_version)
    except ModuleNotFound:
        return workspace_registry(step.run.pipeline.workspace_id).get(step.module, step.module_version)


def input_refs(step: StepRun, plan: Plan, known: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, str]]:
    """Input port -> {type, digest} of the upstream output feeding it.

    `known` holds the outputs of some upstream steps by node (a step's outputs never change
    once it is done); the others are read."""
    edges = plan.inputs[step.node_id]
    outputs = dict(known or {})
    missing = {edge.source_node for edge in edges} - outputs.keys()
    if missing:
        upstream = StepRun.objects.filter(run_id=step.run_id, node_id__in=sorted(missing))
        outputs |= dict(upstream.values_list("node_id", "outputs"))
    return {edge.target_port: outputs[edge.source_node][edge.source_port] for edge in edges}


def _forced_reason(options: RunOptions, plan: Plan, node: dict[str, Any], spec: ModuleSpec) -> str | None:
    if options.regenerate:
        return "regenerate all outputs"
    if node["id"] in options.reuse_off(plan):
        return f"reuse off (run from {options.from_node})"
    if node.get("allow_reuse") is False:
        return "reuse off"
    if not spec.deterministic_for(node.get("parameters", {})):
        return "reuse off (not deterministic)"
    return None


def _retried_step(options: RunOptions, node_id: str) -> StepRun | None:
    if options.retry_of is None:
        return None
    steps = StepRun.objects.select_related("run", "cached_from__run")
    return steps.filter(run_id=options.retry_of, node_id=node_id, status__in=states.DONE).first()


def _why_run(run: Run, step: StepRun, parts: KeyParts) -> str:
    """What changed since the node last ran in this pipeline."""
    earlier = StepRun.objects.filter(run__pipeline_id=run.pipeline_id, node_id=step.node_id).exclude(run_id=run.pk)
    previous = (
        earlier.exclude(cache_key="").order_by("-id").only("cache_parts", "status", "outputs_released_at").first()
    )
    if previous is None:
        return "never run"
    reasons = explain(KeyParts.from_json(previous.cache_parts), parts)
    if reasons:
        # Back to settings that ran before: say why those outputs were not reused.
        released = earlier.filter(cache_key=parts.key, outputs_released_at__isnull=False).order_by("-id")
        released_at = released.values_list("outputs_released_at", flat=True).first()
        return ", ".join(reasons) + (f"; earlier {released_reason(released_at)}" if released_at else "")
    if previous.outputs_released_at is not None:
        return released_reason(previous.outputs_released_at)
    if previous.status in states.DONE:
        return "outputs no longer stored"
    return f"last run {previous.status}"


def released_reason(released_at: datetime) -> str:
    """Why a released step's outputs can no longer be shown or reused."""
    return f"outputs removed by the retention rules on {released_at.date().isoformat()}"


def _stored(outputs: dict[str, Any]) -> bool:
    """Are these outputs still in the store? (A file check: nothing is hashed again.)"""
    store, registry = artifact_store(), module_registry()
    try:
        return all(store.path(out["digest"], registry.port_type(out["type"])).is_file() for out in outputs.values())
    except LookupError:
        return False
