"""The demo account an embedded install starts with: a user, a workspace and an example pipeline."""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from designer.pipelines.drafts import pipeline_create
from designer.workspaces.access import workspace_create

DEMO_USERNAME = "demo"
DEMO_WORKSPACE = "Demo"
EXAMPLE_PIPELINE = settings.BASE_DIR / "examples" / "iris_split.json"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    created: bool


def _password_file() -> Path:
    return settings.DATA_DIR / "demo-password"


@transaction.atomic
def demo_ensure() -> DemoLogin:
    """Create the demo user, workspace and example pipeline once; later calls keep what is there.

    The password comes from TRELLIS_DEMO_PASSWORD, else it is random; it is kept (owner-only)
    in the data folder so each start can print it again.
    """
    users = get_user_model().objects
    existing = users.filter(username=DEMO_USERNAME).first()
    if existing is not None:
        stored = _password_file().read_text().strip() if _password_file().exists() else "(unchanged)"
        return DemoLogin(DEMO_USERNAME, stored, created=False)
    password = os.environ.get("TRELLIS_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    user = users.create_user(username=DEMO_USERNAME, password=password)
    workspace = workspace_create(DEMO_WORKSPACE, user)
    if EXAMPLE_PIPELINE.exists():
        pipeline_create(workspace, EXAMPLE_PIPELINE.stem, user, json.loads(EXAMPLE_PIPELINE.read_text()))
    _password_file().write_text(password)
    _password_file().chmod(0o600)
    return DemoLogin(DEMO_USERNAME, password, created=True)
