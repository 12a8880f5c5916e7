"""Start Trellis exactly as the README's run command does: `manage.py serve`, no external services."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-password-for-tests"
SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL")


@dataclass
class EmbeddedServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {seconds} s")


def start_embedded_server(data_dir: Path) -> EmbeddedServer:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    environment |= {
        "TRELLIS_DATA_DIR": str(data_dir),
        "TRELLIS_DEMO_PASSWORD": DEMO_PASSWORD,
        "TRELLIS_MODULE_PACKAGES": "tests.fixture_modules",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=(data_dir / "server.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port(port, process)
    return EmbeddedServer(f"http://127.0.0.1:{port}", data_dir, process)


def stop_embedded_server(server: EmbeddedServer) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory) -> Iterator[EmbeddedServer]:
    server = start_embedded_server(tmp_path_factory.mktemp("embedded"))
    yield server
    stop_embedded_server(server)
