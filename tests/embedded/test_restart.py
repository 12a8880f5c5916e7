"""Killing the embedded server mid-run loses nothing: the next start resumes the run where it was."""

import time
from pathlib import Path

import pytest

from tests.embedded.conftest import DEMO_PASSWORD
from tests.embedded.session import Session
from tests.graphs import GraphBuilder
from tests.servers import running_trellis_server

pytestmark = pytest.mark.timeout(180)


def wait_for(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError("gave up waiting")


def statuses(session: Session, run_id: int) -> dict[str, str]:
    _, snapshot = session.api("GET", f"/api/runs/{run_id}/")
    return {step["node"]: step["status"] for step in snapshot["steps"]} | {"run": snapshot["status"]}


def test_a_killed_server_resumes_its_run_when_started_again(tmp_path: Path):
    journal, release = tmp_path / "journal.txt", tmp_path / "release"
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("before", "record_execution", label="before", journal=str(journal))
        .node("wait", "block_until", label="wait", journal=str(journal), release=str(release))
        .node("after", "record_execution", label="after", journal=str(journal))
        .edge("load.dataset", "before.dataset")
        .edge("before.dataset", "wait.dataset")
        .edge("wait.dataset", "after.dataset")
        .build()
    )
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with running_trellis_server(data_dir, DEMO_PASSWORD) as server:
        demo = Session(server.url)
        demo.login("demo", DEMO_PASSWORD)
        _, [workspace] = demo.api("GET", "/api/workspaces/")
        _, pipeline = demo.api(
            "POST", f"/api/workspaces/{workspace['id']}/pipelines/", {"name": "Resume", "graph": graph}
        )
        _, run = demo.api("POST", f"/api/pipelines/{pipeline['id']}/runs/")
        wait_for(lambda: statuses(demo, run["id"])["wait"] == "running")
        wait_for(lambda: journal.exists() and "wait" in journal.read_text().split())  # its module runs now
        server.kill()  # kill -9 of the server's process group: the web process and its worker

    release.touch()
    with running_trellis_server(data_dir, DEMO_PASSWORD) as server:
        demo = Session(server.url)
        demo.login("demo", DEMO_PASSWORD)
        final = wait_for(lambda: (s := statuses(demo, run["id"]))["run"] in ("completed", "failed") and s)

    assert final == {"load": "completed", "before": "completed", "wait": "completed", "after": "completed"} | {
        "run": "completed"
    }
    assert journal.read_text().split() == ["before", "wait", "wait", "after"]
