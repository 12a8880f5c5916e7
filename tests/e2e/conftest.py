"""Browser tests against the real embedded server (`manage.py serve`) in headless Chromium.

Run them on their own: `.venv/bin/pytest tests/e2e` (never together with the other tests).
The canvas must be built first: `cd frontend && npm ci && npm run build`.
"""

from __future__ import annotations

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
from playwright.sync_api import Page, expect

# Sync Playwright keeps an event loop in the main thread; Django refuses ORM calls there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
expect.set_options(timeout=10_000)

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / "static" / "dist" / "manifest.json"
DEMO_PASSWORD = "demo-password-for-e2e"
SERVER_START_SECONDS = 60
VIEWPORT = {"width": 1280, "height": 800}
# Settings that would point the server at external services: the e2e server runs embedded.
EXTERNAL_SERVICES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL", "DJANGO_SETTINGS_MODULE")


@dataclass(frozen=True)
class TrellisServer:
    url: str
    data_dir: Path
    env: dict[str, str]
    log: Path

    def manage(self, *args: str) -> str:
        """Runs a management command against the server's data folder and returns its output."""
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server did not listen on {port} within {SERVER_START_SECONDS} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def trellis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrellisServer]:
    if not MANIFEST.exists():
        pytest.fail("the canvas is not built: run `cd frontend && npm ci && npm run build` first")
    data_dir = tmp_path_factory.mktemp("trellis-data")
    env = {key: value for key, value in os.environ.items() if key not in EXTERNAL_SERVICES}
    env |= {
        "TRELLIS_DATA_DIR": str(data_dir),
        "TRELLIS_DEMO_PASSWORD": DEMO_PASSWORD,
        "TRELLIS_MODULE_PACKAGES": "tests.fixture_modules",
    }
    port = _free_port()
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
        yield TrellisServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env, log=log)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def base_url(trellis_server: TrellisServer) -> str:
    return trellis_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "viewport": VIEWPORT}


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
