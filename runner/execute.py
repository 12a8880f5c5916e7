"""Running one step: claim it, run its module in a forked child, record the outcome, move on.

The child process is runner/step_process.py. While it runs, the worker renews the step's
heartbeat (so reapers know it is alive), watches for cancel, timeout and the compute target's
memory limit, and stops the child when one of them says so.
"""

import dataclasses
import functools
import logging
import time
import traceback
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from designer.datasets.exports import datasets_step_completed, exports_to_dataset
from designer.pipelines.catalog import module_registry
from designer.workspaces.models import ComputeTarget
from runner import plan as states
from runner.claim import step_claim, step_claim_next, step_loaded, steps_queued_on
from runner.events import ReadsAfter, row_alongside, step_transition
from runner.models import Artifact, Run, StepRun
from runner.progress import Keeper, Lookahead, enqueue_on_commit, run_advance
from runner.retry import RetryPolicy
from runner.reuse import cache_entry_alongside, input_refs, step_spec
from runner.step_inline import run_inline, runs_inline
from runner.step_process import CANCELED, StepJob, StepResult, error_text, run_in_child
from runner.step_report import StepReporter
from runner.step_user import step_user
from runner.store import artifact_store
from runner.supervise import StopCheck
from runner.versions import node_of, plan_for, step_parameters

logger = logging.getLogger(__name__)

MEGABYTE = 1 << 20
INLINE_WORKER = "inline"  # the worker name of steps run where they were sent (Celery's eager mode)


def step_execute(step_id: int, worker: str = "") -> None:
    """Run step `step_id` if it is still queued, record it and advance its run; then, as long as
    that makes a step ready on the same queue, run that one here too (no broker round trip).
    Then run the other queued steps of its run on its queue, which may have no task of their own
    (see runner/progress.py steps_queue), up to STEPS_PER_TASK of them."""
    worker = worker or INLINE_WORKER
    step = step_loaded(step_id)
    if step is None:
        return  # gone (its run was deleted)
    next_step = None
    # Not claimed: taken by another worker or delivery, or skipped or canceled meanwhile.
    if step_claim(step, worker):
        next_step = _execute_with_successors(step, worker, claims_next=settings.STEPS_PER_TASK > 0)
    _execute_queued(step.run, step.queue, worker, next_step)


def _execute_queued(run: Run, queue: str, worker: str, claimed: StepRun | None) -> None:
    """Take and run queued steps of `run` on `queue`, `claimed` first if given, until none
    is left or STEPS_PER_TASK ran; then hand the rest on as a task, so that other runs' and
    queues' tasks get their turn.

    Every batch of queued steps (all of one run) comes with at least one task, sent once it
    committed, and every task ends here: a queued step never waits for a task that nobody sends.
    Should this worker die meanwhile, a reaper sends the tasks of its queues' queued steps again."""
    for left in range(settings.STEPS_PER_TASK, 0, -1):
        step = claimed or step_claim_next(run, queue, worker)
        if step is None:
            return
        # The last one claims no next step: that is left to the task handed on.
        claimed = _execute_with_successors(step, worker, claims_next=left > 1)
    for step in steps_queued_on(run.pk, queue):
        enqueue_on_commit(step.pk, queue)


def _execute_with_successors(step: StepRun, worker: str, claims_next: bool) -> StepRun | None:
    """Run `step` and the successors this worker keeps; the queued step the last one's completion
    claimed, if `claims_next` and it did (see runner/progress.py Lookahead)."""
    keeper = _execute_claimed(step, worker, claims_next)
    while keeper.kept is not None:
        keeper = _execute_claimed(keeper.kept, worker, claims_next)
    return keeper.claimed


def _execute_claimed(step: StepRun, worker: str, claims_next: bool = False) -> Keeper:
    """Run a step this worker claimed, record it and advance its run; the keeper of that
    advance holds the successor this worker claimed to run next, if any, or the queued step its
    completion claimed (if `claims_next`)."""
    try:
        job = _job_for(step)
        result = _run(step, job)
    except Exception as error:  # preparing the job failed: a module vanished, an artifact is missing
        result = StepResult(ok=False, message=error_text(error), detail=traceback.format_exc())
    ahead = None
    try:
        # What advancing will read is read with the completion: one round trip fewer a step.
        made = {step.node_id: _output_records(result)}
        claiming = step if claims_next else None
        ahead = Lookahead.after(step.run, made, claiming, worker) if _completes(result) else None
        _record(step, result, ahead.reads if ahead else None)
    except Exception as error:  # a bug in recording must fail the step now, not leave it to a reaper
        logger.exception("could not record the result of %s", step)
        failure = StepResult(ok=False, message=f"recording the result failed: {error_text(error)}", log=result.log)
        _record(step, dataclasses.replace(failure, detail=traceback.format_exc()))
    finished = {step.node_id: step.outputs} if step.status == states.COMPLETED else {}
    keeper = Keeper(step.queue, worker, outputs=finished, lookahead=ahead)
    run_advance(step.run, keeper)
    if step.status == states.PENDING and step.not_before is not None:  # to be retried after a backoff
        # Waiting here, not with a Celery countdown (Redis redelivers those), holds this worker
        # slot for the backoff; then the dispatcher, which honours not_before, sends it again.
        # Should this worker die meanwhile, a reaper advances the run instead.
        time.sleep(max(0.0, (step.not_before - timezone.now()).total_seconds()))
        if keeper.kept is None:
            run_advance(step.run, keeper)
    return keeper


def _run(step: StepRun, job: StepJob) -> StepResult:
    """In this process for trusted modules (runner/step_inline.py), else in a forked child."""
    stop, grace = _stop_check(step, job), settings.CANCEL_GRACE_SECONDS
    reporter = StepReporter(step, job.store)
    if runs_inline(job, settings.FORK_EVERY_STEP):
        return run_inline(job, stop, grace, abandon=functools.partial(_abandon, step), reporter=reporter)
    return run_in_child(job, stop, grace, reporter=reporter)


def _abandon(step: StepRun, reason: str, log: str) -> None:
    """Record an inline step that would not stop, and move its run on: this process ends next."""
    _record(step, StepResult(ok=False, message=reason, log=log, canceled=reason == CANCELED))
    run_advance(step.run_id)


def _job_for(step: StepRun) -> StepJob:
    registry = module_registry()  # port types: the workspace's modules add none
    refs = step.inputs if step.inputs is not None else input_refs(step, plan_for(step.run.version))
    spec = step_spec(step)
    node = node_of(step.run.version, step.node_id)
    target = _target_of(step)
    timeouts = [value for value in (_positive(node.get("timeout_seconds")), target and target.timeout_seconds) if value]
    return StepJob(
        spec=spec,
        parameters=step_parameters(step.run, step.node_id),
        inputs={port: (ref["digest"], registry.port_type(ref["type"])) for port, ref in refs.items()},
        outputs={port.name: registry.port_type(port.type) for port in spec.outputs},
        store=artifact_store(),
        timeout_seconds=min(timeouts) if timeouts else None,
        cpu_seconds=target.cpu_seconds if target else None,
        memory_bytes=target.memory_mb * MEGABYTE if target and target.memory_mb else None,
        run_as=step_user().run_as,
    )


def _target_of(step: StepRun) -> ComputeTarget | None:
    if not step.compute_target:
        return None
    targets = ComputeTarget.objects.filter(workspace_id=step.run.pipeline.workspace_id, name=step.compute_target)
    return targets.first()


def _positive(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


def _stop_check(step: StepRun, job: StepJob) -> StopCheck:
    """Why the step's child must stop now, or None; renews the step's heartbeat on the way.

    Stops: the timeout passed, or the step is no longer running at this attempt (canceled, or
    queued again by a reaper that thought this worker dead). The memory limit is watched by
    run_in_child, which knows the child's process.
    """
    began = time.monotonic()
    deadline = began + job.timeout_seconds if job.timeout_seconds else None
    # Built when asked (every 0.2 s while a step runs), not here: most steps end before that.
    this_attempt = functools.partial(StepRun.objects.filter, pk=step.pk, status=states.RUNNING, attempt=step.attempt)
    next_beat = began + settings.HEARTBEAT_SECONDS

    def should_stop() -> str | None:
        nonlocal next_beat
        now = time.monotonic()
        if deadline is not None and now > deadline:
            return f"timed out after {job.timeout_seconds:g} s"
        if now >= next_beat:
            next_beat = now + settings.HEARTBEAT_SECONDS
            return None if this_attempt().update(heartbeat_at=timezone.now()) else CANCELED
        return None if this_attempt().exists() else CANCELED

    return should_stop


def _retry_later(step: StepRun, result: StepResult, error: str) -> bool:
    """running -> pending with a not_before time, if the node's retries allow another attempt."""
    policy = RetryPolicy.of_node(node_of(step.run.version, step.node_id))
    delay = policy.delay(step.attempt)
    if delay is None:
        return False
    why = step.reason.split("; retry ")[0]  # why it ran, without an earlier retry's note
    reason = f"{why}; " if why else ""
    return step_transition(
        step,
        [states.RUNNING],
        states.PENDING,
        message=result.message,
        if_attempt=step.attempt,
        error=error,
        log=result.log,
        not_before=timezone.now() + timedelta(seconds=delay),
        reason=f"{reason}retry {step.attempt} of {policy.retries}",
    )


def _output_records(result: StepResult) -> dict[str, dict[str, Any]]:
    """What a step's `outputs` keep of each output: its type and digest, and a table's columns."""
    records = {}
    for port, out in result.outputs.items():
        kept = {"type": out["type"], "digest": out["digest"]}
        records[port] = kept | {"columns": out["columns"]} if "columns" in out else kept
    return records


def _completes(result: StepResult) -> bool:
    return result.ok and not result.canceled


def _record(step: StepRun, result: StepResult, then: ReadsAfter | None = None) -> None:
    """Store the outcome, if the step is still this attempt's (a reaper may have queued it again).

    `then`: reads to make with a completion (see step_transition)."""
    now = timezone.now()
    if result.canceled:  # the step is already marked canceled: keep what it printed
        StepRun.objects.filter(pk=step.pk, status=states.CANCELED).update(log=result.log)
        return
    if not result.ok:
        error = f"{result.message}\n\n{result.detail}".strip()
        if _retry_later(step, result, error):
            return
        step_transition(
            step,
            [states.RUNNING],
            states.FAILED,
            message=result.message,
            if_attempt=step.attempt,
            error=error,
            log=result.log,
            finished_at=now,
        )
        return
    outputs = _output_records(result)
    alongside = [
        row_alongside(
            Artifact,
            {"digest": out["digest"], "port_type": out["type"], "size": out["size"], "created_at": now},
            conflict=["digest"],  # the same bytes may be stored already
        )
        for out in result.outputs.values()
    ]
    if remembered := cache_entry_alongside(step, outputs, now):
        alongside.append(remembered)
    # The artifacts' records and the cache entry are written with the completion, in one
    # statement on PostgreSQL: a garbage collection never sees a completed step's output
    # unrecorded. Only an export to a dataset needs a transaction around more than that.
    with transaction.atomic(savepoint=False) if exports_to_dataset(step) else nullcontext():
        completed = step_transition(
            step,
            [states.RUNNING],
            states.COMPLETED,
            if_attempt=step.attempt,
            alongside=alongside,
            then=then,
            outputs=outputs,
            log=result.log,
            finished_at=now,
        )
        if completed:
            datasets_step_completed(step)  # Export Data records its table as a dataset version
