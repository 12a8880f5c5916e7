"""A worker's heartbeat: a thread in the `celery worker` main process that keeps its record
(runner/workers.py) fresh and runs the reaper (runner/reaper.py) every HEARTBEAT_SECONDS.

The step heartbeats are renewed by the pool processes that supervise the steps (runner/execute.py).
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from runner.reaper import reap
from runner.workers import worker_beat, worker_started, worker_stopped

logger = logging.getLogger(__name__)


class WorkerHeartbeat:
    def __init__(self, name: str, queues: list[str], concurrency: int) -> None:
        self.name, self.queues, self.concurrency = name, queues, concurrency
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="trellis-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=settings.HEARTBEAT_SECONDS + 5)
        try:
            worker_stopped(self.name)
        finally:
            close_old_connections()

    def _beat(self) -> None:
        registered = False
        while True:
            try:
                if not registered or not worker_beat(self.name):
                    worker_started(self.name, self.queues, self.concurrency)
                registered = True
                reap()
            except Exception:  # the database may be away for a while; the next beat tries again
                logger.exception("worker %s: heartbeat or reaper failed", self.name)
                close_old_connections()
            if self._stop.wait(settings.HEARTBEAT_SECONDS):
                return
