"""The content-addressed store, on a temporary folder, with the real table port type and a text one."""

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
