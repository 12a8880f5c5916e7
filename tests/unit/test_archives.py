"""Zip archives from users: hostile members are refused by name before anything is written."""

import io
import stat
import zipfile

import pytest

from modules.archives import ArchiveError, ArchiveLimits, extract_archive, make_archive, read_archive


def archive_with(name: str, content: bytes = b"x", mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        archive.writestr(info, content)
    return buffer.getvalue()


def test_a_plain_archive_is_read_and_extracted(tmp_path):
    data = make_archive({"helpers/__init__.py": "", "helpers/maths.py": "def double(x):\n    return 2 * x\n"})

    assert read_archive(data) == {"helpers/__init__.py": b"", "helpers/maths.py": b"def double(x):\n    return 2 * x\n"}
    assert extract_archive(data, tmp_path) == ["helpers/__init__.py", "helpers/maths.py"]
    assert (tmp_path / "helpers" / "maths.py").read_text().startswith("def double")


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../escape.py", "'../escape.py' points outside"),
        ("helpers/../../escape.py", "points outside"),
        ("/etc/passwd", "absolute"),
        ("C:/windows/evil.py", "absolute"),
        ("helpers\\..\\evil.py", "Windows-style"),
    ],
)
def test_a_member_that_would_land_outside_the_folder_is_refused_by_name(tmp_path, name, says):
    with pytest.raises(ArchiveError, match="member") as refused:
        extract_archive(archive_with(name), tmp_path / "out")
    assert says in str(refused.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not (tmp_path / "escape.py").exists()


def test_a_symbolic_link_is_refused(tmp_path):
    data = archive_with("link", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)
    with pytest.raises(ArchiveError, match="'link' is a symbolic link"):
        extract_archive(data, tmp_path)
    assert not (tmp_path / "link").exists()


def test_too_many_members_are_refused():
    data = make_archive({f"file{i}.py": "" for i in range(6)})
    with pytest.raises(ArchiveError, match="holds 6 members; at most 5"):
        read_archive(data, ArchiveLimits(max_members=5))


def test_a_zip_bomb_is_stopped_at_the_uncompressed_limit_naming_the_member():
    data = make_archive({"small.txt": "ok", "bomb.txt": b"0" * 200_000})  # deflates to a few hundred bytes
    assert len(data) < 2_000
    with pytest.raises(ArchiveError, match=r"'bomb\.txt' takes the archive past its size limit"):
        read_archive(data, ArchiveLimits(max_total_bytes=100_000))


def test_something_that_is_not_a_zip_says_so():
    with pytest.raises(ArchiveError, match="not a zip archive"):
        read_archive(b"PK but not really")


def test_a_zip_output_previews_as_its_list_of_members(tmp_path):
    from modules.ports import ZIP

    path = tmp_path / "bundle.zip"
    ZIP.write(make_archive({"helpers/__init__.py": "OFFSET = 1\n"}), path)

    assert ZIP.read(path).startswith(b"PK")
    assert ZIP.preview(path) == {"kind": "text", "text": "1 file(s)\n        11  helpers/__init__.py"}
