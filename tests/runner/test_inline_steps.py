"""Trusted modules run in the worker's own process; user code gets a process of its own.

Inline steps are stopped by a signal their handler turns into an exception, and one that will
not stop ends the worker process after its outcome is recorded, as a KILL ends a child.
"""

import os
import signal
import threading
import time

import pandas as pd

from modules.ports import TABLE
from runner import step_inline
from runner.artifacts import ArtifactStore
from runner.step_inline import run_inline, runs_inline
from runner.step_process import RunAs
from tests.runner.probe_jobs import probe_job


def never_abandoned(reason: str, log: str) -> None:
    raise AssertionError(f"abandoned: {reason}")


def test_only_trusted_steps_without_process_limits_run_inline(tmp_path):
    def noop(dataset=None):
        return {"dataset": pd.DataFrame()}

    assert runs_inline(probe_job(noop, tmp_path), fork_every_step=False)
    assert not runs_inline(probe_job(noop, tmp_path), fork_every_step=True)
    assert not runs_inline(probe_job(noop, tmp_path, runs_user_code=True), fork_every_step=False)
    assert not runs_inline(probe_job(noop, tmp_path, memory_bytes=1 << 30), fork_every_step=False)
    assert not runs_inline(probe_job(noop, tmp_path, cpu_seconds=10), fork_every_step=False)
    assert not runs_inline(probe_job(noop, tmp_path, run_as=RunAs(65534, 65534)), fork_every_step=False)


def test_an_inline_step_runs_here_and_its_output_is_captured(tmp_path, capfd):
    store = ArtifactStore(tmp_path)
    given = store.write(pd.DataFrame({"a": [1, 2]}), TABLE)

    def double(dataset):
        print(f"pid {os.getpid()}")
        os.write(2, b"straight to the descriptor\n")
        return {"dataset": dataset * 2}

    result = run_inline(
        probe_job(double, tmp_path, inputs={"dataset": (given.digest, TABLE)}), None, 1.0, never_abandoned
    )

    assert result.ok, result.message
    assert result.log == f"pid {os.getpid()}\nstraight to the descriptor\n"
    assert store.read(result.outputs["dataset"]["digest"], TABLE)["a"].tolist() == [2, 4]
    print("after the step")
    assert capfd.readouterr().out.endswith("after the step\n")  # our own output came back


def test_a_failing_inline_step_reports_its_traceback_and_the_worker_goes_on(tmp_path):
    def quit_the_worker(dataset=None):
        raise SystemExit(3)

    result = run_inline(probe_job(quit_the_worker, tmp_path), None, 1.0, never_abandoned)

    assert not result.ok and result.message == "SystemExit: 3"
    assert "in quit_the_worker" in result.detail and "SystemExit" in result.log


def test_a_stopped_inline_step_ends_at_once_even_inside_a_sleep(tmp_path):
    def nap(dataset=None):
        print("napping", flush=True)
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    answers = iter([None, "canceled"])
    began = time.monotonic()

    result = run_inline(probe_job(nap, tmp_path), lambda: next(answers), 5.0, never_abandoned)

    assert time.monotonic() - began < 3.0
    assert not result.ok and result.canceled
    assert result.log == "napping\n\n[canceled: the step was stopped]\n"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_one_watchdog_watches_step_after_step_and_a_stop_never_reaches_the_next(tmp_path):
    def nap(dataset=None):
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    def short_nap(dataset=None):
        time.sleep(0.5)  # asked twice meanwhile
        return {"dataset": pd.DataFrame()}

    stopped = run_inline(probe_job(nap, tmp_path), lambda: "canceled", 5.0, never_abandoned)
    asked: list[float] = []
    finished = run_inline(probe_job(short_nap, tmp_path), lambda: asked.append(time.monotonic()), 5.0, never_abandoned)

    assert stopped.canceled and finished.ok, finished.message
    assert len(asked) >= 2
    watchdogs = [thread for thread in threading.enumerate() if thread.name == "trellis-step-watchdog"]
    assert len(watchdogs) == 1  # started once for this process, not once per step


def test_a_stop_check_that_fails_is_asked_again(tmp_path, caplog):
    def nap(dataset=None):
        time.sleep(30)
        return {"dataset": pd.DataFrame()}

    answers = iter([RuntimeError("the database went away"), "canceled"])

    def stop_check() -> str | None:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    result = run_inline(probe_job(nap, tmp_path), stop_check, 5.0, never_abandoned)

    assert result.canceled
    assert "the stop check of an inline step failed" in caplog.text


def test_an_inline_step_that_will_not_stop_is_recorded_then_its_process_ends(tmp_path):
    """Run in a process of its own, since the step's process is what ends."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reading)

        def stubborn(dataset=None):
            while True:
                try:
                    time.sleep(10)
                except BaseException:
                    continue

        def abandon(reason: str, log: str) -> None:
            os.write(writing, f"{reason}|{log}".encode())

        try:
            run_inline(probe_job(stubborn, tmp_path), lambda: "timed out after 1 s", 0.5, abandon)
        finally:
            os._exit(0)  # not reached: the watchdog kills this process
    os.close(writing)
    _, status = os.waitpid(child, 0)
    told = os.read(reading, 10_000).decode()
    os.close(reading)

    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    reason, log = told.split("|", 1)
    assert reason == "timed out after 1 s"
    assert log.endswith("[timed out after 1 s: the worker process running it was ended]\n")


def test_a_table_a_step_wrote_is_read_from_memory_and_changes_to_it_stay_local(tmp_path):
    store = ArtifactStore(tmp_path)
    table = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}).astype({"b": "str"})
    stored = store.write(table, TABLE)
    step_inline._remember(stored.digest, table)
    (tmp_path / stored.digest[:2] / f"{stored.digest}.parquet").unlink()  # from memory, or not at all

    first = step_inline._read(probe_job(None, tmp_path), stored.digest, TABLE)
    first.loc[0, "a"] = 100
    table.loc[1, "a"] = 200  # the module that wrote it changes its own object afterwards
    again = step_inline._read(probe_job(None, tmp_path), stored.digest, TABLE)

    assert again["a"].tolist() == [1, 2, 3]


def test_a_table_that_would_come_back_different_is_not_kept_in_memory(tmp_path):
    assert not step_inline._round_trips(pd.DataFrame({"a": [1, 2]}, index=[5, 6]))
    assert not step_inline._round_trips(pd.DataFrame({"a": [{"nested": 1}, None]}))
    assert step_inline._round_trips(pd.DataFrame({"a": [1.5, 2.5], "when": pd.to_datetime(["2026-01-01", None])}))
