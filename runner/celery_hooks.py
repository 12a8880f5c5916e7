"""What a `celery worker` does besides running tasks: report itself, reap, and commit without waiting."""

from typing import Any

from celery.signals import worker_process_init, worker_ready, worker_shutdown
from django.conf import settings
from django.db.backends.signals import connection_created

from runner.heartbeat import WorkerHeartbeat

_heartbeat: WorkerHeartbeat | None = None


@worker_ready.connect
def _start_heartbeat(sender: Any, **kwargs: Any) -> None:
    global _heartbeat
    queues = sorted(sender.app.amqp.queues.consume_from)
    _heartbeat = WorkerHeartbeat(sender.hostname, queues, int(sender.controller.concurrency or 1))
    _heartbeat.start()


@worker_shutdown.connect
def _stop_heartbeat(sender: Any, **kwargs: Any) -> None:
    if _heartbeat is not None:
        _heartbeat.stop()


@worker_process_init.connect
def _commit_without_waiting_for_flush(**kwargs: Any) -> None:
    """A pool process writes run state in several short transactions per step; waiting for each
    WAL flush costs milliseconds apiece. Losing the last ones in a database crash only means the
    reaper runs a step again, so pool processes do not wait (TRELLIS_WORKER_SYNCHRONOUS_COMMIT)."""
    if not settings.WORKER_SYNCHRONOUS_COMMIT:
        connection_created.connect(_relax_commits, weak=False)


def _relax_commits(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
