"""Shared fixtures: personas in a workspace, and API clients logged in as each."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from designer.workspaces.access import membership_set, workspace_create
from designer.workspaces.models import Role, Workspace


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second a user; tests need logins, not strong hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Team:
    workspace: Workspace
    owner: Any
    contributor: Any
    reader: Any
    outsider: Any


@pytest.fixture
def team(db) -> Team:
    """A workspace with an owner, a contributor and a reader, and an outsider who is not a member."""
    users = get_user_model().objects
    owner, contributor, reader, outsider = (
        users.create_user(username=name, password=f"{name}-password") for name in ("olivia", "conrad", "rita", "oscar")
    )
    workspace = workspace_create("Research", owner)
    membership_set(workspace, contributor, Role.CONTRIBUTOR)
    membership_set(workspace, reader, Role.READER)
    return Team(workspace, owner, contributor, reader, outsider)


@pytest.fixture
def client_as():
    def login(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def go_file() -> Iterator[Path]:
    """A file a test's step waits for, so the test sees the step while it still runs: in /tmp,
    which the step's user (maybe not the worker's) can read."""
    path = Path("/tmp") / f"trellis-go-{uuid.uuid4().hex}"
    yield path
    path.unlink(missing_ok=True)
