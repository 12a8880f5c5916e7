"""Reading uploaded and downloaded files into tables: each format from a real file, and the errors."""

import io
import json

import pandas as pd
import pytest
from openpyxl import Workbook

from modules.table_formats import TableFormatError, detect_format, read_table

PEOPLE = pd.DataFrame({"name": ["Ada", "Alan", "Grace"], "born": [1815, 1912, 1906], "score": [9.5, 8.25, 9.0]})


def parquet_bytes(table: pd.DataFrame, **options) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, **options)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_people(table: pd.DataFrame) -> None:
    assert list(table.columns) == ["name", "born", "score"]
    assert table["name"].tolist() == ["Ada", "Alan", "Grace"]
    assert table["born"].tolist() == [1815, 1912, 1906]
    assert table["score"].tolist() == [9.5, 8.25, 9.0]


def test_csv_and_tsv_are_read_with_their_header():
    assert_people(read_table(PEOPLE.to_csv(index=False).encode(), "csv"))
    assert_people(read_table(PEOPLE.to_csv(index=False, sep="\t").encode(), "tsv"))


def test_a_byte_order_mark_is_not_part_of_the_first_column_name():
    assert_people(read_table(b"\xef\xbb\xbf" + PEOPLE.to_csv(index=False).encode(), "csv"))


def test_parquet_keeps_types_and_a_named_index_becomes_a_column():
    assert_people(read_table(parquet_bytes(PEOPLE), "parquet"))
    indexed = read_table(parquet_bytes(PEOPLE.set_index("name")), "parquet")
    assert_people(indexed)


def test_json_as_records_as_columns_and_as_lines():
    records = PEOPLE.to_dict(orient="records")
    assert_people(read_table(json.dumps(records).encode(), "json"))
    assert_people(read_table(json.dumps(PEOPLE.to_dict(orient="list")).encode(), "json"))
    lines = "\n".join(json.dumps(record) for record in records) + "\n"
    assert_people(read_table(lines.encode(), "json"))


def test_nested_json_objects_become_dotted_columns():
    table = read_table(b'[{"id": 1, "place": {"city": "Paris"}}, {"id": 2, "place": {"city": "Oslo"}}]', "json")
    assert list(table.columns) == ["id", "place.city"]
    assert table["place.city"].tolist() == ["Paris", "Oslo"]


def test_excel_reads_the_first_sheet():
    data = xlsx_bytes([["name", "born", "score"], ["Ada", 1815, 9.5], ["Alan", 1912, 8.25], ["Grace", 1906, 9.0]])
    assert_people(read_table(data, "xlsx"))


def test_an_excel_column_mixing_numbers_and_text_becomes_text():
    table = read_table(xlsx_bytes([["code"], [12], ["unknown"], [None], [7]]), "xlsx")
    assert table["code"].tolist()[:2] == ["12", "unknown"] and pd.isna(table["code"][2])
    table.to_parquet(io.BytesIO())  # storable


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        (b"a,b\n1,2,3,4\n", "csv", "not valid CSV"),
        (b"\xff\xfe\x00\x01", "csv", "not UTF-8"),
        (b"not parquet at all", "parquet", "not valid PARQUET"),
        (b"[1, 2, 3]", "json", "one object per row"),
        (b'{"a": 1}\n{"a": ', "json", "neither JSON nor JSON lines (line 2"),
        (b"PK\x03\x04 broken", "xlsx", "not valid XLSX"),
        (b"a;b", "xml", "not a table format"),
    ],
)
def test_a_file_that_is_not_its_format_says_why(data, file_format, message):
    with pytest.raises(TableFormatError, match=message.replace("(", r"\(")):
        read_table(data, file_format)


def test_the_format_comes_from_the_bytes_then_the_name_then_the_content_type():
    assert detect_format("data.csv", head=parquet_bytes(PEOPLE)[:8]) == "parquet"
    assert detect_format("book.bin", head=xlsx_bytes([["a"]])[:8]) == "xlsx"
    assert detect_format("people.tsv", head=b"name,born") == "tsv"
    assert detect_format("download", "text/csv; charset=utf-8", b"x") == "csv"
    assert detect_format("", "", b'  [{"a": 1}]') == "json"
    assert detect_format("", "", b"a\tb\tc\n1\t2\t3") == "tsv"
    assert detect_format("", "", b"a,b\n1,2") == "csv"
