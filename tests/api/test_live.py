"""Live events: members of the run's workspace receive them over a websocket, nobody else does."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient

from designer.asgi import application
from designer.live import outlet
from designer.pipelines.drafts import pipeline_create, version_record
from runner.models import Run
from tests.graphs import iris_split_graph

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(30)]


def make_run(team, name: str = "Iris") -> Run:
    pipeline = pipeline_create(team.workspace, name, team.owner, iris_split_graph())
    version = version_record(pipeline, pipeline.draft_graph, team.owner)
    return Run.objects.create(pipeline=pipeline, version=version, number=1)


async def connect(user, run_id: int) -> tuple[WebsocketCommunicator, bool, int | None]:
    communicator = WebsocketCommunicator(application, f"/ws/runs/{run_id}/", headers=[(b"origin", b"http://127.0.0.1")])
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_a_member_receives_the_events_of_a_run(team):
    run = await sync_to_async(make_run)(team)
    communicator, connected, _ = await connect(team.reader, run.pk)
    assert connected
    event = {"type": "step", "run": run.pk, "seq": 1, "node": "load", "status": "running", "error": ""}
    await sync_to_async(outlet.deliver)(run.pk, event)
    assert await communicator.receive_json_from(timeout=5) == event
    await communicator.disconnect()


async def test_events_sent_together_reach_each_runs_watchers_a_frame_each_in_order(team):
    run, other = await sync_to_async(make_run)(team), await sync_to_async(make_run)(team, "Wine")
    watching_run, _, _ = await connect(team.reader, run.pk)
    watching_other, _, _ = await connect(team.reader, other.pk)
    events = [{"type": "step", "run": run.pk, "seq": seq, "node": "load", "status": "queued"} for seq in (1, 2, 3)]
    elsewhere = {"type": "run", "run": other.pk, "seq": 1, "status": "running", "error": ""}

    together = [(run.pk, events[0]), (other.pk, elsewhere), (run.pk, events[1]), (run.pk, events[2])]
    await sync_to_async(outlet.deliver_all)(together)

    assert [await watching_run.receive_json_from(timeout=5) for _ in events] == events
    assert await watching_other.receive_json_from(timeout=5) == elsewhere
    assert await watching_run.receive_nothing(timeout=0.2) and await watching_other.receive_nothing(timeout=0.01)
    await watching_run.disconnect()
    await watching_other.disconnect()


async def test_a_watcher_that_reads_late_still_gets_every_event_of_a_wide_batch(team):
    """A channel holds 100 messages; a fan-out queues hundreds of steps at once."""
    layer = get_channel_layer()
    run = await sync_to_async(make_run)(team)
    watcher = await layer.new_channel()
    await layer.group_add(outlet.run_group(run.pk), watcher)
    events = [{"type": "step", "run": run.pk, "seq": seq, "node": f"n{seq}", "status": "queued"} for seq in range(300)]

    await sync_to_async(outlet.deliver_all)([(run.pk, event) for event in events])  # sent before anyone reads

    received: list[dict] = []
    while len(received) < len(events):
        received += (await asyncio.wait_for(layer.receive(watcher), 5))["events"]
    assert received == events


def test_a_runs_events_leave_a_few_hundred_to_a_message(monkeypatch):
    monkeypatch.setattr(outlet, "EVENTS_PER_MESSAGE", 2)
    events = [(7, {"seq": 1}), (8, {"seq": 1}), (7, {"seq": 2}), (7, {"seq": 3})]

    assert outlet.run_messages(events) == [
        (7, {"type": "run.events", "events": [{"seq": 1}, {"seq": 2}]}),
        (7, {"type": "run.events", "events": [{"seq": 3}]}),
        (8, {"type": "run.events", "events": [{"seq": 1}]}),
    ]


async def test_an_outsider_is_refused(team):
    run = await sync_to_async(make_run)(team)
    _, connected, code = await connect(team.outsider, run.pk)
    assert not connected
    assert code == 4403


async def test_events_announced_in_a_rolled_back_transaction_are_never_sent(team):
    run = await sync_to_async(make_run)(team)
    communicator, connected, _ = await connect(team.owner, run.pk)
    assert connected

    def announce_then_roll_back() -> None:
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            outlet.announce(run.pk, {"type": "run", "run": run.pk, "seq": 1, "status": "failed", "error": ""})
            raise RuntimeError("roll back")
        outlet.announce(run.pk, {"type": "run", "run": run.pk, "seq": 2, "status": "running", "error": ""})

    await sync_to_async(announce_then_roll_back)()
    assert (await communicator.receive_json_from(timeout=5))["seq"] == 2
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_the_embedded_event_endpoint_needs_the_data_folder_token(team, settings, tmp_path):
    settings.LIVE_ENDPOINT_FILE = tmp_path / "live-endpoint.json"
    settings.LIVE_ENDPOINT_FILE.write_text(json.dumps({"url": "http://127.0.0.1:1/internal/events/", "token": "s3"}))
    run = await sync_to_async(make_run)(team)
    communicator, _, _ = await connect(team.owner, run.pk)
    event = {"type": "run", "run": run.pk, "seq": 4, "status": "completed", "error": ""}
    body = json.dumps({"run": run.pk, "events": [event]})
    client = AsyncClient()
    refused = await client.post("/internal/events/", body, content_type="application/json", authorization="Bearer no")
    assert refused.status_code == 403
    assert await communicator.receive_nothing(timeout=0.2)
    accepted = await client.post("/internal/events/", body, content_type="application/json", authorization="Bearer s3")
    assert accepted.status_code == 204
    assert await communicator.receive_json_from(timeout=5) == event
    await communicator.disconnect()
