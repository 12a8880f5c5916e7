"""Start Trellis exactly as the README's run command does (`manage.py serve`, embedded: SQLite,
a worker child process, no external services) in a data folder of the test's own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_START_SECONDS = 60
# Settings that would point the server at external services: this server runs embedded.
EXTERNAL_SERVICES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL", "DJANGO_SETTINGS_MODULE")


class ServerDidNotStart(RuntimeError):
    pass


@dataclass(frozen=True)
class TrellisServer:
    url: str
    data_dir: Path
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """kill -9 the server's process group (the web process and its worker child)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def manage(self, *args: str) -> str:
        """Run a management command against the server's data folder and return its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ServerDidNotStart(f"the server did not listen on {port} within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@contextmanager
def running_trellis_server(
    data_dir: Path, demo_password: str, settings: dict[str, str] | None = None
) -> Iterator[TrellisServer]:
    """The server in `data_dir`; `settings` adds or overrides environment variables."""
    env = {key: value for key, value in os.environ.items() if key not in EXTERNAL_SERVICES}
    env |= {
        "TRELLIS_DATA_DIR": str(data_dir),
        "TRELLIS_DEMO_PASSWORD": demo_password,
        "TRELLIS_MODULE_PACKAGES": "tests.fixture_modules",
        # No background artifact collection: a test collects when it means to (`manage("collect_artifacts")`).
        "TRELLIS_COLLECT_INTERVAL_SECONDS": "0",
        **(settings or {}),
    }
    port = free_port()
    log = data_dir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for_port(port, process, log)
        yield TrellisServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env, log=log, process=process)
    finally:
        _stop(process)
