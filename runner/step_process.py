"""The process a step runs in: forked from the warm worker process, supervised until it ends.

The child is forked (os.fork) from the worker process (pandas and scikit-learn already
imported), never a fresh interpreter. Before it runs any module code it

- dies with its parent (a `kill -9` of the worker takes its steps along),
- points every file descriptor it inherited (database, broker, Redis connections) at /dev/null,
  so module code cannot talk to them,
- takes its CPU-time limit, and drops to an unprivileged user when the worker runs as root
  (so it cannot read the worker's secrets through /proc; see docs/security.md).

It sends its stdout and stderr (descriptors 1 and 2) to a log file, reads its inputs from the
artifact store, runs the module, writes the outputs to the store and leaves a result file. It
never touches the database and ends with os._exit, which runs no cleanup.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from modules.ports import PortType
from modules.schema import observed_columns
from modules.spec import ModuleError, ModuleSpec, ParameterError
from modules.step_api import step_channel
from runner.artifacts import ArtifactStore, StoredArtifact
from runner.processes import group_memory_bytes
from runner.supervise import ChildEnd, StopCheck, own_process_group, supervise

LOG_LIMIT_BYTES = 1 << 20  # keep the last megabyte of a step's output
RESULT_FILE = "result.json"
LOG_FILE = "output.log"
CANCELED = "canceled"
PR_SET_PDEATHSIG = 1
MEMORY_POLL_SECONDS = 1.0  # reading every process's memory is not free; once a second is enough
SCRATCH_TOUCH_SECONDS = 60.0  # well within runner.housekeeping.SCRATCH_FOLDER_MIN_AGE_SECONDS


@dataclass(frozen=True)
class RunAs:
    """The user a step runs as (when the worker is root)."""

    uid: int
    gid: int


@dataclass(frozen=True)
class StepJob:
    """Everything the child needs, prepared by the parent so the child never queries anything."""

    spec: ModuleSpec
    parameters: dict[str, Any]
    inputs: dict[str, tuple[str, PortType]]  # input port -> (digest, port type)
    outputs: dict[str, PortType]
    store: ArtifactStore
    timeout_seconds: float | None = None
    cpu_seconds: int | None = None
    memory_bytes: int | None = None
    run_as: RunAs | None = None


@dataclass(frozen=True)
class StepResult:
    ok: bool
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # port -> output_ref()
    message: str = ""
    detail: str = ""  # the traceback
    log: str = ""
    canceled: bool = False


def output_ref(stored: StoredArtifact, columns: list[dict[str, str]] | None) -> dict[str, Any]:
    """An output as a step reports it: {type, digest, size}, and a table's columns as it wrote them
    (the designer's observed schemas: modules/schema.py)."""
    ref: dict[str, Any] = {"type": stored.port_type, "digest": stored.digest, "size": stored.size}
    if columns is not None:
        ref["columns"] = columns
    return ref


class Reporter(Protocol):
    """Reads what a step printed and logged in its scratch folder while it runs (runner/step_report.py)."""

    def poll(self, workdir: Path, final: bool = False) -> None: ...


def reporting(workdir: Path, reporter: Reporter | None, should_stop: StopCheck | None) -> StopCheck | None:
    """`should_stop`, also letting `reporter` read what is new each time it is asked."""
    if reporter is None:
        return should_stop

    def check() -> str | None:
        reporter.poll(workdir)
        return should_stop() if should_stop else None

    return check


def run_in_child(
    job: StepJob, should_stop: StopCheck | None = None, grace_seconds: float = 5.0, reporter: Reporter | None = None
) -> StepResult:
    """Run `job` in a process forked from this one and wait for it, stopping it when `should_stop` says why.

    The child works in a scratch folder inside the store, where it writes its log, its result,
    what it logs through modules.step_api and its outputs; `reporter` follows the log and those
    while it runs, and this process then moves the outputs into the store by digest.
    """
    workdir = job.store.scratch_folder("step-")
    try:
        if job.run_as is not None:
            os.chown(workdir, job.run_as.uid, job.run_as.gid)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write our buffered output again
        # os.fork, not multiprocessing: a Celery pool process is daemonic, and multiprocessing
        # refuses to start children from one.
        pid = os.fork()
        if pid == 0:
            _child_main(job, workdir)  # never returns
        own_process_group(pid)
        watch = reporting(workdir, reporter, _within_memory_limit(pid, job, should_stop))
        end = supervise(pid, keeping_fresh(workdir, watch), grace_seconds)
        if reporter is not None:
            reporter.poll(workdir, final=True)
        return _result(job, workdir, end)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _result(job: StepJob, workdir: Path, end: ChildEnd) -> StepResult:
    log = log_tail(workdir / LOG_FILE)
    if end.stopped is not None:
        suffix = f"\n[{end.stopped}: the step process was terminated]\n"
        return StepResult(ok=False, message=end.stopped, log=log + suffix, canceled=end.stopped == CANCELED)
    try:
        report = json.loads((workdir / RESULT_FILE).read_text())
    except FileNotFoundError:
        return StepResult(ok=False, message=_no_result(end.exit_code, job), log=log)
    if not report["ok"]:
        return StepResult(ok=False, message=report["message"], detail=report["detail"], log=log)
    outputs = {}
    for port, port_type in job.outputs.items():
        stored = job.store.adopt(workdir / report["outputs"][port], port_type)
        outputs[port] = output_ref(stored, report["columns"].get(port))
    return StepResult(ok=True, outputs=outputs, log=log)


def keeping_fresh(workdir: Path, should_stop: StopCheck | None) -> StopCheck:
    """`should_stop`, also touching the scratch folder now and then, so that the artifact garbage
    collector, which removes scratch folders nobody touched for a while, leaves this one alone."""
    next_touch = 0.0

    def check() -> str | None:
        nonlocal next_touch
        if time.monotonic() >= next_touch:
            next_touch = time.monotonic() + SCRATCH_TOUCH_SECONDS
            ArtifactStore.scratch_touch(workdir)
        return should_stop() if should_stop else None

    return check


def _within_memory_limit(pid: int, job: StepJob, should_stop: StopCheck | None) -> StopCheck | None:
    """`should_stop`, also stopping the child when its process group uses more than its memory limit.

    Polled rather than enforced with RLIMIT_AS, which breaks pyarrow and OpenBLAS (they reserve
    much more address space than they use), and cgroups here are v1.
    """
    limit = job.memory_bytes
    if not limit:
        return should_stop
    next_poll = 0.0

    def check() -> str | None:
        nonlocal next_poll
        if time.monotonic() >= next_poll:
            next_poll = time.monotonic() + MEMORY_POLL_SECONDS
            used = group_memory_bytes(pid)
            if used > limit:
                return f"memory limit of {limit >> 20} MB exceeded ({used >> 20} MB in use)"
        return should_stop() if should_stop else None

    return check


def _no_result(exit_code: int, job: StepJob) -> str:
    if exit_code == -signal.SIGXCPU and job.cpu_seconds:
        return f"the step used up its CPU time limit of {job.cpu_seconds} s"
    return f"the step process ended without a result (exit code {exit_code})"


def _child_main(job: StepJob, workdir: Path) -> None:
    exit_code = 1
    try:
        own_process_group(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the worker's handler: TERM ends the step
        _die_with_parent()
        _detach_inherited_files()
        if job.cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (job.cpu_seconds, job.cpu_seconds + 2))
        # From here on only the working folder is used, by relative paths: a step running as
        # another user may not be allowed to reach the store's folder by its full path.
        os.chdir(workdir)
        _redirect_output(Path(LOG_FILE))
        report = _child_work(job)
        temporary = Path(f"{RESULT_FILE}.tmp")
        temporary.write_text(json.dumps(report))
        temporary.rename(RESULT_FILE)
        exit_code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(exit_code)


def _die_with_parent() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def _detach_inherited_files() -> None:
    """Point every inherited descriptor above stderr at /dev/null.

    Not closed: Python objects in the child still hold those numbers, and closing one whose
    number a new file reused would close that file instead.
    """
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/proc/self/fd"):
        descriptor = int(name)
        if descriptor > 2 and descriptor != null:
            with contextlib.suppress(OSError):  # the descriptor listdir itself used is gone by now
                os.dup2(null, descriptor, inheritable=False)
    os.dup2(null, 0)
    os.close(null)


def _become(user: RunAs) -> None:
    os.setgroups([])
    os.setgid(user.gid)
    os.setuid(user.uid)
    here = os.getcwd()
    os.environ.update(HOME=here, TMPDIR=here, USER="", LOGNAME="")


def _child_work(job: StepJob) -> dict[str, Any]:
    """Read the inputs (still as the worker's user), drop privileges, run, write the outputs here."""
    try:
        inputs = {port: job.store.read(digest, port_type) for port, (digest, port_type) in job.inputs.items()}
        if job.run_as is not None:
            _become(job.run_as)
        with step_channel(Path(".")):
            values = job.spec.run(inputs, job.parameters)
        outputs, columns = {}, {}
        for port, port_type in job.outputs.items():
            name = output_name(port, port_type)
            port_type.write(values[port], Path(name))
            outputs[port] = name
            columns[port] = observed_columns(values[port])  # recorded now: nothing reads the data again
    except BaseException as error:
        detail = traceback.format_exc()
        print(detail, file=sys.stderr)
        return {"ok": False, "message": error_text(error), "detail": detail}
    return {"ok": True, "outputs": outputs, "columns": columns}


def output_name(port: str, port_type: PortType) -> str:
    """The file a step writes an output port to, in its scratch folder."""
    return f"output-{port}{port_type.suffix}"


def _redirect_output(path: Path) -> None:
    """Point fds 1 and 2 at the log, and sys.stdout/stderr at them (a Celery worker replaces both)."""
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115 - lives until os._exit
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115


def log_tail(path: Path) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - LOG_LIMIT_BYTES))
        text = file.read().decode("utf-8", errors="replace")
    return f"[earlier output cut]\n{text}" if size > LOG_LIMIT_BYTES else text


def error_text(error: BaseException) -> str:
    """A step error's message: a module's own words, or the exception's type and text."""
    if isinstance(error, ModuleError | ParameterError):
        return str(error)
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
