"""The artifact store and download policy of this installation, as modules.data_access sees them.

Settings are read at each call, so a test that changes them (or a worker whose settings differ
from the server's) gets what is in force now.
"""

import os
from pathlib import Path

from django.conf import settings

from modules.fetch import FetchPolicy
from modules.ports import TABLE, PortType
from runner.artifacts import ArtifactMissing, ArtifactStore


class StoreDataAccess:
    def table_path(self, digest: str) -> Path:
        return self.artifact_path(digest, TABLE)

    def artifact_path(self, digest: str, port_type: PortType) -> Path:
        """The stored artifact's file; relative to the working folder when that lies inside the store.

        A step works in a folder inside the store and may run as another user, who cannot pass
        the folders above the store (runner/step_process.py): from inside, a relative path never
        climbs above the store's root.
        """
        path = ArtifactStore(settings.ARTIFACT_DIR).path(digest, port_type)
        here = Path.cwd()
        if here.is_relative_to(settings.ARTIFACT_DIR):
            path = Path(os.path.relpath(path, here))
        if not path.is_file():
            raise ArtifactMissing(f"no stored {port_type.label.lower()} {digest}")
        return path

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(
            allowed_hosts=frozenset(host.strip().lower() for host in settings.IMPORT_ALLOWED_HOSTS if host.strip()),
            max_bytes=settings.IMPORT_MAX_BYTES,
            timeout_seconds=settings.IMPORT_TIMEOUT_SECONDS,
        )
