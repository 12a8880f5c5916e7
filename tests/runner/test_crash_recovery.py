"""Crash safety with real processes: a worker killed with `kill -9` in the middle of a run, then a new one.

The two workers share only the database, the broker and the artifact folder.
"""

import hashlib
import time
from collections import Counter
from pathlib import Path

import pytest

from runner.models import Artifact, Worker
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.celery_workers import (
    fresh_queue,
    needs_server_services,
    running_worker,
    start_worker,
    wait_for_end,
    wait_for_step,
)
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

# Heartbeats every half second; a silent worker is lost after two.
FAST_HEARTBEATS = {"TRELLIS_HEARTBEAT_SECONDS": "0.5", "TRELLIS_LOST_AFTER_SECONDS": "2"}
BLOCKER = "step10"


def chain_of_twenty(journal: Path, release: Path) -> dict:
    """load -> step01 -> ... -> step18 -> last; every step writes its name to `journal` when it runs,
    and step10 then waits until `release` exists."""
    graph, previous = GraphBuilder().node("load", "sample_dataset"), "load"
    for node in [f"step{index:02d}" for index in range(1, 19)] + ["last"]:
        if node == BLOCKER:
            graph.node(node, "block_until", label=node, journal=str(journal), release=str(release))
        else:
            graph.node(node, "record_execution", label=node, journal=str(journal))
        graph.edge(f"{previous}.dataset", f"{node}.dataset")
        previous = node
    return graph.build()


def wait_for_journal(journal: Path, label: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not (journal.exists() and label in journal.read_text().split()):
        assert time.monotonic() < deadline, f"{label} never started"
        time.sleep(0.05)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_run_survives_its_worker_killed_mid_step_and_nothing_runs_twice(team, settings, tmp_path):
    needs_server_services()
    queue, artifacts = fresh_queue(), tmp_path / "artifacts"
    settings.CELERY_TASK_DEFAULT_QUEUE, settings.ARTIFACT_DIR = queue, artifacts
    journal, release = tmp_path / "journal.txt", tmp_path / "release"
    first = start_worker(tmp_path / "first", (queue,), artifact_dir=artifacts, **FAST_HEARTBEATS)
    run = run_submit(version_of(team, chain_of_twenty(journal, release)), team.owner)
    wait_for_step(run, BLOCKER, "running")
    wait_for_journal(journal, BLOCKER)  # its module is running now

    first.kill_process_group()  # the worker's main and pool processes; the step process dies with them
    release.touch()
    with running_worker(tmp_path / "second", (queue,), artifact_dir=artifacts, **FAST_HEARTBEATS):
        run = wait_for_end(run)

    assert run.status == "completed", run.error
    steps = {step.node_id: step for step in run.steps.all()}
    assert len(steps) == 20 and {step.status for step in steps.values()} == {"completed"}
    # Completed steps were not executed again; only the one the killed worker was running was.
    recorded = [node for node in steps if node != "load"]
    assert Counter(journal.read_text().split()) == {node: 2 if node == BLOCKER else 1 for node in recorded}
    blocker = steps[BLOCKER]
    assert (blocker.attempt, blocker.worker_losses) == (2, 1)
    assert f"worker lost ({first.name})" in blocker.reason
    assert blocker.worker != first.name
    assert {step.attempt for node, step in steps.items() if node != BLOCKER} == {1}
    assert Worker.objects.get(name=first.name).lost
    # No output is duplicated or truncated: every stored file holds exactly the bytes its name promises.
    stored = sorted(artifacts.glob("??/*"))
    assert stored and all(sha256_of(path) == path.name.split(".")[0] for path in stored)
    for step in steps.values():
        for output in step.outputs.values():
            artifact = Artifact.objects.get(digest=output["digest"])
            [path] = artifacts.glob(f"{output['digest'][:2]}/{output['digest']}.*")
            assert artifact.size == path.stat().st_size


def fan_of_blockers(journal: Path, release: Path, width: int) -> dict:
    """load -> `width` block_until branches, each writing its name to `journal`, then waiting for `release`."""
    graph = GraphBuilder().node("load", "sample_dataset")
    for index in range(width):
        node = f"branch{index}"
        graph.node(node, "block_until", label=node, journal=str(journal), release=str(release))
        graph.edge("load.dataset", f"{node}.dataset")
    return graph.build()


def test_a_fan_outs_queued_steps_without_tasks_run_after_their_worker_is_killed(team, settings, tmp_path):
    """The branches share a task or two (runner/progress.py steps_queue); the worker's two pool
    processes each hold one running branch when it dies, the rest wait queued with no task of
    their own. The reaper of the next worker queues the two again and sends the queued ones'
    tasks again; whichever task comes first runs what is queued."""
    needs_server_services()
    queue, artifacts = fresh_queue(), tmp_path / "artifacts"
    settings.CELERY_TASK_DEFAULT_QUEUE, settings.ARTIFACT_DIR = queue, artifacts
    journal, release, width = tmp_path / "journal.txt", tmp_path / "release", 6
    first = start_worker(tmp_path / "first", (queue,), artifact_dir=artifacts, **FAST_HEARTBEATS)
    run = run_submit(version_of(team, fan_of_blockers(journal, release, width)), team.owner)
    deadline = time.monotonic() + 60
    while not (journal.exists() and len(journal.read_text().split()) == 2):  # both pool processes blocked
        assert time.monotonic() < deadline, "two branches never started"
        time.sleep(0.05)
    running = set(journal.read_text().split())
    assert run.steps.filter(status="queued").count() == width - 2

    first.kill_process_group()
    release.touch()
    with running_worker(tmp_path / "second", (queue,), artifact_dir=artifacts, **FAST_HEARTBEATS):
        run = wait_for_end(run)

    assert run.status == "completed", run.error
    steps = {step.node_id: step for step in run.steps.all()}
    assert {step.status for step in steps.values()} == {"completed"}
    # The two the killed worker was running ran again, each other branch once.
    branches = [node for node in steps if node != "load"]
    assert Counter(journal.read_text().split()) == {node: 2 if node in running else 1 for node in branches}
    assert {node: steps[node].worker_losses for node in branches} == {node: int(node in running) for node in branches}
