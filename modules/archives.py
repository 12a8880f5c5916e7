"""Zip archives from users (module packages, script bundles), checked before anything is extracted.

An archive is refused, naming the bad member, when a member's name would land outside the folder
it is extracted into (`../`, an absolute path, a drive letter), when a member is a symbolic link
or a device, or when it holds more members or more uncompressed bytes than the limits allow
(a zip bomb). The sizes checked are the ones actually read, not the ones the archive claims.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

READ_CHUNK = 1 << 16


class ArchiveError(ValueError):
    """The archive is refused; the message names the member and says why."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 1000
    max_total_bytes: int = 50 * 1024 * 1024


_defaults = ArchiveLimits()


def set_default_limits(limits: ArchiveLimits) -> None:
    """The limits used when none are given (set from Django settings when the apps load)."""
    global _defaults
    _defaults = limits


def default_limits() -> ArchiveLimits:
    return _defaults


def _safe_name(name: str) -> PurePosixPath:
    """The member's relative path; ArchiveError when it could leave the extraction folder."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"member '{name}' has an absolute or Windows-style path")
    path = PurePosixPath(name)
    if any(part == ".." for part in path.parts):
        raise ArchiveError(f"member '{name}' points outside the archive's folder ('..')")
    if not path.parts or "\x00" in name:
        raise ArchiveError(f"member '{name}' has no usable name")
    return path


def _check_kind(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ArchiveError(f"member '{info.filename}' is a symbolic link, which archives may not hold")
    if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ArchiveError(f"member '{info.filename}' is not a regular file or folder")


def read_archive(data: bytes, limits: ArchiveLimits | None = None) -> dict[str, bytes]:
    """Every file in the zip `data` (relative path -> bytes), after all the checks above."""
    limits = limits or _defaults
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError("the file is not a zip archive") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise ArchiveError(f"the archive holds {len(members)} members; at most {limits.max_members} are allowed")
        files: dict[str, bytes] = {}
        total = 0
        for info in members:
            path = _safe_name(info.filename)
            _check_kind(info)
            if info.is_dir():
                continue
            content = _read_member(archive, info, limits.max_total_bytes - total)
            total += len(content)
            files[str(path)] = content
    return files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, allowance: int) -> bytes:
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(READ_CHUNK):
                size += len(chunk)
                if size > allowance:
                    raise ArchiveError(
                        f"member '{info.filename}' takes the archive past its size limit when uncompressed"
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
        raise ArchiveError(f"member '{info.filename}' cannot be read: {error}") from None
    return b"".join(chunks)


def extract_archive(data: bytes, folder: Path, limits: ArchiveLimits | None = None) -> list[str]:
    """Check, then write every file of the zip `data` under `folder`; returns the paths written."""
    files = read_archive(data, limits)
    root = folder.resolve()
    for name, content in files.items():
        target = (root / name).resolve()
        if not target.is_relative_to(root):  # belt and braces: _safe_name already refused it
            raise ArchiveError(f"member '{name}' points outside the archive's folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return sorted(files)


def make_archive(files: dict[str, bytes | str]) -> bytes:
    """A zip of `files` (path -> content), the same bytes for the same files (no timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
