"""How the table port type writes Parquet."""

import pandas as pd
import pyarrow.parquet as pq

from modules.ports import TABLE


def test_only_columns_whose_values_repeat_are_dictionary_encoded_and_the_table_comes_back(tmp_path):
    table = pd.DataFrame(
        {
            "measure": [0.5, 1.5, 2.5, 0.5],
            "count": [1, 2, 3, 1],
            "label": ["a", "b", "a", "a"],
            "kind": pd.Categorical(["x", "y", "x", "x"]),
        }
    )
    path = tmp_path / "table.parquet"

    TABLE.write(table, path)

    metadata = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {metadata.column(i).path_in_schema: metadata.column(i).encodings for i in range(metadata.num_columns)}
    assert "RLE_DICTIONARY" not in encodings["measure"] and "RLE_DICTIONARY" not in encodings["count"]
    assert "RLE_DICTIONARY" in encodings["label"] and "RLE_DICTIONARY" in encodings["kind"]
    pd.testing.assert_frame_equal(TABLE.read(path), table)
