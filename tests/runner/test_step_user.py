"""Whom steps run as: another user only where that user can read what a step needs."""

import os
import pwd
import shutil
import tempfile
from pathlib import Path

import pytest

from runner import step_user as chooser

NOBODY = pwd.getpwnam("nobody")


@pytest.fixture
def open_folder():
    """A folder others may enter (pytest's own tmp_path lies in a private one)."""
    folder = Path(tempfile.mkdtemp(prefix="trellis-step-user-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def blocking(path):
    return chooser._blocking_folder(path, NOBODY.pw_uid, NOBODY.pw_gid)


def test_a_private_folder_on_the_way_blocks_and_an_open_one_does_not(open_folder):
    tmp_path = open_folder
    (tmp_path / "open").mkdir(mode=0o755)
    (tmp_path / "open" / "module.py").write_text("x = 1")
    (tmp_path / "private").mkdir(mode=0o700)
    (tmp_path / "private" / "module.py").write_text("x = 1")

    assert blocking(tmp_path / "open" / "module.py") is None
    assert blocking(tmp_path / "private" / "module.py") == tmp_path / "private"
    (tmp_path / "open" / "module.py").chmod(0o600)
    assert blocking(tmp_path / "open" / "module.py") == tmp_path / "open" / "module.py"


@pytest.mark.skipif(os.geteuid() != 0, reason="only a worker running as root changes user")
def test_steps_run_as_the_worker_with_the_reason_when_the_user_cannot_read_python(settings, monkeypatch, open_folder):
    private = open_folder / "python"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(chooser, "_needed_paths", lambda: [private])
    chooser.step_user.cache_clear()
    try:
        chosen = chooser.step_user()
    finally:
        chooser.step_user.cache_clear()

    assert chosen.run_as is None
    assert chosen.description == f"root: nobody cannot read {private}"


@pytest.mark.skipif(os.geteuid() != 0, reason="only a worker running as root changes user")
def test_steps_run_as_the_step_user_when_it_can_read_everything(settings, monkeypatch):
    monkeypatch.setattr(chooser, "_needed_paths", lambda: [])
    chooser.step_user.cache_clear()
    try:
        chosen = chooser.step_user()
    finally:
        chooser.step_user.cache_clear()

    assert (chosen.run_as.uid, chosen.description) == (NOBODY.pw_uid, "nobody")


def test_no_step_user_setting_keeps_the_workers_user(settings):
    settings.STEP_USER = ""
    chooser.step_user.cache_clear()
    try:
        assert chooser.step_user().run_as is None
    finally:
        chooser.step_user.cache_clear()
