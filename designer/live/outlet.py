"""The one outlet for live events: run and step changes leave here, after commit.

Production (TRELLIS_REDIS_URL set): straight onto the Redis channel layer.
Embedded: the channel layer lives inside the web process, so a worker posts the event to the
web server's loopback endpoint named in LIVE_ENDPOINT_FILE; with no server listening the
event is dropped, since clients reload state over REST when they (re)connect.
"""

import json
import logging
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
    transaction.on_commit(lambda: deliver(run_id, event))


def deliver(run_id: int, event: dict[str, Any]) -> None:
    try:
        if settings.REDIS_URL:
            layer = channel_layers["default"]
            async_to_sync(layer.group_send)(run_group(run_id), {"type": EVENT_MESSAGE_TYPE, "event": event})
        else:
            _post_to_embedded_server(run_id, event)
    except Exception:  # a lost live event must never fail a step; clients resync over REST
        log.warning("live event for run %s not delivered", run_id, exc_info=True)


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
