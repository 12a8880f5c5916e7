"""Measuring helpers shared by every driver; standard library only (the peers' venv imports it too).

CPU comes from /proc: a process's utime + stime plus cutime + cstime (children it has reaped),
summed over it and its live descendants. Forked step processes are reaped by the pool process
that forked them, so their CPU lands in its cutime/cstime and is counted.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")
POLL_SECONDS = 0.01


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # the command name may hold spaces and parentheses


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(int(entry))) is not None:
            parents[int(entry)] = int(fields[1])
    return parents


def tree(root: int, parents: dict[int, int] | None = None) -> list[int]:
    """`root` and its live descendants."""
    parents = _parents() if parents is None else parents
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def process_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of one process: its own, and that of the children it has reaped."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0, 0.0
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime) / TICKS, (cutime + cstime) / TICKS


def tree_cpu(roots: Iterable[int]) -> tuple[float, float]:
    """CPU seconds of the trees under `roots`: (live processes, children they reaped)."""
    parents = _parents()
    times = [process_cpu(pid) for root in roots for pid in tree(root, parents)]
    return sum(own for own, _ in times), sum(reaped for _, reaped in times)


def find_processes(match: Callable[[str], bool]) -> list[int]:
    """Pids whose command line (spaces between arguments) satisfies `match`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if match(command):
            pids.append(int(entry))
    return pids


def service_roots() -> dict[str, list[int]]:
    """Redis and the PostgreSQL postmaster (whose tree holds every backend): CPU shared with
    anything else using them at the same moment."""
    redis = find_processes(lambda command: command.startswith("redis-server") and ":6379" in command)
    postgres = find_processes(lambda command: "postgres" in command and " -D " in command)
    return {"redis": redis, "postgres": postgres}


def postgres_backend_of(database: str) -> Callable[[str], bool]:
    """Matches the command line of a PostgreSQL backend serving `database` ("postgres: 15/main:
    USER DATABASE HOST(PORT) STATE"); other databases' backends, and the server's own
    processes, are someone else's work."""
    return lambda command: command.startswith("postgres:") and f" {database} " in command


class ProcessSampler:
    """CPU seconds of processes whose command line matches, even short-lived ones (a Celery
    worker opens a database connection per task, so a backend may live for one step only):
    their CPU is read every SAMPLE_SECONDS on a thread, so one that exits loses only its last
    interval. `overhead` is the sampling thread's own CPU, to take off its process' figure."""

    SAMPLE_SECONDS = 0.02

    def __init__(self, match: Callable[[str], bool]) -> None:
        self.match = match
        self._verdicts: dict[int, bool] = {}  # pid -> matches (a pid's command line is read once)
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.overhead = 0.0

    def _matching(self) -> dict[int, float]:
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            if pid not in self._verdicts:
                try:
                    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                self._verdicts[pid] = self.match(command)
            if self._verdicts[pid]:
                found[pid] = sum(process_cpu(pid))
        return found

    def _sample(self) -> None:
        started = time.thread_time()
        while not self._done.wait(self.SAMPLE_SECONDS):
            self._last |= self._matching()
        self.overhead = time.thread_time() - started

    def start(self) -> None:
        self._verdicts.clear()  # pids are reused
        self._first = self._matching()
        self._last = dict(self._first)
        self._done.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        assert self._thread is not None
        self._done.set()
        self._thread.join()
        self._last |= self._matching()
        return sum(cpu - self._first.get(pid, 0.0) for pid, cpu in self._last.items())


@dataclass
class Sample:
    """One measured run of a workload on a system."""

    wall: float
    cpu: dict[str, float] = field(default_factory=dict)  # part -> CPU seconds
    extra: dict[str, float] = field(default_factory=dict)  # e.g. start-up, the run's own duration


class CpuMeter:
    """CPU seconds spent by named groups of process trees between `start` and `stop`.

    For the group named "workers", the CPU of processes the workers reaped (Trellis' forked step
    processes) is reported apart, as "steps"; other groups count both together.
    """

    def __init__(self, groups: dict[str, list[int]], sampled: dict[str, ProcessSampler] | None = None) -> None:
        self.groups = groups
        self.sampled = sampled or {}
        self._before: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        parts: dict[str, float] = {}
        for name, roots in self.groups.items():
            own, reaped = tree_cpu(roots)
            if name == "workers":
                parts |= {"workers": own, "steps": reaped}
            else:
                parts[name] = own + reaped
        return parts

    def start(self) -> None:
        self._before = self._read()
        for sampler in self.sampled.values():
            sampler.start()

    def stop(self) -> dict[str, float]:
        after = self._read()
        parts = {name: after[name] - self._before[name] for name in after}
        return parts | {name: sampler.stop() for name, sampler in self.sampled.items()}

    @property
    def overhead(self) -> float:
        """CPU the samplers' threads spent in this process during the last measurement."""
        return sum(sampler.overhead for sampler in self.sampled.values())


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(POLL_SECONDS)


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def log(message: str) -> None:
    """A progress line; compare.py shows lines of this shape and keeps the rest in the driver's log."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def emit(records: list[dict[str, Any]]) -> None:
    """Hand results to compare.py: one JSON document on stdout, after a marker line."""
    sys.stdout.write("@@RESULTS@@\n" + json.dumps(records) + "\n")
    sys.stdout.flush()


def record(system: str, workload: str, steps: int, samples: list[Sample], **notes: Any) -> dict[str, Any]:
    return {"system": system, "workload": workload, "steps": steps, "samples": [asdict(s) for s in samples], **notes}
