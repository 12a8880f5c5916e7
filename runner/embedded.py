"""The embedded worker: a `celery worker` child process sharing the server's data folder.

It gets the same environment (so the same TRELLIS_DATA_DIR, database and filesystem broker)
and leaves a pidfile, so a CLI run can use the server's worker instead of starting its own.
"""

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from runner.processes import process_alive
from runner.reaper import reap

logger = logging.getLogger(__name__)

STOP_TIMEOUT_SECONDS = 10.0


def pidfile_path() -> Path:
    return settings.DATA_DIR / "worker.pid"


def worker_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "designer",
        "worker",
        "-Q",
        settings.CELERY_TASK_DEFAULT_QUEUE,
        "--pool",
        "prefork",
        "--concurrency",
        "2",
        "--loglevel",
        "warning",
        "--hostname",
        f"trellis-embedded-{os.getpid()}@%h",
        # Mingle and gossip only talk to other workers; the filesystem broker has none to reach.
        "--without-mingle",
        "--without-gossip",
    ]


def start_worker() -> subprocess.Popen[bytes]:
    """Start the embedded worker, logging to DATA_DIR/worker.log, and record its pid."""
    environment = {
        **os.environ,
        "TRELLIS_DATA_DIR": str(settings.DATA_DIR),
        "TRELLIS_ARTIFACT_DIR": str(settings.ARTIFACT_DIR),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "designer.settings"),
        # The server already ran Django's checks; skipping them starts the worker sooner.
        "CELERY_SKIP_CHECKS": "1",
    }
    with (settings.DATA_DIR / "worker.log").open("ab") as log:
        process = subprocess.Popen(
            worker_command(),
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_end_with_parent,
        )
    pidfile_path().write_text(str(process.pid))
    return process


class EmbeddedWorker:
    """The embedded server's worker child: started with it, started again should it die, and
    watched by a reaper (every worker runs one too; this one also covers the gaps between them)."""

    def __init__(self) -> None:
        self.process = start_worker()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="trellis-embedded-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        stop_worker(self.process)

    def _watch(self) -> None:
        while not self._stop.wait(settings.HEARTBEAT_SECONDS):
            if self.process.poll() is not None:
                logger.warning("the worker ended (exit code %s); starting another", self.process.returncode)
                self.process = start_worker()
            try:
                reap()
            except Exception:
                logger.exception("the reaper failed; it tries again in %s s", settings.HEARTBEAT_SECONDS)
            finally:
                close_old_connections()


def _end_with_parent() -> None:
    """In the child before exec: have Linux send SIGTERM when the parent dies, even by SIGKILL,
    so a killed server or CLI never leaves a worker behind."""
    if sys.platform == "linux":
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_worker(process: subprocess.Popen[bytes], wait: bool = True, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Ask for a warm shutdown (running steps finish) and forget the pidfile.

    With `wait`, wait up to `timeout` seconds for it, then kill it. Celery's warm shutdown
    takes several seconds even when idle, so a caller with nothing left running may not wait.
    """
    if _read_pid() == process.pid:
        pidfile_path().unlink(missing_ok=True)
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    if not wait:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def live_worker_pid() -> int | None:
    """The pid of a running embedded worker of this data folder, if there is one."""
    pid = _read_pid()
    if pid is None:
        return None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # A pid can be reused by an unrelated process after the worker died.
    return pid if b"celery" in command and process_alive(pid) else None


def _read_pid() -> int | None:
    try:
        return int(pidfile_path().read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
