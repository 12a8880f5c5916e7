"""The embedded default end to end: the server and its worker child, a run through the API,
its events over a real websocket, and the state a restarted server finds."""

import json
import time

import pytest
from websockets.sync.client import connect

from tests.embedded.conftest import DEMO_PASSWORD
from tests.embedded.session import Session
from tests.graphs import GraphBuilder

pytestmark = pytest.mark.timeout(90)

SLOW_PIPELINE = (
    GraphBuilder()
    .node("load", "sample_dataset", dataset="wine")
    .node("wait", "sleep", seconds=1.0)
    .node("columns", "select_columns", columns=["alcohol", "target"])
    .edge("load.dataset", "wait.dataset")
    .edge("wait.dataset", "columns.dataset")
    .build()
)


@pytest.fixture
def demo(embedded_server) -> Session:
    session = Session(embedded_server.url)
    session.login("demo", DEMO_PASSWORD)
    return session


def receive_until_run_ends(socket, seconds: float = 60) -> list[dict]:
    events, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        event = json.loads(socket.recv(timeout=deadline - time.monotonic()))
        events.append(event)
        if event["type"] == "run" and event["status"] in ("completed", "failed", "canceled"):
            return events
    raise TimeoutError(f"the run did not end; events so far: {events}")


def test_the_demo_workspace_holds_the_example_pipeline(demo):
    status, workspaces = demo.api("GET", "/api/workspaces/")
    assert status == 200
    assert [(w["name"], w["role"]) for w in workspaces] == [("Demo", "owner")]
    _, pipelines = demo.api("GET", f"/api/workspaces/{workspaces[0]['id']}/pipelines/")
    assert "iris_split" in [p["name"] for p in pipelines]


def test_a_run_streams_its_events_over_the_websocket(demo, embedded_server):
    _, [workspace] = demo.api("GET", "/api/workspaces/")
    status, pipeline = demo.api(
        "POST", f"/api/workspaces/{workspace['id']}/pipelines/", {"name": "Slow wine", "graph": SLOW_PIPELINE}
    )
    assert status == 201
    status, run = demo.api("POST", f"/api/pipelines/{pipeline['id']}/runs/")
    assert status == 201
    ws_url = embedded_server.url.replace("http", "ws") + f"/ws/runs/{run['id']}/"
    headers = {"Cookie": demo.cookie_header(), "Origin": embedded_server.url}
    with connect(ws_url, additional_headers=headers) as socket:
        _, snapshot = demo.api("GET", f"/api/runs/{run['id']}/")
        events = [event for event in receive_until_run_ends(socket) if event["seq"] > snapshot["seq"]]

    assert [event["seq"] for event in events] == sorted({event["seq"] for event in events})
    assert events[-1] == {"type": "run", "run": run["id"], "seq": events[-1]["seq"], "status": "completed", "error": ""}
    last_status = {event["node"]: event["status"] for event in events if event["type"] == "step"}
    assert last_status["columns"] == "completed"
    _, final = demo.api("GET", f"/api/runs/{run['id']}/")
    assert final["status"] == "completed"
    assert final["seq"] == events[-1]["seq"]
    assert {step["node"]: step["status"] for step in final["steps"]} == {
        "load": "completed",
        "wait": "completed",
        "columns": "completed",
    }
    status, preview = demo.api("GET", f"/api/runs/{run['id']}/steps/columns/outputs/dataset/preview/")
    assert status == 200
    assert (preview["row_count"], [c["name"] for c in preview["columns"]]) == (178, ["alcohol", "target"])
    assert len(preview["rows"]) == 50


def test_a_websocket_without_a_session_is_refused(demo, embedded_server):
    _, [workspace] = demo.api("GET", "/api/workspaces/")
    _, pipelines = demo.api("GET", f"/api/workspaces/{workspace['id']}/pipelines/")
    _, run = demo.api("POST", f"/api/pipelines/{pipelines[0]['id']}/runs/")
    ws_url = embedded_server.url.replace("http", "ws") + f"/ws/runs/{run['id']}/"
    with (
        pytest.raises(Exception, match=r"4403|rejected|closed"),
        connect(ws_url, additional_headers={"Origin": embedded_server.url}) as socket,
    ):
        socket.recv(timeout=5)
