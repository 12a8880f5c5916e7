"""Running one step: claim it, run its module in a forked child, record the outcome, move on.

The child is forked (os.fork) from the warm worker process (pandas and scikit-learn already imported),
never a fresh interpreter. It sends its stdout and stderr (file descriptors 1 and 2) to a log
file, reads its inputs from the artifact store, runs the module, writes the outputs to the store
and leaves a result file. It never touches the database: it inherits the parent's connection,
so it ends with os._exit, which runs no cleanup that could close or reuse that connection.
"""

import json
import os
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from designer.pipelines.catalog import module_registry
from modules.ports import PortType
from modules.spec import ModuleError, ModuleSpec, ParameterError
from runner import plan as states
from runner.artifacts import ArtifactStore
from runner.events import run_transition, step_transition
from runner.models import Artifact, RunStatus, StepRun
from runner.progress import plan_for, run_advance
from runner.retry import RetryPolicy
from runner.reuse import cache_record, input_refs, node_of
from runner.store import artifact_store
from runner.supervise import StopCheck, own_process_group, supervise

LOG_LIMIT_BYTES = 1 << 20  # keep the last megabyte of a step's output
RESULT_FILE = "result.json"
CANCELED = "canceled"
LOG_FILE = "output.log"


@dataclass(frozen=True)
class StepJob:
    """Everything the child needs, prepared by the parent so the child never queries anything."""

    spec: ModuleSpec
    parameters: dict[str, Any]
    inputs: dict[str, tuple[str, PortType]]  # input port -> (digest, port type)
    outputs: dict[str, PortType]
    store: ArtifactStore
    timeout_seconds: float | None = None


@dataclass(frozen=True)
class StepResult:
    ok: bool
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # port -> {type, digest, size}
    message: str = ""
    detail: str = ""  # the traceback
    log: str = ""
    canceled: bool = False


def step_execute(step_id: int) -> None:
    """Run step `step_id` if it is still queued; then record it and advance its run."""
    step = StepRun.objects.select_related("run__version", "run__pipeline").filter(pk=step_id).first()
    if step is None or not _claim(step):
        return  # gone, already taken by another delivery of the task, or skipped/canceled meanwhile
    try:
        job = _job_for(step)
        result = run_in_child(job, _stop_check(step, job.timeout_seconds), settings.CANCEL_GRACE_SECONDS)
    except Exception as error:  # preparing the job failed: a module vanished, an artifact is missing
        result = StepResult(ok=False, message=_message(error), detail=traceback.format_exc())
    _record(step, result)
    run_advance(step.run_id)
    if step.status == states.PENDING and step.not_before is not None:  # to be retried after a backoff
        # Waiting here, not with a Celery countdown (Redis redelivers those), holds this worker
        # slot for the backoff; then the dispatcher, which honours not_before, sends it again.
        time.sleep(max(0.0, (step.not_before - timezone.now()).total_seconds()))
        run_advance(step.run_id)


def _claim(step: StepRun) -> bool:
    now = timezone.now()
    with transaction.atomic():
        claimed = step_transition(
            step,
            [states.QUEUED],
            states.RUNNING,
            if_attempt=step.attempt,
            attempt=step.attempt + 1,
            started_at=now,
            error="",  # a retry starts clean
        )
        if claimed:
            run_transition(step.run, [RunStatus.QUEUED], RunStatus.RUNNING, started_at=now)
    return claimed


def _job_for(step: StepRun) -> StepJob:
    registry = module_registry()
    spec = registry.get(step.module, step.module_version)
    node = node_of(step.run, step.node_id)
    return StepJob(
        spec=spec,
        parameters=dict(node.get("parameters", {})),
        inputs={port: (ref["digest"], registry.port_type(ref["type"])) for port, ref in _refs(step).items()},
        outputs={port.name: registry.port_type(port.type) for port in spec.outputs},
        store=artifact_store(),
        timeout_seconds=_positive(node.get("timeout_seconds")),
    )


def _positive(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


def _stop_check(step: StepRun, timeout_seconds: float | None) -> StopCheck:
    """Why the step's child must stop now (its timeout passed, or it is no longer running: canceled), or None."""
    deadline = time.monotonic() + timeout_seconds if timeout_seconds else None

    def should_stop() -> str | None:
        if deadline is not None and time.monotonic() > deadline:
            return f"timed out after {timeout_seconds:g} s"
        still_running = StepRun.objects.filter(pk=step.pk, status=states.RUNNING, attempt=step.attempt)
        return None if still_running.exists() else CANCELED

    return should_stop


def _refs(step: StepRun) -> dict[str, dict[str, str]]:
    return input_refs(step, plan_for(step.run.version))


def _retry_later(step: StepRun, result: StepResult, error: str) -> bool:
    """running -> pending with a not_before time, if the node's retries allow another attempt."""
    policy = RetryPolicy.of_node(node_of(step.run, step.node_id))
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
        error=error,
        log=result.log,
        not_before=timezone.now() + timedelta(seconds=delay),
        reason=f"{reason}retry {step.attempt} of {policy.retries}",
    )


def _record(step: StepRun, result: StepResult) -> None:
    now = timezone.now()
    if result.canceled:  # the step is already marked canceled: keep what it printed
        StepRun.objects.filter(pk=step.pk, status=states.CANCELED).update(log=result.log)
        return
    if not result.ok:
        error = f"{result.message}\n\n{result.detail}".strip()
        if _retry_later(step, result, error):
            return
        step_transition(
            step, [states.RUNNING], states.FAILED, message=result.message, error=error, log=result.log, finished_at=now
        )
        return
    with transaction.atomic():
        for output in result.outputs.values():
            Artifact.objects.get_or_create(
                digest=output["digest"], defaults={"port_type": output["type"], "size": output["size"]}
            )
        outputs = {port: {"type": out["type"], "digest": out["digest"]} for port, out in result.outputs.items()}
        if step_transition(step, [states.RUNNING], states.COMPLETED, outputs=outputs, log=result.log, finished_at=now):
            cache_record(step, outputs)


# The child process


def run_in_child(job: StepJob, should_stop: StopCheck | None = None, grace_seconds: float = 5.0) -> StepResult:
    """Run `job` in a process forked from this one and wait for it, stopping it when `should_stop` says why."""
    with tempfile.TemporaryDirectory(prefix="trellis-step-") as folder:
        workdir = Path(folder)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write our buffered output again
        # os.fork, not multiprocessing: a Celery pool process is daemonic, and multiprocessing
        # refuses to start children from one.
        pid = os.fork()
        if pid == 0:
            _child_main(job, workdir)  # never returns
        own_process_group(pid)
        end = supervise(pid, should_stop, grace_seconds)
        log = _log_tail(workdir / LOG_FILE)
        if end.stopped is not None:
            suffix = f"\n[{end.stopped}: the step process was terminated]\n"
            return StepResult(ok=False, message=end.stopped, log=log + suffix, canceled=end.stopped == CANCELED)
        exit_code = end.exit_code
        try:
            report = json.loads((workdir / RESULT_FILE).read_text())
        except FileNotFoundError:
            message = f"the step process ended without a result (exit code {exit_code})"
            return StepResult(ok=False, message=message, log=log)
    if report["ok"]:
        return StepResult(ok=True, outputs=report["outputs"], log=log)
    return StepResult(ok=False, message=report["message"], detail=report["detail"], log=log)


def _child_main(job: StepJob, workdir: Path) -> None:
    exit_code = 1
    try:
        own_process_group(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the worker's handler: TERM ends the step
        _redirect_output(workdir / LOG_FILE)
        report = _child_work(job)
        temporary = workdir / f"{RESULT_FILE}.tmp"
        temporary.write_text(json.dumps(report))
        temporary.rename(workdir / RESULT_FILE)
        exit_code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(exit_code)


def _child_work(job: StepJob) -> dict[str, Any]:
    try:
        inputs = {port: job.store.read(digest, port_type) for port, (digest, port_type) in job.inputs.items()}
        values = job.spec.run(inputs, job.parameters)
        outputs = {}
        for port, port_type in job.outputs.items():
            stored = job.store.write(values[port], port_type)
            outputs[port] = {"type": stored.port_type, "digest": stored.digest, "size": stored.size}
    except BaseException as error:
        detail = traceback.format_exc()
        print(detail, file=sys.stderr)
        return {"ok": False, "message": _message(error), "detail": detail}
    return {"ok": True, "outputs": outputs}


def _redirect_output(path: Path) -> None:
    """Point fds 1 and 2 at the log, and sys.stdout/stderr at them (a Celery worker replaces both)."""
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115 - lives until os._exit
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115


def _log_tail(path: Path) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - LOG_LIMIT_BYTES))
        text = file.read().decode("utf-8", errors="replace")
    return f"[earlier output cut]\n{text}" if size > LOG_LIMIT_BYTES else text


def _message(error: BaseException) -> str:
    if isinstance(error, ModuleError | ParameterError):
        return str(error)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
