"""Runner fixtures: a pipeline version made through the real domain functions, and a live-event listener."""

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings as django_settings

from designer.celery import app
from designer.live.outlet import run_group
from designer.pipelines.drafts import pipeline_create, version_record
from designer.pipelines.models import PipelineVersion

EVENT_WAIT_SECONDS = 10.0


def version_of(team: Any, document: dict[str, Any], name: str = "Pipeline") -> PipelineVersion:
    pipeline = pipeline_create(team.workspace, name, team.owner, graph=document)
    return version_record(pipeline, document, team.owner)


@pytest.fixture
def artifact_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    return settings.ARTIFACT_DIR


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks run inline where they are enqueued: the runner without a broker (Celery's own test mode)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


class RunEvents:
    """Subscribes to a run's live events on the Redis channel layer, as a websocket consumer would."""

    def __init__(self) -> None:
        if not django_settings.REDIS_URL:
            pytest.skip("live events are captured through Redis: set TRELLIS_REDIS_URL")
        self.layer = channel_layers["default"]
        self.channel = async_to_sync(self.layer.new_channel)()
        self.reports: list[dict[str, Any]] = []  # what running steps printed and logged, set aside by received()

    def follow(self, run_id: int) -> None:
        async_to_sync(self.layer.group_add)(run_group(run_id), self.channel)

    def received(self, count: int) -> list[dict[str, Any]]:
        """The first `count` status events (those with a `seq`), in arrival order; reports go to `reports`."""
        return async_to_sync(self._collect)(count)

    def next_event(self) -> dict[str, Any]:
        """The next event of any kind."""
        return async_to_sync(self._next)()

    async def _next(self) -> dict[str, Any]:
        message = await asyncio.wait_for(self.layer.receive(self.channel), EVENT_WAIT_SECONDS)
        event: dict[str, Any] = message["event"]
        return event

    async def _collect(self, count: int) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while len(events) < count:
            event = await self._next()
            (events if "seq" in event else self.reports).append(event)
        return events


@pytest.fixture
def run_events() -> RunEvents:
    return RunEvents()
