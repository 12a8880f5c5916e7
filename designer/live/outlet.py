"""The one outlet for live events: run and step changes leave here, after commit.

Production (TRELLIS_REDIS_URL set): straight onto the Redis channel layer.
Embedded: the channel layer lives inside the web process, so a worker posts the event to the
web server's loopback endpoint named in LIVE_ENDPOINT_FILE; with no server listening the
event is dropped, since clients reload state over REST when they (re)connect.

Either way a courier thread of the process sends them, one after another in the order they
were announced, with one event loop (so one Redis connection) for its lifetime: a step never
waits for its events to leave, and no event pays for a new loop and connection.
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

EVENT_MESSAGE_TYPE = "run.event"
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
    """Send (run id, event) pairs now, in order, from this thread; on the Redis channel layer
    all in one turn of `loop` (most of a send's cost is the turn, not the Redis commands)."""
    if settings.REDIS_URL:
        if loop is None:
            async_to_sync(_send_all)(events)
        else:
            loop.run_until_complete(_send_all(events))
        return
    for run_id, event in events:
        try:
            _post_to_embedded_server(run_id, event)
        except Exception:  # a lost live event must never fail a step; clients resync over REST
            log.warning("live event for run %s not delivered", run_id, exc_info=True)


async def _send_all(events: list[tuple[int, dict[str, Any]]]) -> None:
    send = channel_layers["default"].group_send
    for run_id, event in events:  # one after another: a client sees them in the order they happened
        try:
            await send(run_group(run_id), {"type": EVENT_MESSAGE_TYPE, "event": event})
        except Exception:  # a lost live event must never fail a step; clients resync over REST
            log.warning("live event for run %s not delivered", run_id, exc_info=True)


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


def _post_to_embedded_server(run_id: int, event: dict[str, Any]) -> None:
    endpoint = embedded_endpoint()
    if endpoint is None:
        return
    request = urllib.request.Request(
        endpoint["url"],
        data=json.dumps({"run": run_id, "event": event}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {endpoint['token']}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS):
            pass
    except OSError:
        log.debug("no embedded server at %s; live event dropped", endpoint["url"])
