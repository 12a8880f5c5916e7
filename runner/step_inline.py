"""Running a trusted module's step inside the worker's pool process, without forking.

Built-in modules and installed module packages are the installation's own code: they need no
sandbox, and forking the ~300 MB warm worker costs about 26 ms of CPU here, more than everything
else a short step does. So a step runs inline when its module runs no user code (scripts and SQL
always fork, see runner/step_process.py) and nothing needs a process of its own (CPU time and
memory limits hold per process).

Inline, descriptors 1 and 2 point at the step's log for its duration, as in a child. A watchdog
thread asks the step's stop check every POLL_SECONDS; to stop the step it signals this thread,
whose handler raises StepStopped (which also breaks a sleep or a blocking read); should the module
not return within the grace period (C code that never yields), it has the outcome recorded and
ends this pool process, which Celery replaces: what a KILL is to a child.

Tables a step wrote stay in memory for a while (`recent`), so a successor this worker runs next
(runner/progress.py Keeper) reads them without a round trip through Parquet.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import signal
import sys
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import connections

from modules.ports import PortType
from modules.schema import observed_columns
from modules.step_api import step_channel
from runner.step_process import (
    CANCELED,
    LOG_FILE,
    Reporter,
    StepJob,
    StepResult,
    error_text,
    keeping_fresh,
    log_tail,
    output_name,
    output_ref,
    reporting,
)
from runner.supervise import POLL_SECONDS, StopCheck

logger = logging.getLogger(__name__)
STOP_SIGNAL = signal.SIGRTMIN + 3  # Celery's pool uses SIGUSR1 and SIGTERM; this one is ours
RECENT_TABLES = 16


class StepStopped(BaseException):  # not Exception: module code that catches Exception must not swallow it
    pass


def runs_inline(job: StepJob, fork_every_step: bool) -> bool:
    """May this step run in the worker's own process? (Signals reach only the main thread.)"""
    needs_a_process = job.spec.runs_user_code or job.cpu_seconds or job.memory_bytes or job.run_as is not None
    return not (fork_every_step or needs_a_process) and threading.current_thread() is threading.main_thread()


def run_inline(
    job: StepJob,
    should_stop: StopCheck | None,
    grace_seconds: float,
    abandon: Callable[[str, str], None],
    reporter: Reporter | None = None,
) -> StepResult:
    """Run `job` here; `abandon(reason, log)` records a step that would not stop, before this process ends.

    `reporter` follows what the step prints and logs, from the watchdog thread while it runs."""
    workdir = job.store.scratch_folder("step-")
    stopped: list[str] = []
    try:
        with _output_to(workdir / LOG_FILE):
            try:
                watch = keeping_fresh(workdir, reporting(workdir, reporter, should_stop))
                with _watched(watch, grace_seconds, abandon, workdir, stopped):
                    result = _work(job, workdir)
            except StepStopped:  # it fired as the step was ending; the step stopped all the same
                pass
        if reporter is not None:
            reporter.poll(workdir, final=True)
        log = log_tail(workdir / LOG_FILE)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if stopped:
        suffix = f"\n[{stopped[0]}: the step was stopped]\n"
        return StepResult(ok=False, message=stopped[0], log=log + suffix, canceled=stopped[0] == CANCELED)
    return dataclasses.replace(result, log=log)


def _work(job: StepJob, workdir: Path) -> StepResult:
    try:
        inputs = {port: _read(job, digest, port_type) for port, (digest, port_type) in job.inputs.items()}
        with step_channel(workdir):
            values = job.spec.run(inputs, job.parameters)
        outputs = {}
        for port, port_type in job.outputs.items():
            # Into the scratch folder, as a child writes them: renamed into the store from there.
            written = workdir / output_name(port, port_type)
            port_type.write(values[port], written)
            stored = job.store.adopt(written, port_type)
            _remember(stored.digest, values[port])
            outputs[port] = output_ref(stored, observed_columns(values[port]))
    except StepStopped:
        raise
    except BaseException as error:  # SystemExit too: module code must not end the worker
        detail = traceback.format_exc()
        print(detail, file=sys.stderr)
        return StepResult(ok=False, message=error_text(error), detail=detail)
    return StepResult(ok=True, outputs=outputs)


# Tables kept in memory by digest, when reading them back would give the same table (a default
# index, and column types Parquet keeps as they are). Kept and handed out as lazy copies
# (`copy(deep=False)`: pandas' copy-on-write copies data only when one side changes it), so a
# module that changes its input changes only its own; a deep copy would cost ~8 ms per 8 MB.
_recent: OrderedDict[str, pd.DataFrame] = OrderedDict()
KEPT_KINDS = frozenset("biufcmM")  # numbers, booleans, times (object columns may come back otherwise)


def _remember(digest: str, value: Any) -> None:
    if not isinstance(value, pd.DataFrame) or not _round_trips(value):
        return
    _recent[digest] = value.copy(deep=False)
    _recent.move_to_end(digest)
    while len(_recent) > RECENT_TABLES:
        _recent.popitem(last=False)


def _round_trips(table: pd.DataFrame) -> bool:
    plain_index = isinstance(table.index, pd.RangeIndex) and table.index.start == 0 and table.index.step == 1
    return plain_index and all(
        dtype.kind in KEPT_KINDS or isinstance(dtype, pd.CategoricalDtype | pd.StringDtype) for dtype in table.dtypes
    )


def _read(job: StepJob, digest: str, port_type: PortType) -> Any:
    kept = _recent.get(digest)
    return kept.copy(deep=False) if kept is not None else job.store.read(digest, port_type)


@contextlib.contextmanager
def _output_to(path: Path) -> Iterator[None]:
    """Descriptors 1 and 2, and sys.stdout and sys.stderr, go to `path` until the block ends."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved, streams = (os.dup(1), os.dup(2)), (sys.stdout, sys.stderr)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115 - closed below
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
                stream.close()
        sys.stdout, sys.stderr = streams
        for descriptor, original in zip((1, 2), saved, strict=True):
            os.dup2(original, descriptor)
            os.close(original)


@contextlib.contextmanager
def _watched(
    should_stop: StopCheck | None,
    grace_seconds: float,
    abandon: Callable[[str, str], None],
    workdir: Path,
    stopped: list[str],
) -> Iterator[None]:
    """Run the block under the watchdog, which appends to `stopped` why it stopped the block."""
    if should_stop is None:
        yield
        return
    armed = [True]

    def on_signal(number: int, frame: Any) -> None:
        if armed[0]:  # never once the step's own work is over
            raise StepStopped(stopped[0] if stopped else "stopped")

    previous = signal.signal(STOP_SIGNAL, on_signal)
    watch = _Watch(should_stop, grace_seconds, abandon, workdir, stopped, threading.get_ident())
    try:
        with _watchdog().watching(watch, armed):
            yield
    finally:
        signal.signal(STOP_SIGNAL, previous)


@dataclasses.dataclass(frozen=True)
class _Watch:
    """A step the watchdog watches: what to ask, how long to wait once told to stop, and whom to signal."""

    should_stop: StopCheck
    grace_seconds: float
    abandon: Callable[[str, str], None]
    workdir: Path
    stopped: list[str]
    step_thread: int


class _Watchdog:
    """A thread of this process that asks the inline step it watches whether to stop, every
    POLL_SECONDS, and signals the step's thread when it must. One per process, watching one step
    at a time: a thread started and joined for each step cost 0.13 ms of CPU, about a sixth of
    what running a short step inline costs."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watch: _Watch | None = None
        self._checking = False  # a check of the watched step is being made, outside the lock
        threading.Thread(target=self._watch_forever, name="trellis-step-watchdog", daemon=True).start()

    @contextlib.contextmanager
    def watching(self, watch: _Watch, armed: list[bool]) -> Iterator[None]:
        """Watch `watch` while the block runs; `armed[0]` goes False as it ends (the signal
        handler then raises nothing), before the watch ends, even if the stop signal came."""
        with self._changed:
            self._watch = watch
            self._changed.notify_all()
        try:
            yield
        finally:
            try:
                armed[0] = False
            finally:  # the signal may arrive just before: the watch ends all the same
                self._end(watch)

    def _end(self, watch: _Watch) -> None:
        with self._changed:
            if self._watch is watch:
                self._watch = None
                self._changed.notify_all()
            # A check in flight ends first: nothing signals this thread once the block is over.
            self._changed.wait_for(lambda: not self._checking)

    def _watch_forever(self) -> None:
        with self._changed:
            while True:
                self._changed.wait_for(lambda: self._watch is not None)
                watch = self._watch
                assert watch is not None
                self._watch_until_it_ends(watch)
                connections.close_all()  # those the checks opened in this thread, if any

    def _watch_until_it_ends(self, watch: _Watch) -> None:
        """Called and returning with the lock held."""
        while not self._changed.wait_for(lambda: self._watch is not watch, POLL_SECONDS):
            self._checking = True
            self._changed.release()  # the check may query the database: the step may end meanwhile
            try:
                reason = watch.should_stop()
            except Exception:
                logger.exception("the stop check of an inline step failed; it is asked again")
                reason = None
            finally:
                self._changed.acquire()
                self._checking = False
                self._changed.notify_all()  # a step that ended meanwhile waits for this check
            if reason is None:
                continue
            watch.stopped.append(reason)  # counts even if the step just ended: it was told to stop
            if self._watch is watch:
                signal.pthread_kill(watch.step_thread, STOP_SIGNAL)
                if not self._changed.wait_for(lambda: self._watch is not watch, watch.grace_seconds):
                    ending = f"\n[{reason}: the worker process running it was ended]\n"
                    watch.abandon(reason, log_tail(watch.workdir / LOG_FILE) + ending)
                    os.kill(os.getpid(), signal.SIGKILL)
            return


_watchdogs: dict[int, _Watchdog] = {}  # by process id: a forked pool process starts its own


def _watchdog() -> _Watchdog:
    pid = os.getpid()
    if pid not in _watchdogs:
        _watchdogs.clear()
        _watchdogs[pid] = _Watchdog()
    return _watchdogs[pid]
