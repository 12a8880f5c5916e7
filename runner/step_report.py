"""What a running step prints and logs, stored and announced while it runs.

The step (inline or in a child) writes its stdout and stderr to the log file of its scratch
folder, and what it logs through modules.step_api to the events file beside it. The worker's
StepReporter reads both from where it left off, at most every FLUSH_SECONDS (the step's stop
check calls it every runner.supervise.POLL_SECONDS), and per flush makes at most one UPDATE of
the step (log and progress), one insert of metrics, and one live "report" event: a chatty step
costs the database and the websocket the same as a quiet one.

The stored log keeps at most LOG_LIMIT_BYTES: once the step printed more, it holds the last
megabyte under an "[earlier output cut]" marker (rewritten at most every OVERFLOW_SECONDS), and
report events tell clients to fetch it again instead of carrying it.
"""

from __future__ import annotations

import codecs
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from modules.ports import PNG_IMAGE, TABLE
from modules.step_api import EVENTS_FILE
from runner import plan as states
from runner.artifacts import ArtifactStore
from runner.events import step_report
from runner.models import Artifact, AttachmentKind, StepAttachment, StepMetric, StepRun
from runner.step_process import LOG_FILE, LOG_LIMIT_BYTES, log_tail

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5
OVERFLOW_SECONDS = 5.0
EVENT_TEXT_LIMIT = 64 << 10  # characters of log one event carries; more and clients fetch the log
EVENT_METRICS_LIMIT = 500


@dataclass
class _Flush:
    """What one flush found: the new log text, metrics, attachments and the latest progress."""

    text: str = ""
    log_reset: bool = False
    metrics: list[StepMetric] = field(default_factory=list)
    attachments: list[StepAttachment] = field(default_factory=list)
    progress: tuple[int, int] | None = None

    def logged_nothing(self) -> bool:
        """Only log text, if anything: no metrics, attachments or progress."""
        return not (self.metrics or self.attachments or self.progress)

    def empty(self) -> bool:
        return not (self.text or self.log_reset or self.metrics or self.attachments or self.progress)


class StepReporter:
    """Follows one attempt of one step; `poll(workdir)` from its stop check, `poll(workdir, final=True)` at its end."""

    def __init__(self, step: StepRun, store: ArtifactStore, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.step, self.store, self.flush_seconds = step, store, flush_seconds
        self.attempt = step.attempt
        self._next_flush = 0.0
        self._log_bytes = 0  # read from the log file so far
        self._log_chars = 0  # stored in StepRun.log so far (while under the limit)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._overflow_at: float | None = None
        self._events_offset = 0

    def poll(self, workdir: Path, final: bool = False) -> None:
        """Store and announce what is new, if FLUSH_SECONDS passed since the last time (or `final`)."""
        now = time.monotonic()
        if not final and now < self._next_flush:
            return
        self._next_flush = now + self.flush_seconds
        try:
            flush = self._read_log(workdir, now, final)
            self._read_events(workdir, flush)
            if final and flush.logged_nothing():
                return  # recording the outcome stores the whole log anyway: spare a short step a write
            if not flush.empty():
                self._store(flush)
        except Exception:  # reporting must never fail or stop the step; its outcome still gets recorded
            logger.exception("could not report on %s", self.step)

    def _read_log(self, workdir: Path, now: float, final: bool) -> _Flush:
        path = workdir / LOG_FILE
        try:
            with path.open("rb") as file:
                file.seek(self._log_bytes)
                chunk = file.read(LOG_LIMIT_BYTES + 1 - self._log_bytes) if self._overflow_at is None else b""
                size = file.seek(0, 2)
        except FileNotFoundError:
            return _Flush()
        if self._overflow_at is None and self._log_bytes + len(chunk) <= LOG_LIMIT_BYTES:
            self._log_bytes += len(chunk)
            return _Flush(text=self._decoder.decode(chunk, final=final))
        due = self._overflow_at is None or final or now - self._overflow_at >= OVERFLOW_SECONDS
        if not due or size == self._log_bytes:
            return _Flush()
        self._overflow_at, self._log_bytes = now, size
        return _Flush(text=log_tail(path), log_reset=True)

    def _read_events(self, workdir: Path, flush: _Flush) -> None:
        try:
            with (workdir / EVENTS_FILE).open("rb") as file:
                file.seek(self._events_offset)
                data = file.read()
        except FileNotFoundError:
            return
        complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits for the next flush
        self._events_offset += len(complete)
        for line in complete.splitlines():
            self._take(json.loads(line), workdir, flush)

    def _take(self, event: dict[str, Any], workdir: Path, flush: _Flush) -> None:
        kind, step = event["kind"], self.step
        if kind == "progress":
            flush.progress = (int(event["done"]), int(event["total"]))
        elif kind == "metric":
            at = _moment(event["at"])
            flush.metrics.append(
                StepMetric(step=step, name=event["name"], value=event["value"], index=event["step"], logged_at=at)
            )
        elif kind in (AttachmentKind.TABLE, AttachmentKind.IMAGE):
            port_type = TABLE if kind == AttachmentKind.TABLE else PNG_IMAGE
            stored = self.store.adopt(workdir / Path(event["file"]).name, port_type)
            attachment = StepAttachment(
                step=step,
                kind=kind,
                name=event["name"],
                digest=stored.digest,
                size=stored.size,
                rows=event.get("rows"),
                logged_at=_moment(event["at"]),
            )
            flush.attachments.append(attachment)

    def _store(self, flush: _Flush) -> None:
        this_attempt = StepRun.objects.filter(pk=self.step.pk, status=states.RUNNING, attempt=self.attempt)
        fields: dict[str, Any] = {}
        if flush.log_reset:
            fields["log"] = flush.text
        elif flush.text:
            fields["log"] = Concat(F("log"), Value(flush.text))
        if flush.progress is not None:
            fields["progress_done"], fields["progress_total"] = flush.progress
        with transaction.atomic():
            if fields and not this_attempt.update(**fields):
                return  # canceled, finished or queued again meanwhile: this attempt has no say any more
            if not fields and not this_attempt.exists():
                return
            if flush.attachments:
                artifacts = [Artifact(digest=a.digest, port_type=_port_type(a), size=a.size) for a in flush.attachments]
                Artifact.objects.bulk_create(artifacts, ignore_conflicts=True)
                StepAttachment.objects.bulk_create(flush.attachments)
            StepMetric.objects.bulk_create(flush.metrics)
            step_report(self.step, self._event(flush))
        self._log_chars += len(flush.text) if not flush.log_reset else 0

    def _event(self, flush: _Flush) -> dict[str, Any]:
        event: dict[str, Any] = {"attempt": self.attempt}
        if flush.log_reset or len(flush.text) > EVENT_TEXT_LIMIT:
            event["log"] = {"reset": True}
        elif flush.text:
            event["log"] = {"offset": self._log_chars, "end": self._log_chars + len(flush.text), "text": flush.text}
        if flush.progress is not None:
            event["progress"] = {"done": flush.progress[0], "total": flush.progress[1]}
        if len(flush.metrics) > EVENT_METRICS_LIMIT:
            event["metrics_reset"] = True
        elif flush.metrics:
            event["metrics"] = [metric_json(metric) for metric in flush.metrics]
        if flush.attachments:
            event["attachments"] = [attachment_json(attachment) for attachment in flush.attachments]
        return event


def _moment(unix_time: float) -> datetime:
    return datetime.fromtimestamp(float(unix_time), tz=UTC)


def _port_type(attachment: StepAttachment) -> str:
    return TABLE.name if attachment.kind == AttachmentKind.TABLE else PNG_IMAGE.name


def metric_json(metric: StepMetric) -> dict[str, Any]:
    return {"name": metric.name, "value": metric.value, "step": metric.index, "logged_at": metric.logged_at.isoformat()}


def attachment_json(attachment: StepAttachment) -> dict[str, Any]:
    """Without its id when it is not saved yet (bulk_create on SQLite sets none)."""
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.name,
        "rows": attachment.rows,
        "logged_at": attachment.logged_at.isoformat(),
    }


def step_reports_reset(step: StepRun) -> None:
    """A new attempt starts clean: no log, progress, metrics or attachments of an earlier one."""
    StepMetric.objects.filter(step=step).delete()
    StepAttachment.objects.filter(step=step).delete()
    StepRun.objects.filter(pk=step.pk).update(log="", progress_done=None, progress_total=None)


def attachment_digests(workspace_id: int | None) -> Iterable[str]:
    """The artifacts logged tables and images keep (a root provider of runner/housekeeping.py)."""
    rows = StepAttachment.objects.all()
    if workspace_id is not None:
        rows = rows.filter(step__run__pipeline__workspace_id=workspace_id)
    return rows.values_list("digest", flat=True)
