"""Two processes finishing upstream steps at once both try to dispatch the successor: one task is sent."""

import threading
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from runner.models import Run, StepRun
from runner.progress import step_dispatch
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of

pytestmark = pytest.mark.django_db(transaction=True)
CONTENDERS = 4


def test_racing_dispatches_send_one_task(team):
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("counts the messages on a Redis broker: set CELERY_BROKER_URL")
    queue = f"race-{uuid.uuid4().hex[:8]}"  # nobody consumes it; we count and delete it
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1)
    step = StepRun.objects.create(run=run, node_id="load", module="sample_dataset", module_version="1", queue=queue)
    barrier = threading.Barrier(CONTENDERS)
    wins: list[bool] = []

    def contender() -> None:
        stale = StepRun.objects.get(pk=step.pk)  # each loads it while it is still pending
        barrier.wait()
        try:
            wins.append(step_dispatch(stale))
        finally:
            connection.close()  # each thread has its own connection; the test database must drop later

    threads = [threading.Thread(target=contender) for _ in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    try:
        assert sorted(wins) == [False] * (CONTENDERS - 1) + [True]
        assert StepRun.objects.get(pk=step.pk).status == "queued"
        assert Run.objects.get(pk=run.pk).event_seq == 1
        assert broker.llen(queue) == 1
    finally:
        broker.delete(queue)
