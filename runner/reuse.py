"""Deciding, when a step becomes ready, whether its outputs can be reused, and saying why not.

A step is ready once every upstream step has outputs, so its cache key (runner.cache) can be
computed then. The decision is recorded on the StepRun (key, parts, reason) whichever way it goes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from designer.pipelines.catalog import module_registry, workspace_registry
from modules.registry import ModuleNotFound
from modules.spec import ModuleSpec
from runner import plan as states
from runner.cache import KeyParts, explain, key_parts
from runner.events import RUN_TABLE, STEP_TABLE, Alongside, row_alongside
from runner.models import CacheEntry, Run, StepRun
from runner.options import RunOptions
from runner.plan import Plan
from runner.reads import Columns, Statement, placeholders, quoted, read_together
from runner.store import artifact_store
from runner.versions import node_of, step_parameters

logger = logging.getLogger(__name__)

References = dict[str, dict[str, str]]  # a step's input references: input port -> {type, digest}


@dataclass(frozen=True)
class Decision:
    parts: KeyParts | None
    reason: str
    outputs: dict[str, Any] = field(default_factory=dict)  # the reused outputs, when `producer` is set
    producer: int | None = None  # the id of the step whose outputs are reused; None: the step runs
    inputs: References = field(default_factory=dict)  # input port -> reference of its upstream output

    def fields(self) -> dict[str, Any]:
        """The StepRun fields that record this decision."""
        parts = self.parts.to_json() if self.parts else {}
        key = self.parts.key if self.parts else ""
        return {"cache_key": key, "cache_parts": parts, "reason": self.reason, "inputs": self.inputs}


def steps_decide(
    run: Run,
    plan: Plan,
    steps: Sequence[StepRun],
    options: RunOptions,
    known: dict[str, dict[str, Any]] | None = None,
    foreseen: Foreseen | None = None,
) -> dict[int, Decision]:
    """Reuse (from the retried run or the cache) or run, with the reason either way, by step id.

    `steps` are ready steps of `run`; a fan-out readies hundreds at once, so each query here
    serves all of them. A step whose key cannot be computed (its module vanished, say) has no
    decision: that is logged, and the worker that runs it fails it with the full message.
    `known`: outputs of upstream steps by node, where the caller has them (see input_refs).
    `foreseen`: keys and reads made ahead (see foreseen_keys), used where they cover the steps."""
    upstream = _upstream_outputs(steps, plan, known)
    keyed: list[tuple[StepRun, KeyParts, References]] = []
    decisions: dict[int, Decision] = {}
    for step in steps:
        try:
            spec, inputs = step_spec(step), _refs(step.node_id, plan, upstream)
            node = node_of(run.version, step.node_id)
            parts = foreseen.parts.get(step.node_id) if foreseen else None
            parts = parts or _key_of(run, node, spec, inputs)
        except Exception:
            logger.exception("could not compute the cache key of %s", step)
            continue
        node["parameters"] = step_parameters(run, step.node_id)
        if (reused := _from_retried_run(options, step, parts, inputs)) is not None:
            decisions[step.pk] = reused
        elif (forced := _forced_reason(options, plan, node, spec)) is not None:
            decisions[step.pk] = Decision(parts, forced, inputs=inputs)
        else:
            keyed.append((step, parts, inputs))
    hits, previous = _reuse_reads(run, [(step, parts) for step, parts, _ in keyed], foreseen)
    misses = [(step, parts) for step, parts, _ in keyed if parts.key not in hits]
    reasons = _why_run(run, misses, previous)
    for step, parts, inputs in keyed:
        if parts.key in hits:
            outputs, producer, number = hits[parts.key]
            decisions[step.pk] = Decision(parts, f"cached (from run {number})", outputs, producer, inputs)
        else:
            decisions[step.pk] = Decision(parts, reasons[step.pk], inputs=inputs)
    return decisions


def _key_of(run: Run, node: dict[str, Any], spec: ModuleSpec, inputs: References) -> KeyParts:
    """The key parts of `node` (its JSON, parameters as written) running `spec` in `run`."""
    digests = {port: ref["digest"] for port, ref in inputs.items()}
    return key_parts(spec, node.get("parameters", {}), digests, run.parameters)


def foreseen_keys(run: Run, plan: Plan, nodes: Sequence[str], known: dict[str, dict[str, Any]]) -> dict[str, KeyParts]:
    """The key parts of those of `nodes` whose every upstream step is in `known` (outputs by
    node): computed before their steps are read, so that the reads deciding needs can travel
    with the completion that readies them (runner/progress.py Lookahead)."""
    parts: dict[str, KeyParts] = {}
    for node_id in nodes:
        if not all(edge.source_node in known for edge in plan.inputs[node_id]):
            continue
        document = node_of(run.version, node_id)
        try:
            spec = module_spec(run.pipeline.workspace_id, document["module"], document["version"])
            parts[node_id] = _key_of(run, document, spec, _refs(node_id, plan, known))
        except Exception:  # deciding computes it again, and logs why it cannot
            continue
    return parts


@dataclass(frozen=True)
class Foreseen:
    """Key parts of steps about to become ready (by node), and what deciding reads for them
    (the cache hits of those keys, the nodes' previous keyed steps), read ahead."""

    parts: dict[str, KeyParts]
    hits: dict[str, Hit]
    previous: dict[str, StepRun]

    @staticmethod
    def selects(run: Run, parts: dict[str, KeyParts]) -> list[Statement]:
        """The reads of `parts`' cache hits and previous steps (`parts` not empty)."""
        return [_hits_select(run, sorted({p.key for p in parts.values()})), _previous_select(run, sorted(parts))]

    @classmethod
    def of_rows(cls, parts: dict[str, KeyParts], rows: Sequence[list[tuple[Any, ...]]]) -> Foreseen:
        """From the rows of `selects(run, parts)`."""
        hit_rows, previous_rows = rows
        return cls(parts, *_reuse_found(hit_rows, previous_rows))

    def covers(self, keyed: Sequence[tuple[StepRun, KeyParts]]) -> bool:
        return all(self.parts.get(step.node_id) == parts for step, parts in keyed)


CACHE_TABLE = quoted(CacheEntry)
CACHE_COLUMNS = Columns(CacheEntry, ["key", "outputs", "step"], alias="e")
PREVIOUS_COLUMNS = Columns(StepRun, ["id", "node_id", "cache_parts", "status", "outputs_released_at"], alias="s")
Hit = tuple[dict[str, Any], int, int]  # outputs, the producing step's id, its run's number


def _reuse_reads(
    run: Run, keyed: Sequence[tuple[StepRun, KeyParts]], foreseen: Foreseen | None = None
) -> tuple[dict[str, Hit], dict[str, StepRun]]:
    """The cache hits by key, among keys whose outputs are still stored; and the latest earlier
    step of each node in the run's pipeline, by node id (what "why" compares with). One round
    trip, or none if `foreseen` read them."""
    if not keyed:
        return {}, {}
    if foreseen is not None and foreseen.covers(keyed):
        return foreseen.hits, foreseen.previous
    keys = [parts.key for _, parts in keyed]
    nodes = sorted({step.node_id for step, _ in keyed})
    return _reuse_found(*read_together([_hits_select(run, keys), _previous_select(run, nodes)]))


def _reuse_found(
    hit_rows: list[tuple[Any, ...]], previous_rows: list[tuple[Any, ...]]
) -> tuple[dict[str, Hit], dict[str, StepRun]]:
    hits: dict[str, Hit] = {}
    for row in hit_rows:
        key, outputs, producer = CACHE_COLUMNS.values(row[:3])
        if _stored(outputs):
            hits[key] = (outputs, producer, row[3])
    return hits, {step.node_id: step for step in PREVIOUS_COLUMNS.instances(previous_rows)}


def _hits_select(run: Run, keys: list[str]) -> Statement:
    sql = (
        f"SELECT {CACHE_COLUMNS.sql}, r.number FROM {CACHE_TABLE} e JOIN {STEP_TABLE} p ON p.id = e.step_id "
        f"JOIN {RUN_TABLE} r ON r.id = p.run_id WHERE e.workspace_id = %s AND e.key IN ({placeholders(keys)})"
    )
    return Statement(sql, [run.pipeline.workspace_id, *keys])  # one entry per key at most


def _previous_select(run: Run, nodes: list[str]) -> Statement:
    """Earlier keyed steps of `nodes` in the run's pipeline: the newest of each."""
    params = [run.pipeline_id, *nodes, run.pk]
    if len(nodes) == 1:  # a chain's step: the newest row, found from the end of the id index
        return Statement(
            f"SELECT {PREVIOUS_COLUMNS.sql} FROM {_earlier('s', nodes)} ORDER BY s.id DESC LIMIT 1", params
        )
    newest = f"SELECT MAX(e.id) FROM {_earlier('e', nodes)} GROUP BY e.node_id"
    return Statement(f"SELECT {PREVIOUS_COLUMNS.sql} FROM {STEP_TABLE} s WHERE s.id IN ({newest})", params)


def _earlier(alias: str, nodes: list[str]) -> str:
    """Steps (as `alias`) of `nodes` in other runs of a pipeline that were keyed: the params are
    the pipeline, the nodes and the run."""
    return (
        f"{STEP_TABLE} {alias} JOIN {RUN_TABLE} r ON r.id = {alias}.run_id WHERE r.pipeline_id = %s "
        f"AND {alias}.node_id IN ({placeholders(nodes)}) AND {alias}.run_id <> %s AND {alias}.cache_key <> ''"
    )


def cache_entry_alongside(step: StepRun, outputs: dict[str, Any], now: datetime) -> Alongside | None:
    """The cache entry that remembers a completed step's outputs under its key, to be written
    with the completing transition; None if the step's outputs are not for reuse.

    An upsert: of twin steps finishing at the same moment, the last one's outputs are kept.
    """
    if not step.cache_key:
        return None
    spec = step_spec(step)
    if not spec.deterministic_for(step_parameters(step.run, step.node_id)):
        return None
    entry = {"workspace": step.run.pipeline.workspace_id, "key": step.cache_key, "outputs": outputs, "created_at": now}
    return row_alongside(
        CacheEntry, entry, conflict=["workspace", "key"], update=["outputs", "step", "created_at"], step_field="step"
    )


def step_spec(step: StepRun) -> ModuleSpec:
    """The spec a step runs: its module version in its pipeline's workspace (built-in or the workspace's own)."""
    return module_spec(step.run.pipeline.workspace_id, step.module, step.module_version)


def module_spec(workspace_id: int, name: str, version: str) -> ModuleSpec:
    try:  # most steps run a built-in: no workspace registry to build (its modules never take those names)
        return module_registry().get(name, version)
    except ModuleNotFound:
        return workspace_registry(workspace_id).get(name, version)


def input_refs(step: StepRun, plan: Plan, known: dict[str, dict[str, Any]] | None = None) -> References:
    """Input port -> {type, digest} of the upstream output feeding it.

    `known` holds the outputs of some upstream steps by node (a step's outputs never change
    once it is done); the others are read."""
    return _refs(step.node_id, plan, _upstream_outputs([step], plan, known))


def _upstream_outputs(
    steps: Sequence[StepRun], plan: Plan, known: dict[str, dict[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """The outputs of every upstream step of `steps` (all of one run) by node: `known`, the rest read in one query."""
    outputs = dict(known or {})
    missing = {edge.source_node for step in steps for edge in plan.inputs[step.node_id]} - outputs.keys()
    if missing:
        [rows] = read_together([_outputs_select(steps[0].run_id, sorted(missing))])
        outputs |= _outputs_of_rows(rows)
    return outputs


OUTPUT_COLUMNS = Columns(StepRun, ["node_id", "outputs"])


def _outputs_select(run_id: int, nodes: list[str]) -> Statement:
    where = f"run_id = %s AND node_id IN ({placeholders(nodes)})"
    return Statement(f"SELECT {OUTPUT_COLUMNS.sql} FROM {STEP_TABLE} WHERE {where}", [run_id, *nodes])


def _outputs_of_rows(rows: Sequence[Sequence[Any]]) -> dict[str, dict[str, Any]]:
    """Node -> outputs, from the rows of _outputs_select."""
    return {node: outputs for node, outputs in map(OUTPUT_COLUMNS.values, rows)}


def _refs(node_id: str, plan: Plan, upstream: dict[str, dict[str, Any]]) -> References:
    refs: References = {}
    for edge in plan.inputs[node_id]:
        output = upstream[edge.source_node][edge.source_port]  # also a table's columns: not needed here
        refs[edge.target_port] = {"type": output["type"], "digest": output["digest"]}
    return refs


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


def _from_retried_run(options: RunOptions, step: StepRun, parts: KeyParts, inputs: References) -> Decision | None:
    """A retry reuses what completed in the run it retries, even where reuse is off."""
    if options.retry_of is None:
        return None
    steps = StepRun.objects.select_related("run", "cached_from__run")
    retried = steps.filter(run_id=options.retry_of, node_id=step.node_id, status__in=states.DONE).first()
    if retried is None:
        return None
    producer = retried.cached_from if retried.status == states.CACHED else retried
    if producer is None or retried.outputs_released_at is not None or not _stored(retried.outputs):
        return None
    return Decision(parts, f"cached (from run {producer.run.number})", retried.outputs, producer.pk, inputs)


def _why_run(run: Run, steps: list[tuple[StepRun, KeyParts]], previous: dict[str, StepRun]) -> dict[int, str]:
    """What changed since each node last ran in this pipeline (`previous`, by node), by step id."""
    if not steps:
        return {}
    changes = {
        step.pk: explain(KeyParts.from_json(previous[step.node_id].cache_parts), parts)
        for step, parts in steps
        if step.node_id in previous
    }
    # Back to settings that ran before: say why those outputs were not reused.
    again = [(step.node_id, parts.key) for step, parts in steps if changes.get(step.pk)]
    released: dict[tuple[str, str], datetime] = {}
    if again:
        earlier = StepRun.objects.filter(run__pipeline_id=run.pipeline_id, node_id__in=[node for node, _ in again])
        rows = earlier.exclude(run_id=run.pk).filter(
            cache_key__in=[key for _, key in again], outputs_released_at__isnull=False
        )
        for node_id, key, released_at in rows.order_by("id").values_list("node_id", "cache_key", "outputs_released_at"):
            released[(node_id, key)] = released_at  # in id order: the latest wins
    return {
        step.pk: _reason(previous.get(step.node_id), changes.get(step.pk, []), released.get((step.node_id, parts.key)))
        for step, parts in steps
    }


def _reason(previous: StepRun | None, changes: list[str], released_at: datetime | None) -> str:
    if previous is None:
        return "never run"
    if changes:
        return ", ".join(changes) + (f"; earlier {released_reason(released_at)}" if released_at else "")
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
