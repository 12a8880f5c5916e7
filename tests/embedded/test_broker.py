"""The embedded broker never lets a worker see a message before all of it is written."""

import json
import os
import queue

import pytest

from designer.celery import app
from designer.embedded.broker import AtomicFilesystemTransport


def queued_messages(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".trellis.msg"))


def test_a_message_appears_under_its_queue_name_only_once_complete(settings, monkeypatch, tmp_path):
    for name in ("out", "processed", "control"):
        (tmp_path / name).mkdir()
    options = {
        "data_folder_in": str(tmp_path / "out"),
        "data_folder_out": str(tmp_path / "out"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
    }
    seen_before_rename = []
    real_replace = os.replace

    def watching_replace(source, target):
        seen_before_rename.append((queued_messages(tmp_path / "out"), os.path.getsize(source)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    with app.connection_for_write("filesystem://localhost/", transport_options=options) as connection:
        assert isinstance(connection.transport, AtomicFilesystemTransport)
        channel = connection.default_channel
        channel._put("trellis", {"body": "x" * 10_000})
        [(visible, size)] = seen_before_rename
        assert visible == [], "nothing a worker polls for exists until the rename"
        assert size > 10_000, "the file is complete before it is renamed"
        [name] = queued_messages(tmp_path / "out")
        assert json.loads((tmp_path / "out" / name).read_text())["body"] == "x" * 10_000
        assert channel._get("trellis") == {"body": "x" * 10_000}


def test_an_unreadable_message_is_dropped_and_the_next_one_delivered(tmp_path):
    for name in ("out", "processed", "control"):
        (tmp_path / name).mkdir()
    options = {
        key: str(tmp_path / folder)
        for key, folder in (
            ("data_folder_in", "out"),
            ("data_folder_out", "out"),
            ("processed_folder", "processed"),
            ("control_folder", "control"),
        )
    }
    # Messages are taken in name order, and real names start with a millisecond clock (never 0).
    (tmp_path / "out" / "0_broken.trellis.msg").write_text("")
    with app.connection_for_write("filesystem://localhost/", transport_options=options) as connection:
        channel = connection.default_channel
        channel._put("trellis", {"body": "next"})
        with pytest.raises(queue.Empty):
            channel._get("trellis")
        assert channel._get("trellis") == {"body": "next"}
