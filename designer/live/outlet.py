"""The one outlet for live events: run and step changes leave here, after commit.

Production (TRELLIS_REDIS_URL set): straight onto the Redis channel layer.
Embedded: the channel layer lives inside the web process, so a worker posts the event to the
web server's loopback endpoint named in LIVE_ENDPOINT_FILE; with no server listening the
event is dropped, since clients reload state over REST when they (re)connect.

Either way a courier thread of the process sends them, one after another in the order they
were announced, with one event loop (so one Redis connection) for its lifetime: a step never
waits for its events to leave, and no event pays for a new loop and connection. Events of one
run waiting together leave as one message (a fan-out queues hundreds of steps at once, and a
worker's completion of one step comes with its claim of the next): a send costs a few Redis
round trips whatever it carries, and a channel holds a hundred messages at most.
"""

import asyncio
import json
import logging
import os
import queue
import threading
import urllib.request
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

EVENTS_MESSAGE_TYPE = "run.events"  # {"type", "events": [event, ...]}, of one run, in order
EVENTS_PER_MESSAGE = 500
POST_TIMEOUT_SECONDS = 2.0


def run_group(run_id: int) -> str:
    return f"run_{run_id}"


def announce(run_id: int, event: dict[str, Any]) -> None:
    """Send `event` to everyone watching run `run_id` once the current transaction commits."""
    transaction.on_commit(lambda: _courier.hand_over(run_id, event))


def deliver(run_id: int, event: dict[str, Any], loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Send `event` now, from this thread (on `loop` when given, else on a loop made for it)."""
    deliver_all([(run_id, event)], loop)


def deliver_all(events: list[tuple[int, dict[str, Any]]], loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Send (run id, event) pairs now, in order, from this thread: a message per run (see
    run_messages); on the Redis channel layer all in one turn of `loop` (most of a send's cost
    is the turn, not the Redis commands)."""
    messages = run_messages(events)
    if settings.REDIS_URL:
        if loop is None:
            async_to_sync(_send_all)(messages)
        else:
            loop.run_until_complete(_send_all(messages))
        return
    for run_id, message in messages:
        try:
            _post_to_embedded_server(run_id, message)
        except Exception:  # a lost live event must never fail a step; clients resync over REST
            log.warning("live events for run %s not delivered", run_id, exc_info=True)


def run_messages(events: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """(run id, event) pairs as channel-layer messages: a run's events in the order given, at most
    EVENTS_PER_MESSAGE a message; runs in the order they first appear."""
    by_run: dict[int, list[dict[str, Any]]] = {}
    for run_id, event in events:
        by_run.setdefault(run_id, []).append(event)
    return [
        (run_id, {"type": EVENTS_MESSAGE_TYPE, "events": run_events[start : start + EVENTS_PER_MESSAGE]})
        for run_id, run_events in by_run.items()
        for start in range(0, len(run_events), EVENTS_PER_MESSAGE)
    ]


async def _send_all(messages: list[tuple[int, dict[str, Any]]]) -> None:
    send = channel_layers["default"].group_send
    for run_id, message in messages:  # one after another: a client sees them in the order they happened
        try:
            await send(run_group(run_id), message)
        except Exception:  # a lost live event must never fail a step; clients resync over REST
            log.warning("live events for run %s not delivered", run_id, exc_info=True)


class _Courier:
    """A thread per process that delivers handed-over events in order, on one long-lived loop."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._events: queue.SimpleQueue[tuple[int, dict[str, Any]]] = queue.SimpleQueue()

    def hand_over(self, run_id: int, event: dict[str, Any]) -> None:
        if self._pid != os.getpid():  # first use in this process (a forked worker starts without the thread)
            self._pid, self._events = os.getpid(), queue.SimpleQueue()
            thread = threading.Thread(target=self._deliver_forever, args=(self._events,), daemon=True)
            thread.start()
        self._events.put((run_id, event))

    def _deliver_forever(self, events: "queue.SimpleQueue[tuple[int, dict[str, Any]]]") -> None:
        loop = asyncio.new_event_loop()
        while True:
            waiting = [events.get()]  # then whatever else is waiting: a step's events come in bursts
            while not events.empty():
                waiting.append(events.get_nowait())
            deliver_all(waiting, loop)


_courier = _Courier()


def embedded_endpoint() -> dict[str, str] | None:
    try:
        endpoint: dict[str, str] = json.loads(settings.LIVE_ENDPOINT_FILE.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return endpoint


def _post_to_embedded_server(run_id: int, message: dict[str, Any]) -> None:
    endpoint = embedded_endpoint()
    if endpoint is None:
        return
    request = urllib.request.Request(
        endpoint["url"],
        data=json.dumps({"run": run_id, "events": message["events"]}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {endpoint['token']}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS):
            pass
    except OSError:
        log.debug("no embedded server at %s; live event dropped", endpoint["url"])
