"""Websocket consumers: check membership, join the run's group, forward its events."""

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from designer.live.outlet import run_group
from designer.workspaces.access import AccessDenied
from designer.workspaces.lookups import run_for

CLOSE_NOT_ALLOWED = 4403


class RunConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """Live events of one run: `{"type": "step"|"run", "run", "seq", ...}`."""

    async def connect(self) -> None:
        run_id = self.scope["url_route"]["kwargs"]["run_id"]
        try:
            await database_sync_to_async(run_for)(self.scope["user"], run_id)
        except AccessDenied:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.group = run_group(run_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def run_events(self, message: dict[str, Any]) -> None:
        """Events of the run come a few to a message (designer/live/outlet.py); a frame each."""
        for event in message["events"]:
            await self.send_json(event)
