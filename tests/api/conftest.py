"""API-test fixtures: running pipelines inline."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.celery import app


@pytest.fixture
def inline_runner(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Tasks run inline (Celery's eager mode), artifacts in a fresh folder."""
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
