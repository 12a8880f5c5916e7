"""The content-addressed store, on a temporary folder, with the real table port type and a text one."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from modules.ports import TABLE, PortType
from runner.artifacts import ArtifactMissing, ArtifactStore

TEXT = PortType(
    name="text",
    label="Text",
    suffix=".txt",
    write=lambda value, path: path.write_text(value),
    read=lambda path: path.read_text(),
    preview=lambda path: {"kind": "text", "text": path.read_text()},
)


def test_a_table_is_stored_under_its_digest_and_read_back(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    table = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})

    stored = store.write(table, TABLE)

    path = store.path(stored.digest, TABLE)
    assert path == tmp_path / stored.digest[:2] / f"{stored.digest}.parquet"
    assert path.stat().st_size == stored.size
    assert stored.to_json() == {"type": "table", "digest": stored.digest}
    pd.testing.assert_frame_equal(store.read(stored.digest, TABLE), table)


def test_the_digest_is_the_sha256_of_the_file(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("hello", TEXT)
    assert stored.digest == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"


def test_the_same_value_is_stored_once(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    first, second = store.write("same", TEXT), store.write("same", TEXT)
    assert first == second
    assert len(list(tmp_path.glob("*/*.txt"))) == 1


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    store.write(pd.DataFrame({"a": [1]}), TABLE)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_failed_write_leaves_nothing_at_a_final_path(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    with pytest.raises(TypeError, match="needs a pandas DataFrame"):
        store.write("not a table", TABLE)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_preview_goes_through_the_port_type(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write(pd.DataFrame({"a": range(100)}), TABLE)
    preview = store.preview(stored.digest, TABLE)
    assert preview["row_count"] == 100
    assert len(preview["rows"]) == 50
    assert preview["columns"] == [{"name": "a", "type": "int64"}]


def test_reading_an_unknown_digest_names_it(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    with pytest.raises(ArtifactMissing, match="0" * 64):
        store.read("0" * 64, TABLE)


def test_a_digest_that_is_not_hex_is_refused(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    with pytest.raises(ArtifactMissing, match="not an artifact digest"):
        store.preview("../../etc/passwd", TEXT)


@pytest.fixture
def fsynced(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths os.fsync is called on, while it still really flushes them."""
    real_fsync, paths = os.fsync, []

    def recording_fsync(handle: int) -> None:
        paths.append(Path(os.readlink(f"/proc/self/fd/{handle}")))
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    return paths


def test_with_fsync_the_file_is_flushed_before_the_rename_and_its_folders_after(
    tmp_path: Path, fsynced: list[Path]
) -> None:
    store = ArtifactStore(tmp_path, fsync=True)

    stored = store.write("durable", TEXT)

    final = store.path(stored.digest, TEXT)
    temporary, folder, root = fsynced
    assert temporary.parent == tmp_path / "tmp" and temporary.suffix == ".txt"  # flushed under its temporary name
    assert (folder, root) == (final.parent, tmp_path)  # the new name, and the new digest folder in the root
    assert final.read_text() == "durable"

    fsynced.clear()
    store.write("durable", TEXT)  # its digest folder exists now: the root is not flushed again
    assert [path.parent for path in fsynced] == [tmp_path / "tmp", tmp_path]
    assert fsynced[1] == final.parent


def test_without_fsync_nothing_is_flushed(tmp_path: Path, fsynced: list[Path]) -> None:
    ArtifactStore(tmp_path).write("fast", TEXT)
    assert fsynced == []


def test_the_store_lists_its_artifact_files_and_temporary_files_and_nothing_else(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("listed", TEXT)
    (tmp_path / "tmp" / "half-written.txt").write_text("par")
    (tmp_path / "README").write_text("someone's notes")  # not a name the store makes: left alone
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "notes.txt").write_text("neither")

    assert [(found.digest, found.size) for found in store.files()] == [(stored.digest, len("listed"))]
    assert [found.path.name for found in store.temporary_files()] == ["half-written.txt"]


def test_removal_spares_a_file_written_again_meanwhile(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    path = store.path(store.write("kept", TEXT).digest, TEXT)
    old = path.stat().st_mtime - 7200
    os.utime(path, (old, old))

    assert store.remove_unless_written_since(path, since=old - 1) is False  # written after `since`: put back
    assert path.read_text() == "kept"
    assert store.remove_unless_written_since(path, since=old + 1) is True
    assert not path.exists() and list((tmp_path / "tmp").iterdir()) == []
    assert store.remove_unless_written_since(path, since=old + 1) is False  # already gone


def test_writing_an_artifact_that_exists_refreshes_its_modification_time(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    path = store.path(store.write("again", TEXT).digest, TEXT)
    os.utime(path, (1_000, 1_000))
    store.write("again", TEXT)
    assert path.stat().st_mtime > 1_000  # so a collection running now spares it


def test_scratch_folders_and_staged_copies_count_as_temporary(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    stored = store.write("kept", TEXT)
    scratch = store.scratch_folder("step-")
    (scratch / "output-dataset.parquet").write_bytes(b"12345")
    os.utime(scratch / "output-dataset.parquet", (5_000, 5_000))
    os.utime(scratch, (1_000, 1_000))
    staged = tmp_path / stored.digest[:2] / f".{stored.digest}.txt.4242"  # a cross-filesystem copy cut short
    staged.write_text("ke")

    assert [(found.path, found.size, found.modified) for found in store.scratch_folders()] == [(scratch, 5, 5_000)]
    assert [found.path for found in store.temporary_files()] == [staged]
    assert [found.digest for found in store.files()] == [stored.digest]


def test_a_scratch_folder_goes_only_once_nothing_in_it_was_written_since(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    scratch = store.scratch_folder("step-")
    (scratch / "output.log").write_text("working")
    for path in (scratch / "output.log", scratch):
        os.utime(path, (1_000, 1_000))

    assert store.remove_temporary_unless_written_since(scratch, since=999) is False
    store.scratch_touch(scratch)  # its step's worker, still supervising it
    assert store.remove_temporary_unless_written_since(scratch, since=2_000) is False
    os.utime(scratch, (1_000, 1_000))
    assert store.remove_temporary_unless_written_since(scratch, since=2_000) is True
    assert not scratch.exists()


def test_the_temporary_folder_is_made_again_when_someone_removed_it(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "store")  # nothing there yet
    first = store.scratch_folder("step-")
    shutil.rmtree(tmp_path / "store" / "tmp")  # an operator cleaning up by hand

    stored = store.write("after", TEXT)
    second = store.scratch_folder("step-")

    assert store.read(stored.digest, TEXT) == "after"
    assert second.is_dir() and second.parent == first.parent
