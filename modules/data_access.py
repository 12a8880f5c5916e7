"""What data-input modules may reach outside their inputs: stored tables by digest, and the web.

Modules are pure and never import Django, yet Import Data must read a workspace dataset's table
from the artifact store and know the installation's download policy. The Django side configures
one `DataAccess` per process when its apps are ready (designer/datasets/apps.py); step processes
are forked from the worker and inherit it. Outside Trellis (a unit test, a notebook) nothing is
configured: reading a stored table says so, and downloads use the default policy.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pandas as pd
import pyarrow.parquet as parquet

from modules.fetch import FetchPolicy
from modules.ports import ZIP, PortType
from modules.schema import TableSchema
from modules.spec import ModuleError


class DataAccess(Protocol):
    def table_path(self, digest: str) -> Path:
        """The stored Parquet file of the table with this digest; LookupError when it is not stored."""
        ...

    def artifact_path(self, digest: str, port_type: PortType) -> Path:
        """The stored file of any artifact (a dataset's zip bundle); LookupError when it is not stored."""
        ...

    def fetch_policy(self) -> FetchPolicy: ...


class _Unconfigured:
    def table_path(self, digest: str) -> Path:
        raise LookupError("this process has no artifact store configured (it is not a Trellis worker or server)")

    def artifact_path(self, digest: str, port_type: PortType) -> Path:
        return self.table_path(digest)

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy()


_access: DataAccess = _Unconfigured()


def configure_data_access(access: DataAccess | None) -> None:
    """Use `access` in this process (and the step processes forked from it); None forgets it."""
    global _access
    _access = access if access is not None else _Unconfigured()


def data_access() -> DataAccess:
    return _access


def stored_table(digest: str) -> pd.DataFrame:
    """The stored table with this digest; ModuleError when the store does not hold it."""
    return pd.read_parquet(_stored_path(digest))


def stored_zip(digest: str) -> bytes:
    """The bytes of the stored zip bundle with this digest; ModuleError when the store does not hold it."""
    try:
        return _access.artifact_path(digest, ZIP).read_bytes()
    except (LookupError, FileNotFoundError) as error:
        raise ModuleError(f"the zip bundle {digest[:12]}… is not in the artifact store: {error}") from None


@lru_cache(maxsize=256)
def stored_table_schema(digest: str) -> TableSchema:
    """The columns of a stored table, read from its Parquet footer only (once: a digest names
    the same bytes forever; a table that is not stored raises, and is asked again next time)."""
    empty = parquet.read_schema(_stored_path(digest)).empty_table().to_pandas()
    return TableSchema.of_frame(empty)


def _stored_path(digest: str) -> Path:
    try:
        return _access.table_path(digest)
    except LookupError as error:
        raise ModuleError(f"the table {digest[:12]}… is not in the artifact store: {error}") from None
