"""The embedded server's background collection: a thread that repeats its work until stopped."""

import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from modules.ports import TABLE
from runner.artifacts import ArtifactStore
from runner.periodic import Periodic, collect_periodically

WAIT_SECONDS = 20.0


def wait_for(condition: Any) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_the_work_repeats_survives_a_failure_and_stops_when_asked():
    calls: list[int] = []
    third_call = threading.Event()

    def work() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the first call fails")
        if len(calls) == 3:
            third_call.set()

    periodic = Periodic("test work", work, interval=0.01, first_delay=0.0).start()
    assert third_call.wait(WAIT_SECONDS)
    periodic.stop()
    count = len(calls)
    time.sleep(0.05)
    assert len(calls) == count  # no call after stop()


def test_no_thread_when_the_interval_is_zero(settings):
    settings.COLLECT_INTERVAL_SECONDS = 0
    assert collect_periodically() is None


@pytest.mark.django_db(transaction=True)
def test_the_collection_runs_in_the_background(settings, artifact_dir: Path):
    settings.COLLECT_INTERVAL_SECONDS, settings.ARTIFACT_GRACE_SECONDS = 1, 0
    store = ArtifactStore(artifact_dir)
    garbage = store.path(store.write(pd.DataFrame({"x": [1]}), TABLE).digest, TABLE)  # referenced by nothing

    collector = collect_periodically()
    try:
        assert collector is not None
        assert wait_for(lambda: not garbage.exists())
    finally:
        collector.stop()
