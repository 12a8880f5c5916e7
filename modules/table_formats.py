"""Reading a file into a table: CSV, TSV, Parquet, JSON (records or lines) and Excel .xlsx.

Used where a file arrives from outside (an upload, an http(s) download); the table is then
stored like any table output. Pure: no Django.
"""

from __future__ import annotations

import io
import json
import math
import warnings
import zipfile
from pathlib import PurePosixPath
from typing import Any

import pandas as pd
import pyarrow

from modules.spec import ModuleError

TABLE_FORMATS = ("csv", "tsv", "parquet", "json", "xlsx")
AUTO = "auto"
SNIFF_BYTES = 4096

_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".xlsx": "xlsx",
}
_CONTENT_TYPES = {
    "text/csv": "csv",
    "application/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/x-ndjson": "json",
    "application/jsonl": "json",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


class TableFormatError(ModuleError):
    """The file is not a table in the format it was taken for; the message says why, for the user."""


def detect_format(name: str = "", content_type: str = "", head: bytes = b"") -> str:
    """The format of a file from its first bytes, its name and its content type, in that order of trust."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):  # a zip archive: of the formats read here, only .xlsx is one
        return "xlsx"
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in _CONTENT_TYPES:
        return _CONTENT_TYPES[media_type]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"[", b"{")):
        return "json"
    first_line = text.split(b"\n", 1)[0]
    return "tsv" if first_line.count(b"\t") > first_line.count(b",") else "csv"


def read_table(data: bytes, file_format: str) -> pd.DataFrame:
    """The table in `data`, read as `file_format` (one of TABLE_FORMATS); raises TableFormatError."""
    readers = {"csv": _read_csv, "tsv": _read_tsv, "parquet": _read_parquet, "json": _read_json, "xlsx": _read_xlsx}
    if file_format not in readers:
        raise TableFormatError(f"'{file_format}' is not a table format Trellis reads ({', '.join(TABLE_FORMATS)})")
    try:
        table = readers[file_format](data)
    except TableFormatError:
        raise
    except UnicodeDecodeError:
        raise TableFormatError(f"the file is not UTF-8 text, so it cannot be read as {file_format.upper()}") from None
    except (
        ValueError,
        pd.errors.ParserError,
        pd.errors.ParserWarning,
        pyarrow.ArrowException,
        zipfile.BadZipFile,
        KeyError,
    ) as error:
        raise TableFormatError(f"the file is not valid {file_format.upper()}: {_first_line(error)}") from None
    return storable(table)


def _read_csv(data: bytes) -> pd.DataFrame:
    return _read_delimited(data, ",")


def _read_tsv(data: bytes) -> pd.DataFrame:
    return _read_delimited(data, "\t")


def _read_delimited(data: bytes, separator: str) -> pd.DataFrame:
    # A row longer than the header would otherwise turn leading fields into a row index, or be cut.
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        return pd.read_csv(io.BytesIO(data), sep=separator, encoding="utf-8-sig", index_col=False)


def _read_parquet(data: bytes) -> pd.DataFrame:
    table = pd.read_parquet(io.BytesIO(data))
    # A named index (a pandas writer kept it) is data; a plain row number is not.
    return table.reset_index() if any(name is not None for name in table.index.names) else table


def _read_xlsx(data: bytes) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl")


def _read_json(data: bytes) -> pd.DataFrame:
    """An array of objects, an object of columns, or JSON lines (one object per line)."""
    text = data.decode("utf-8-sig")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return _records_frame(_json_lines(text))
    if isinstance(value, list):
        return _records_frame(value)
    if isinstance(value, dict):
        return pd.DataFrame(value)
    raise TableFormatError("the JSON holds neither an array of objects nor an object of columns")


def _json_lines(text: str) -> list[Any]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise TableFormatError(f"the file is neither JSON nor JSON lines (line {number}: {error.msg})") from None
    return records


def _records_frame(records: list[Any]) -> pd.DataFrame:
    if not all(isinstance(record, dict) for record in records):
        raise TableFormatError("a JSON array must hold one object per row")
    return pd.json_normalize(records)  # nested objects become "parent.child" columns


def storable(table: pd.DataFrame) -> pd.DataFrame:
    """The table with text column names and a plain row index; a column mixing kinds of value
    (numbers and text in one Excel column) becomes text, as CSV would read it."""
    table = table.reset_index(drop=True)
    table.columns = [str(name) for name in table.columns]
    duplicated = sorted({name for name in table.columns if list(table.columns).count(name) > 1})
    if duplicated:
        raise TableFormatError(f"column name(s) used more than once: {', '.join(duplicated)}")
    for name in table.columns:
        column = table[name]
        if column.dtype == object and len({type(value) for value in column.dropna()}) > 1:
            table[name] = column.map(lambda value: value if _missing(value) else str(value))
    return table


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
