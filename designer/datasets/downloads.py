"""A stored table as a file to download: its Parquet file as it is, or CSV written batch by batch."""

from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as parquet
from django.conf import settings

from modules.ports import TABLE
from runner.artifacts import ArtifactMissing, ArtifactStore

DOWNLOAD_FORMATS = ("csv", "parquet")
CSV_BATCH_ROWS = 10_000


class UnknownDownloadFormat(LookupError):
    def __init__(self, file_format: str) -> None:
        super().__init__(f"tables download as {' or '.join(DOWNLOAD_FORMATS)}, not {file_format!r}")


def stored_table_file(digest: str) -> Path:
    """The stored Parquet file of a table output or dataset version; ArtifactMissing when it is gone."""
    path = ArtifactStore(settings.ARTIFACT_DIR).path(digest, TABLE)
    if not path.is_file():
        raise ArtifactMissing(f"the table {digest[:12]}… is no longer in the artifact store")
    return path


def csv_chunks(path: Path) -> Iterator[bytes]:
    """The table as UTF-8 CSV with a header line, a batch of rows at a time (memory stays flat)."""
    file = parquet.ParquetFile(path)
    header = True
    for batch in file.iter_batches(batch_size=CSV_BATCH_ROWS):
        yield batch.to_pandas().to_csv(index=False, header=header).encode()
        header = False
    if header:  # no rows at all: still the column names
        yield file.schema_arrow.empty_table().to_pandas().to_csv(index=False).encode()


def download_name(stem: str, file_format: str) -> str:
    """A file name safe in a Content-Disposition header and on any file system."""
    safe = "".join(char if char.isalnum() or char in "-_." else "-" for char in stem).strip("-.") or "table"
    return f"{safe}.{file_format}"
