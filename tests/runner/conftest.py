"""Runner fixtures: a pipeline version made through the real domain functions, and a live-event listener."""

import asyncio
import base64
import collections
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings as django_settings

from designer.celery import app
from designer.live.outlet import run_group
from designer.pipelines.drafts import pipeline_create, version_record
from designer.pipelines.models import PipelineVersion
from tests.runner.celery_workers import Worker, fresh_queue, needs_server_services, running_worker

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
        self.arrived: collections.deque[dict[str, Any]] = collections.deque()  # events of messages read, not yet taken

    def follow(self, run_id: int) -> None:
        async_to_sync(self.layer.group_add)(run_group(run_id), self.channel)

    def received(self, count: int) -> list[dict[str, Any]]:
        """The first `count` status events (those with a `seq`), in arrival order; reports go to `reports`."""
        return async_to_sync(self._collect)(count)

    def next_event(self) -> dict[str, Any]:
        """The next event of any kind."""
        return async_to_sync(self._next)()

    async def _next(self) -> dict[str, Any]:
        while not self.arrived:  # a message carries a few events (designer/live/outlet.py)
            message = await asyncio.wait_for(self.layer.receive(self.channel), EVENT_WAIT_SECONDS)
            self.arrived.extend(message["events"])
        return self.arrived.popleft()

    async def _collect(self, count: int) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        while len(events) < count:
            event = await self._next()
            (events if "seq" in event else self.reports).append(event)
        return events


@pytest.fixture
def run_events() -> RunEvents:
    return RunEvents()


@pytest.fixture(scope="module")
def worker(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """A real `celery worker` process on a queue of its own, shared by the tests of one module."""
    needs_server_services()
    with running_worker(tmp_path_factory.mktemp("worker-data"), (fresh_queue(),)) as worker:
        yield worker


@pytest.fixture
def on_worker(worker: Worker, settings: Any) -> Worker:
    """Steps go to the worker's queue and previews read its artifact folder."""
    settings.CELERY_TASK_DEFAULT_QUEUE = worker.queue
    settings.ARTIFACT_DIR = worker.artifact_dir
    return worker


@pytest.fixture
def broker_queue() -> Iterator[tuple[str, redis.Redis]]:
    """A queue nobody consumes, on the Redis broker: the test counts its messages; deleted after."""
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("counts the messages on a Redis broker: set CELERY_BROKER_URL")
    queue, broker = f"race-{uuid.uuid4().hex[:8]}", redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    yield queue, broker
    broker.delete(queue)


def task_of(message: bytes) -> tuple[list[int], dict[str, object]]:
    """The arguments of a Celery task message on a Redis list (a kombu envelope, base64 JSON body)."""
    args, kwargs, _ = json.loads(base64.b64decode(json.loads(message)["body"]))
    return args, kwargs
