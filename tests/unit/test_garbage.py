"""What a collection deletes, decided from the roots, the records and the files: a pure function."""

from pathlib import Path

from runner.artifacts import StoredFile
from runner.garbage import garbage_find, output_digests

GRACE_ENDS = 1_000.0  # files written before this moment are old enough to delete
OLD, YOUNG = 500.0, 1_500.0


def digest(letter: str) -> str:
    return letter * 64


def stored(letter: str, modified: float = OLD, size: int = 10, suffix: str = ".parquet") -> StoredFile:
    name = f"{digest(letter)}{suffix}"
    return StoredFile(path=Path("store") / name[:2] / name, digest=digest(letter), size=size, modified=modified)


def temporary(name: str, modified: float) -> StoredFile:
    return StoredFile(path=Path("store") / "tmp" / name, digest=None, size=3, modified=modified)


def find(roots=(), recorded=(), files=(), temporary_files=()):
    return garbage_find(set(roots), recorded, files, temporary_files, GRACE_ENDS)


def test_referenced_files_are_kept_and_the_rest_is_garbage():
    garbage = find(roots=[digest("a")], recorded=[digest("a"), digest("b")], files=[stored("a"), stored("b")])
    assert [found.digest for found in garbage.files] == [digest("b")]
    assert garbage.records == {digest("b")}
    assert (garbage.kept_files, garbage.kept_bytes) == (1, 10)


def test_a_file_without_a_record_is_garbage_too():
    garbage = find(files=[stored("c", size=7)])
    assert [found.digest for found in garbage.unrecorded] == [digest("c")]
    assert [found.size for found in garbage.files] == [7] and garbage.records == frozenset()


def test_an_unreferenced_file_written_within_the_grace_period_is_spared_with_its_record():
    garbage = find(recorded=[digest("d")], files=[stored("d", modified=YOUNG)])
    assert garbage.files == () and garbage.records == frozenset()
    assert garbage.young == 1


def test_a_record_whose_file_is_gone_is_deleted_when_nothing_refers_to_it():
    garbage = find(recorded=[digest("e")])
    assert garbage.records == {digest("e")} and garbage.files == ()


def test_a_referenced_digest_without_a_file_is_reported_missing_and_its_record_kept():
    garbage = find(roots=[digest("f")], recorded=[digest("f")])
    assert garbage.missing == {digest("f")} and garbage.records == frozenset()


def test_every_file_of_a_digest_counts():
    # The same digest under two suffixes (two port types wrote identical bytes).
    files = [stored("g", suffix=".parquet"), stored("g", modified=YOUNG, suffix=".skops")]
    garbage = find(recorded=[digest("g")], files=files)
    assert [found.path.suffix for found in garbage.files] == [".parquet"]
    assert garbage.records == frozenset() and garbage.unrecorded == ()


def test_only_temporary_files_untouched_for_the_grace_period_go():
    garbage = find(temporary_files=[temporary("left-by-a-killed-step", OLD), temporary("being-written", YOUNG)])
    assert [found.path.name for found in garbage.temporary] == ["left-by-a-killed-step"]


def test_the_digests_of_outputs():
    outputs = {"train": {"type": "table", "digest": digest("a")}, "test": {"type": "table", "digest": digest("b")}}
    assert output_digests(outputs) == {digest("a"), digest("b")}
    assert output_digests({}) == set()
    assert output_digests({"odd": "not a reference", "partial": {"type": "table"}}) == set()
