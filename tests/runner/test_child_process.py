"""A step's child process on its own: what it reports when the module fails, floods its log or dies."""

import contextlib
import dataclasses
import os
import pwd
import signal
import socket
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from modules.ports import TABLE
from runner.artifacts import ArtifactStore
from runner.step_process import LOG_LIMIT_BYTES, RunAs, run_in_child
from tests.runner.probe_jobs import probe_job


def test_outputs_are_written_to_the_store_and_reported(tmp_path):
    store = ArtifactStore(tmp_path)
    given = store.write(pd.DataFrame({"a": [1, 2]}), TABLE)

    def double(dataset):
        print("doubling", file=sys.stderr)
        return {"dataset": dataset * 2}

    result = run_in_child(probe_job(double, tmp_path, inputs={"dataset": (given.digest, TABLE)}))

    assert result.ok, result.message
    assert result.log == "doubling\n"
    digest = result.outputs["dataset"]["digest"]
    assert store.read(digest, TABLE)["a"].tolist() == [2, 4]


def test_an_exception_is_reported_with_its_traceback(tmp_path):
    def divide(dataset=None):
        return {"dataset": 1 / 0}

    result = run_in_child(probe_job(divide, tmp_path))

    assert not result.ok
    assert result.message == "ZeroDivisionError: division by zero"
    assert "in divide" in result.detail
    assert "ZeroDivisionError" in result.log  # the traceback is in the log as well


def test_a_child_killed_by_a_signal_is_a_failure_naming_it(tmp_path):
    def die(dataset=None):
        os.kill(os.getpid(), signal.SIGKILL)

    result = run_in_child(probe_job(die, tmp_path))

    assert not result.ok
    assert result.message == "the step process ended without a result (exit code -9)"


def test_only_the_end_of_a_flood_of_output_is_kept(tmp_path):
    def flood(dataset=None):
        for index in range(30_000):
            print(f"line {index:05d} " + "x" * 64)
        return {"dataset": pd.DataFrame()}

    result = run_in_child(probe_job(flood, tmp_path))

    assert result.ok
    assert result.log.startswith("[earlier output cut]\n")
    assert len(result.log.encode()) <= LOG_LIMIT_BYTES + 100
    assert result.log.endswith("line 29999 " + "x" * 64 + "\n")


def test_a_stopped_child_gets_term_and_its_process_group_ends(tmp_path):
    def nap(dataset=None):
        print("napping", flush=True)
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    began = time.monotonic()
    stop = iter([None, None, "canceled"])  # asked every POLL_SECONDS: stop on the third question

    result = run_in_child(probe_job(nap, tmp_path), lambda: next(stop), grace_seconds=5.0)

    assert time.monotonic() - began < 3.0  # TERM was enough: no grace period waited out
    assert not result.ok and result.canceled and result.message == "canceled"
    assert result.log == "napping\n\n[canceled: the step process was terminated]\n"
    assert list((tmp_path / "tmp").glob("*")) == []  # nothing half-written left in the store


def test_a_child_ignoring_term_is_killed_after_the_grace_period(tmp_path):
    def stubborn(dataset=None):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    began = time.monotonic()

    result = run_in_child(probe_job(stubborn, tmp_path), lambda: "timed out after 0.1 s", grace_seconds=0.5)

    assert 0.5 <= time.monotonic() - began < 3.0
    assert not result.ok and not result.canceled and result.message == "timed out after 0.1 s"


def test_a_child_over_its_memory_limit_is_stopped_naming_the_limit(tmp_path):
    def hog(dataset=None):
        held = bytearray(300 << 20)
        for index in range(0, len(held), 4096):
            held[index] = 1
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    job = dataclasses.replace(probe_job(hog, tmp_path), memory_bytes=100 << 20)
    began = time.monotonic()

    result = run_in_child(job, lambda: None, grace_seconds=1.0)

    assert time.monotonic() - began < 10.0
    assert not result.ok and not result.canceled
    assert result.message.startswith("memory limit of 100 MB exceeded (")


def test_a_child_over_its_cpu_time_limit_fails_naming_the_limit(tmp_path):
    def spin(dataset=None):
        while True:
            pass

    result = run_in_child(dataclasses.replace(probe_job(spin, tmp_path), cpu_seconds=1))

    assert not result.ok
    assert result.message == "the step used up its CPU time limit of 1 s"


def test_module_code_cannot_reach_the_workers_connections(tmp_path):
    here, there = socket.socketpair()  # stands for the worker's database and broker connections
    with here, there:
        result = run_in_child(probe_job(count_sockets, tmp_path))

    assert result.ok, result.message
    assert "sockets: 0" in result.log


def count_sockets(dataset=None):
    targets = []
    for descriptor in os.listdir("/proc/self/fd"):
        with contextlib.suppress(FileNotFoundError):  # the one listdir used
            targets.append(os.readlink(f"/proc/self/fd/{descriptor}"))
    print(f"sockets: {sum(target.startswith('socket:') for target in targets)}")
    return {"dataset": pd.DataFrame()}


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to another user needs root")
def test_a_step_run_as_another_user_cannot_read_the_workers_environment(tmp_path):
    nobody = pwd.getpwnam("nobody")

    def peek(dataset=None):
        try:
            Path(f"/proc/{os.getppid()}/environ").read_bytes()
            seen = "readable"
        except PermissionError:
            seen = "refused"
        print(f"uid {os.getuid()} environ {seen}")
        return {"dataset": pd.DataFrame({"a": [1]})}

    job = dataclasses.replace(probe_job(peek, tmp_path), run_as=RunAs(nobody.pw_uid, nobody.pw_gid))

    result = run_in_child(job)

    assert result.ok, result.message
    assert f"uid {nobody.pw_uid} environ refused" in result.log
    stored = result.outputs["dataset"]["digest"]
    assert ArtifactStore(tmp_path).read(stored, TABLE)["a"].tolist() == [1]


def test_the_worker_keeps_the_scratch_folder_of_a_running_step_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr("runner.step_process.SCRATCH_TOUCH_SECONDS", 0.0)  # at every check, not every minute
    waiting, go = tmp_path / "module-is-waiting", tmp_path / "go-on"
    observed: list[float] = []

    def wait_for_go(dataset=None):  # writes nothing in its folder meanwhile
        waiting.touch()
        while not go.exists():
            time.sleep(0.01)
        return {"dataset": pd.DataFrame({"a": [1]})}

    def should_stop():
        if waiting.exists() and not go.exists():
            (scratch,) = (tmp_path / "tmp").iterdir()
            if observed:
                observed.append(scratch.stat().st_mtime)
                go.touch()
            else:
                os.utime(scratch, (1_000, 1_000))  # as if nobody had touched it for decades
                observed.append(1_000)
        return None

    result = run_in_child(probe_job(wait_for_go, tmp_path), should_stop)

    assert result.ok, result.message
    assert observed[0] == 1_000 and observed[1] > 1_000  # touched again while the module waited
