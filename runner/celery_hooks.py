"""What a `celery worker` does besides running tasks: report itself, reap, keep its database
connections and commit without waiting."""

import os
from typing import Any

from celery.signals import task_prerun, worker_process_init, worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connections
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


@worker_process_init.connect
def _keep_connections(**kwargs: Any) -> None:
    """A pool process keeps its connections for WORKER_DB_CONN_MAX_AGE seconds instead of opening
    one per task (Celery's fixup closes them only every CELERY_DB_REUSE_MAX tasks): a step's
    own work is often shorter than connecting. Only pool processes: the web process keeps
    Django's defaults."""
    for alias in connections:
        database = connections.settings[alias]  # the dict every connection of this process reads
        database |= {"CONN_MAX_AGE": settings.WORKER_DB_CONN_MAX_AGE, "CONN_HEALTH_CHECKS": True}
        if database["ENGINE"] == "django.db.backends.postgresql":  # named in pg_stat_activity
            database["OPTIONS"] = {**database.get("OPTIONS", {}), "application_name": f"trellis worker {os.getpid()}"}
    task_prerun.connect(_check_connections, weak=False)


def _check_connections(**kwargs: Any) -> None:
    """Before each task: drop a connection that aged out or broke (e.g. the database restarted);
    the first query of the task checks that a kept one still answers, and reconnects if not."""
    close_old_connections()
