"""Work the embedded server repeats in the background: a daemon thread that calls a function on an interval."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from runner.housekeeping import artifacts_collect

logger = logging.getLogger(__name__)

FIRST_COLLECTION_DELAY_SECONDS = 60.0  # not at once: the server is starting; not a full interval: it may not last one


class Periodic:
    """Calls `work` after `first_delay` seconds, then every `interval` seconds, until `stop()`.

    A failure is logged and the next call comes at its time. The thread's database connections
    are closed after each call, so none is left open between calls.
    """

    def __init__(self, name: str, work: Callable[[], object], interval: float, first_delay: float) -> None:
        self.name, self.work, self.interval, self.first_delay = name, work, interval, first_delay
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Periodic:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end and wait for a call in progress to finish (up to `timeout`)."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        delay = self.first_delay
        while not self._stopped.wait(delay):
            try:
                self.work()
            except Exception:
                logger.exception("%s failed; trying again in %g s", self.name, self.interval)
            finally:
                connections.close_all()
            delay = self.interval


def collect_periodically() -> Periodic | None:
    """Start collecting artifact garbage every TRELLIS_COLLECT_INTERVAL_SECONDS; None when that is 0."""
    interval = float(settings.COLLECT_INTERVAL_SECONDS)
    if not interval:
        return None
    first = min(interval, FIRST_COLLECTION_DELAY_SECONDS)
    return Periodic("artifact collection", _collect_and_log, interval, first).start()


def _collect_and_log() -> None:
    report = artifacts_collect()
    deleted = report.deleted
    logger.info(
        "artifact collection: released %d steps, deleted %d files (%d bytes) and %d temporary files",
        report.released_steps,
        deleted.files,
        deleted.bytes,
        deleted.temporary,
    )
