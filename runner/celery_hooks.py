"""What a `celery worker` does besides running tasks: report itself and reap (runner/heartbeat.py)."""

from typing import Any

from celery.signals import worker_ready, worker_shutdown

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
