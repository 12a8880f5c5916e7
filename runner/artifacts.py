"""The content-addressed artifact store: a value's file lives at the sha256 of its bytes.

A value is written through its port type to a temporary file inside the store, hashed, then
renamed into place, so a reader never sees a half-written file at a final path (a step killed
mid-write leaves only a temporary file behind). The rename alone survives a killed process; with
`fsync` the file is also flushed to disk before the rename and its folder after it, so the
store survives a power loss too.

Layout: `<digest[:2]>/<digest><suffix>` for artifacts; `tmp/` for files being written and the
scratch folders of running steps. The garbage collector (runner/housekeeping.py) reads it through
`files()`, `temporary_files()` and `remove_unless_written_since()`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from modules.ports import PortType

CHUNK_BYTES = 1 << 20
DIGEST_PATTERN = re.compile(r"[0-9a-f]{64}")
TEMPORARY_FOLDER = "tmp"
T = TypeVar("T")


@dataclass(frozen=True)
class StoredArtifact:
    digest: str
    port_type: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"type": self.port_type, "digest": self.digest}


class ArtifactMissing(LookupError):
    """No file for this digest in the store."""


@dataclass(frozen=True)
class StoredFile:
    """A file found in the store: an artifact (`digest` set), or a temporary file or scratch folder."""

    path: Path
    digest: str | None
    size: int
    modified: float  # st_mtime: when its bytes were last written (a folder: its newest entry)


class ArtifactStore:
    def __init__(self, root: Path, fsync: bool = False) -> None:
        self.root = Path(root)
        self.fsync = fsync

    def path(self, digest: str, port_type: PortType) -> Path:
        if not DIGEST_PATTERN.fullmatch(digest):  # digests name files: keep paths inside the store
            raise ArtifactMissing(f"{digest!r} is not an artifact digest")
        return self.root / digest[:2] / f"{digest}{port_type.suffix}"

    def write(self, value: Any, port_type: PortType) -> StoredArtifact:
        """Store `value` through `port_type`; returns its digest (existing files are reused)."""
        temporary = self._temporary_path(port_type)
        try:
            port_type.write(value, temporary)
            return self.adopt(temporary, port_type)
        finally:
            temporary.unlink(missing_ok=True)

    def adopt(self, written: Path, port_type: PortType) -> StoredArtifact:
        """Move a file `port_type` wrote (best inside `scratch_folder()`: same filesystem) into the store."""
        digest, size = _sha256(written), written.stat().st_size
        os.chmod(written, 0o644)  # written privately; the web process reads it too
        if self.fsync:
            _fsync(written)
        final = self.path(digest, port_type)
        new_folder = not final.parent.is_dir()
        if new_folder:  # most of the 256 are there already: no failed mkdir for every output
            final.parent.mkdir(parents=True, exist_ok=True)
        # Atomic on one filesystem; same bytes if it existed. Either way the file at the final path
        # then has a fresh modification time, which tells the garbage collector it is in use again.
        try:
            os.replace(written, final)
        except OSError:  # another filesystem: copy beside the final path, then rename
            staged = final.with_name(f".{final.name}.{os.getpid()}")
            shutil.copyfile(written, staged)
            os.chmod(staged, 0o644)
            if self.fsync:
                _fsync(staged)
            os.replace(staged, final)
            written.unlink()
        if self.fsync:  # the rename is durable once the folder holding the new name is
            _fsync(final.parent)
            if new_folder:
                _fsync(self.root)
        return StoredArtifact(digest=digest, port_type=port_type.name, size=size)

    def scratch_folder(self, prefix: str) -> Path:
        """A new private folder inside the store (so files written there rename into it atomically).

        Its user keeps it fresh with `scratch_touch` while using it; one untouched for the
        collector's grace period belongs to a process that died, and is removed.
        """
        return Path(self._in_temporary_folder(functools.partial(tempfile.mkdtemp, prefix=prefix)))

    @staticmethod
    def scratch_touch(folder: Path) -> None:
        """Mark a scratch folder as in use now."""
        with contextlib.suppress(FileNotFoundError):
            os.utime(folder)

    def files(self) -> Iterator[StoredFile]:
        """Every artifact file, its digest recorded or not; names the store does not make are left alone."""
        for folder in _entries(self.root, directories=True):
            if len(folder.name) != 2 or folder.name == TEMPORARY_FOLDER:
                continue
            for found in _entries(Path(folder.path), directories=False):
                digest = found.name[:64]
                if DIGEST_PATTERN.fullmatch(digest) and digest.startswith(folder.name):
                    yield from _stat(Path(found.path), digest)

    def temporary_files(self) -> Iterator[StoredFile]:
        """Files being written now, or left by a writer that died: the files in `tmp/`, and the
        copies `adopt` stages beside a final path (`.<digest><suffix>.<pid>`)."""
        for found in _entries(self.root / TEMPORARY_FOLDER, directories=False):
            yield from _stat(Path(found.path), None)
        for folder in _entries(self.root, directories=True):
            if len(folder.name) == 2 and folder.name != TEMPORARY_FOLDER:
                for found in _entries(Path(folder.path), directories=False):
                    if found.name.startswith(f".{folder.name}") and DIGEST_PATTERN.fullmatch(found.name[1:65]):
                        yield from _stat(Path(found.path), None)

    def scratch_folders(self) -> Iterator[StoredFile]:
        """The scratch folders in `tmp/`, each with the size of its files and the time of its newest entry."""
        for found in _entries(self.root / TEMPORARY_FOLDER, directories=True):
            yield from _stored_folder(Path(found.path))

    def remove_unless_written_since(self, path: Path, since: float) -> bool:
        """Delete artifact file `path` unless its bytes were written at or after `since` (a Unix time).

        True if deleted. It is moved aside first and checked there: a step adopting the same
        artifact at this very moment renames a fresh file onto `path`, and that file is put back
        (or left) in place.
        """
        aside = self.root / TEMPORARY_FOLDER / f"removing-{os.getpid()}-{path.name}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return False  # another collector took it
        if aside.stat().st_mtime >= since:
            os.replace(aside, path)
            return False
        aside.unlink()
        return True

    def remove_temporary_unless_written_since(self, path: Path, since: float) -> bool:
        """Delete a temporary file or scratch folder nobody wrote to since `since`; True if it is gone."""
        found = next(_stored_folder(path), None) if path.is_dir() else next(_stat(path, None), None)
        if found is None or found.modified >= since:
            return False
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)  # a step's user may own some of it
            return not path.exists()
        path.unlink(missing_ok=True)
        return True

    def read(self, digest: str, port_type: PortType) -> Any:
        return port_type.read(self._existing(digest, port_type))

    def preview(self, digest: str, port_type: PortType) -> dict[str, Any]:
        return port_type.preview(self._existing(digest, port_type))

    def _existing(self, digest: str, port_type: PortType) -> Path:
        path = self.path(digest, port_type)
        if not path.is_file():
            raise ArtifactMissing(f"artifact {digest} ({port_type.name}) is not in the store at {self.root}")
        return path

    def _temporary_path(self, port_type: PortType) -> Path:
        # Inside the store, so the final rename never crosses filesystems.
        handle, name = self._in_temporary_folder(functools.partial(tempfile.mkstemp, suffix=port_type.suffix))
        os.close(handle)
        return Path(name)

    def _in_temporary_folder(self, make: Callable[..., T]) -> T:
        """`make(dir=<the store's temporary folder>)`, creating that folder only when it is missing
        (the first time, or if removed): not tried on every step, which costs a failed mkdir."""
        folder = self.root / TEMPORARY_FOLDER
        try:
            return make(dir=folder)
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
            return make(dir=folder)


def _fsync(path: Path) -> None:
    """Flush a file's bytes, or a folder's entries, to the disk."""
    handle = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _entries(folder: Path, directories: bool) -> Iterator[os.DirEntry[str]]:
    """The folder's subfolders (or files), never following a symbolic link; nothing if it is gone."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False) if directories else entry.is_file(follow_symlinks=False):
                        yield entry
                except FileNotFoundError:
                    continue
    except (FileNotFoundError, PermissionError):
        return


def _stat(path: Path, digest: str | None) -> Iterator[StoredFile]:
    try:
        status = path.lstat()
    except FileNotFoundError:  # renamed or removed since it was listed
        return
    yield StoredFile(path=path, digest=digest, size=status.st_size, modified=status.st_mtime)


def _stored_folder(folder: Path) -> Iterator[StoredFile]:
    """A scratch folder as one entry: the size of its files, the time of its newest entry."""
    size, newest = 0, 0.0
    try:
        newest = folder.lstat().st_mtime
        for parent, _, names in os.walk(folder):
            for name in names:
                with contextlib.suppress(FileNotFoundError):
                    status = os.lstat(os.path.join(parent, name))
                    size, newest = size + status.st_size, max(newest, status.st_mtime)
    except FileNotFoundError:
        return
    yield StoredFile(path=folder, digest=None, size=size, modified=newest)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
