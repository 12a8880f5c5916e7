"""Browser tests against the real embedded server (`manage.py serve`) in headless Chromium.

Run them on their own: `.venv/bin/pytest tests/e2e` (never together with the other tests).
The canvas must be built first: `cd frontend && npm ci && npm run build`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.servers import REPO_ROOT, TrellisServer, running_trellis_server

# Sync Playwright keeps an event loop in the main thread; Django refuses ORM calls there otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
expect.set_options(timeout=10_000)

MANIFEST = REPO_ROOT / "static" / "dist" / "manifest.json"
DEMO_PASSWORD = "demo-password-for-e2e"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def trellis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrellisServer]:
    if not MANIFEST.exists():
        pytest.fail("the canvas is not built: run `cd frontend && npm ci && npm run build` first")
    with running_trellis_server(tmp_path_factory.mktemp("trellis-data"), DEMO_PASSWORD) as server:
        yield server


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
