"""Waiting for a step's child process, and stopping it when asked (cancel, timeout).

The wait sleeps on a pidfd, so a finished child is noticed at once, and wakes every
POLL_SECONDS to ask whether the step should stop. Stopping sends SIGTERM to the child's
process group (the module may have started processes of its own), then SIGKILL after a
grace period. A killed child never renames a partial artifact into place: the store only
renames fully written, hashed files.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from collections.abc import Callable
from dataclasses import dataclass

POLL_SECONDS = 0.2

StopCheck = Callable[[], str | None]  # returns why the child must stop, or None to let it run


@dataclass(frozen=True)
class ChildEnd:
    exit_code: int
    stopped: str | None = None  # why it was stopped; None if it ended by itself


def supervise(pid: int, should_stop: StopCheck | None, grace_seconds: float) -> ChildEnd:
    """Wait for child `pid`, stopping it when `should_stop` gives a reason."""
    if should_stop is None:
        return ChildEnd(_reap(pid))
    handle = os.pidfd_open(pid)
    try:
        while True:
            if _exited(handle, POLL_SECONDS):
                return ChildEnd(_reap(pid))
            reason = should_stop()
            if reason is not None:
                _terminate(pid, handle, grace_seconds)
                return ChildEnd(_reap(pid), stopped=reason)
    finally:
        os.close(handle)


def own_process_group(pid: int) -> None:
    """Put the child in a process group of its own (called in parent and child: whichever runs first wins)."""
    with contextlib.suppress(PermissionError, ProcessLookupError):  # it already exited: nothing to group
        os.setpgid(pid, pid)


def _terminate(pid: int, handle: int, grace_seconds: float) -> None:
    _signal_group(pid, signal.SIGTERM)
    _exited(handle, grace_seconds)
    _signal_group(pid, signal.SIGKILL)  # the child if it is still there, and whatever it started


def _signal_group(pid: int, number: signal.Signals) -> None:
    try:
        os.killpg(pid, number)
    except ProcessLookupError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)


def _exited(handle: int, seconds: float) -> bool:
    readable, _, _ = select.select([handle], [], [], seconds)
    return bool(readable)


def _reap(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
