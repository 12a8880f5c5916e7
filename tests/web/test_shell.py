"""The page shell: only for people who logged in, and it loads whatever Vite built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db

APP_PAGES = [
    "/",
    "/workspaces/7/",
    "/workspaces/7/members/",
    "/workspaces/7/compute/",
    "/workspaces/7/modules/",
    "/workspaces/7/datasets/",
    "/workspaces/7/datasets/3/",
    "/pipelines/12/",
]
MANIFEST = {
    "src/main.tsx": {
        "file": "assets/main-abc123.js",
        "name": "main",
        "src": "src/main.tsx",
        "isEntry": True,
        "css": ["assets/main-def456.css"],
    },
    "_vendor.js": {"file": "assets/vendor-789.js"},
}


@pytest.fixture
def ada(django_user_model: type[AbstractUser]) -> AbstractUser:
    return django_user_model.objects.create_user("ada", password="correct horse battery")


@pytest.fixture
def logged_in(client: Client, ada: AbstractUser) -> Client:
    client.force_login(ada)
    return client


@pytest.fixture
def built_frontend(settings: Settings, tmp_path: Path) -> Path:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(MANIFEST))
    settings.FRONTEND_MANIFEST = manifest
    return manifest


@pytest.mark.parametrize("path", APP_PAGES)
def test_a_visitor_is_sent_to_the_login_page(client: Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize("path", APP_PAGES)
def test_every_app_page_is_the_shell_with_the_built_assets(logged_in: Client, built_frontend: Path, path: str) -> None:
    response = logged_in.get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<div id="root"></div>' in page
    assert '<script type="module" src="/static/dist/assets/main-abc123.js"></script>' in page
    assert '<link rel="stylesheet" href="/static/dist/assets/main-def456.css">' in page
    assert "vendor-789" not in page


def test_the_shell_hands_out_a_csrf_cookie_for_the_api(logged_in: Client, built_frontend: Path) -> None:
    response = logged_in.get("/")

    assert "csrftoken" in response.cookies


def test_without_a_build_the_page_says_how_to_build(logged_in: Client, settings: Settings, tmp_path: Path) -> None:
    settings.FRONTEND_MANIFEST = tmp_path / "missing" / "manifest.json"

    response = logged_in.get("/")

    assert response.status_code == 503
    page = response.content.decode()
    assert "The canvas has not been built" in page
    assert "npm ci &amp;&amp; npm run build" in page


def test_a_manifest_without_an_entry_counts_as_no_build(logged_in: Client, settings: Settings, tmp_path: Path) -> None:
    settings.FRONTEND_MANIFEST = tmp_path / "manifest.json"
    settings.FRONTEND_MANIFEST.write_text(json.dumps({"_vendor.js": {"file": "assets/vendor.js"}}))

    response = logged_in.get("/")

    assert response.status_code == 503


def test_the_login_page_shows_a_form(client: Client) -> None:
    response = client.get("/login/")

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_logging_in_leads_to_the_page_asked_for(client: Client, ada: AbstractUser) -> None:
    response = client.post(
        "/login/", {"username": "ada", "password": "correct horse battery", "next": "/pipelines/12/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/pipelines/12/"


def test_a_wrong_password_is_refused_with_a_message(client: Client, ada: AbstractUser) -> None:
    response = client.post("/login/", {"username": "ada", "password": "wrong"})

    assert response.status_code == 200
    assert b"did not match" in response.content


def test_someone_logged_in_skips_the_login_page(logged_in: Client) -> None:
    response = logged_in.get("/login/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logging_out_takes_a_post_and_ends_the_session(logged_in: Client) -> None:
    assert logged_in.get("/logout/").status_code == 405

    response = logged_in.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert logged_in.get("/")["Location"] == "/login/?next=/"
