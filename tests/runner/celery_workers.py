"""Real `celery -A designer worker` processes for runner tests, on Redis and the PostgreSQL test database.

Each worker gets a data folder of its own; what workers share is only what the caller passes
(the database, the broker and, through TRELLIS_ARTIFACT_DIR, an artifact folder).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from designer.celery import app
from runner.models import Run
from runner.state import run_snapshot

READY_SECONDS = 45.0
RUN_SECONDS = 60.0


@dataclass(frozen=True)
class Worker:
    name: str
    queues: tuple[str, ...]
    artifact_dir: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def queue(self) -> str:
        return self.queues[0]

    def kill_process_group(self) -> None:
        """kill -9 the worker's process group: its main process and pool processes at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def needs_server_services() -> None:
    if connection.vendor != "postgresql" or not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)")


def fresh_queue() -> str:
    return f"trellis-test-{uuid.uuid4().hex[:8]}"  # a fresh queue: no stale messages from earlier runs


def database_url() -> str:
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{database['USER']}{password}@{host}/{database['NAME']}"


def start_worker(
    data_dir: Path, queues: tuple[str, ...], artifact_dir: Path | None = None, **environment: str
) -> Worker:
    """Start a worker in a process group of its own and wait until it answers a ping."""
    data_dir.mkdir(parents=True, exist_ok=True)
    name = f"{queues[0]}-{uuid.uuid4().hex[:4]}@{socket.gethostname()}"
    artifacts = artifact_dir or data_dir / "artifacts"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "TRELLIS_REDIS_URL": django_settings.REDIS_URL,
        "TRELLIS_MODULE_PACKAGES": "tests.fixture_modules",
        "TRELLIS_DATA_DIR": str(data_dir),
        "TRELLIS_ARTIFACT_DIR": str(artifacts),
        "CELERY_SKIP_CHECKS": "1",
        **environment,
    }
    command = [sys.executable, "-m", "celery", "-A", "designer", "worker", "-Q", ",".join(queues), "--hostname", name]
    command += ["--pool", "prefork", "--concurrency", "2", "--loglevel", "warning", "--without-mingle"]
    log = data_dir / "worker.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a test can kill all of it at once
        )
    worker = Worker(name=name, queues=queues, artifact_dir=artifacts, process=process, log=log)
    _wait_until_ready(worker)
    return worker


def _wait_until_ready(worker: Worker) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited with {worker.process.returncode}:\n{worker.log.read_text()[-3000:]}")
        if app.control.ping(destination=[worker.name], timeout=0.5):
            return
    pytest.fail(f"the worker did not answer a ping within {READY_SECONDS}s:\n{worker.log.read_text()[-3000:]}")


def stop_worker(worker: Worker) -> None:
    if worker.process.poll() is not None:
        return
    worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait()


@contextmanager
def running_worker(data_dir: Path, queues: tuple[str, ...], **options: str | Path) -> Iterator[Worker]:
    worker = start_worker(data_dir, queues, **options)  # type: ignore[arg-type]
    try:
        yield worker
    finally:
        stop_worker(worker)


def wait_for_end(run: Run, seconds: float = RUN_SECONDS) -> Run:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status not in ("queued", "running"):
            return run
        time.sleep(0.1)
    pytest.fail(f"run {run.number} still {run.status} after {seconds}s: {run_snapshot(run)}")


def wait_for_step(run: Run, node: str, status: str, seconds: float = RUN_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not run.steps.filter(node_id=node, status=status).exists():
        assert time.monotonic() < deadline, run_snapshot(run)
        time.sleep(0.05)
