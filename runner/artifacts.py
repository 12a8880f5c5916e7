"""The content-addressed artifact store: a value's file lives at the sha256 of its bytes.

A value is written through its port type to a temporary file inside the store, hashed, then
renamed into place, so a reader never sees a half-written file at a final path (a step killed
mid-write leaves only a temporary file behind).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modules.ports import PortType

CHUNK_BYTES = 1 << 20
DIGEST_PATTERN = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredArtifact:
    digest: str
    port_type: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"type": self.port_type, "digest": self.digest}


class ArtifactMissing(LookupError):
    """No file for this digest in the store."""


class ArtifactStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

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
        final = self.path(digest, port_type)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(written, final)  # atomic on one filesystem; same bytes if it existed
        except OSError:  # another filesystem: copy beside the final path, then rename
            staged = final.with_name(f".{final.name}.{os.getpid()}")
            shutil.copyfile(written, staged)
            os.chmod(staged, 0o644)
            os.replace(staged, final)
            written.unlink()
        return StoredArtifact(digest=digest, port_type=port_type.name, size=size)

    def scratch_folder(self, prefix: str) -> Path:
        """A new private folder inside the store (so files written there rename into it atomically)."""
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))

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
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, suffix=port_type.suffix)
        os.close(handle)
        return Path(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
