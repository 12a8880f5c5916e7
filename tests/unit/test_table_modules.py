"""Joining, combining, reshaping and summarizing tables, checked on small tables whose answers are known."""

import numpy as np
import pandas as pd
import pytest

from modules.spec import ModuleError
from tests.unit.conftest import run


@pytest.fixture
def people():
    return pd.DataFrame({"id": [1, 2, 3], "name": ["ada", "bo", "cy"]})


@pytest.fixture
def orders():
    return pd.DataFrame({"person": [1, 1, 3, 4], "total": [10.0, 5.0, 7.0, 1.0]})


@pytest.mark.parametrize(
    ("join_type", "rows"),
    [("inner", 3), ("left_outer", 4), ("full_outer", 5), ("left_semi", 2)],
)
def test_join_types(registry, people, orders, join_type, rows):
    joined = run(
        registry,
        "join_data",
        {"left": people, "right": orders},
        left_keys=["id"],
        right_keys=["person"],
        join_type=join_type,
    )["dataset"]
    assert len(joined) == rows
    if join_type == "left_semi":
        assert list(joined.columns) == ["id", "name"]


def test_join_can_drop_the_right_keys_and_names_clashing_columns(registry, people):
    right = pd.DataFrame({"id": [1, 2], "name": ["A", "B"]})
    joined = run(
        registry,
        "join_data",
        {"left": people, "right": right},
        left_keys=["id"],
        right_keys=["id"],
        keep_right_keys=False,
    )["dataset"]
    assert list(joined.columns) == ["id", "name", "name (2)"]


def test_add_columns_and_rows(registry, people):
    wide = run(registry, "add_columns", {"left": people, "right": people})["dataset"]
    assert list(wide.columns) == ["id", "name", "id (2)", "name (2)"]
    long = run(registry, "add_rows", {"first": people, "second": people.head(1)})["dataset"]
    assert long["id"].tolist() == [1, 2, 3, 1]
    with pytest.raises(ModuleError, match="3 and 1 rows"):
        run(registry, "add_columns", {"left": people, "right": people.head(1)})


def test_remove_duplicate_rows_by_key(registry, orders):
    first = run(registry, "remove_duplicate_rows", {"dataset": orders}, key_columns=["person"])["dataset"]
    last = run(registry, "remove_duplicate_rows", {"dataset": orders}, key_columns=["person"], retain_first=False)
    assert first["total"].tolist() == [10.0, 7.0, 1.0]
    assert last["dataset"]["total"].tolist() == [5.0, 7.0, 1.0]


def test_sql_over_two_inputs(registry, people, orders):
    sql = "select name, sum(total) as spent from t1 join t2 on t1.id = t2.person group by name order by name"
    result = run(registry, "apply_sql_transformation", {"t1": people, "t2": orders}, sql=sql)["dataset"]
    assert result.to_dict("list") == {"name": ["ada", "cy"], "spent": [15.0, 7.0]}
    with pytest.raises(ModuleError, match="the query failed"):
        run(registry, "apply_sql_transformation", {"t1": people}, sql="select * from t9")


def test_edit_metadata_renames_retypes_and_marks_the_label(registry, people):
    edited = run(
        registry,
        "edit_metadata",
        {"dataset": people},
        columns=["id"],
        data_type="string",
        role="label",
        new_names=["person_id"],
    )["dataset"]
    assert list(edited.columns) == ["person_id", "name"]
    assert edited["person_id"].tolist() == ["1", "2", "3"]
    assert edited.attrs["trellis"]["label"] == "person_id"
    with pytest.raises(ModuleError, match="cannot become integer"):
        run(registry, "edit_metadata", {"dataset": people}, columns=["name"], data_type="integer")


def test_train_model_uses_the_label_edit_metadata_marked(registry):
    iris = run(registry, "sample_dataset", dataset="iris")["dataset"]
    marked = run(registry, "edit_metadata", {"dataset": iris}, columns=["target"], role="label")["dataset"]
    untrained = run(registry, "multiclass_logistic_regression")["model"]
    model = run(registry, "train_model", {"untrained_model": untrained, "dataset": marked})["model"]
    assert model.trellis_label_ == "target"
    with pytest.raises(ModuleError, match="no label column"):
        run(registry, "train_model", {"untrained_model": untrained, "dataset": iris})


def test_partition_and_sample_modes(registry):
    table = pd.DataFrame({"v": range(100)})
    assert len(run(registry, "partition_and_sample", {"dataset": table}, rate=0.25)["dataset"]) == 25
    assert run(registry, "partition_and_sample", {"dataset": table}, mode="head", count=3)["dataset"]["v"].tolist() == [
        0,
        1,
        2,
    ]
    folds = run(registry, "partition_and_sample", {"dataset": table}, mode="folds", count=4)["dataset"]
    assert folds["Fold"].value_counts().to_dict() == {0: 25, 1: 25, 2: 25, 3: 25}


def test_math_clip_bins_and_indicators(registry):
    table = pd.DataFrame({"x": [-4.0, 1.0, 9.0, 16.0], "colour": ["red", "blue", "red", "green"]})
    roots = run(registry, "apply_math_operation", {"dataset": table}, operation="sqrt", columns=["x"])["dataset"]
    assert roots["sqrt(x)"].tolist()[1:] == [1.0, 3.0, 4.0] and np.isnan(roots["sqrt(x)"][0])
    clipped = run(
        registry,
        "clip_values",
        {"dataset": table},
        columns=["x"],
        lower_threshold=0,
        upper_threshold=10,
        add_indicator=True,
    )["dataset"]
    assert clipped["x"].tolist() == [0.0, 1.0, 9.0, 10.0]
    assert clipped["x_clipped"].tolist() == [True, False, False, True]
    binned = run(
        registry, "group_data_into_bins", {"dataset": table}, columns=["x"], bins=2, binning_mode="equal_width"
    )["dataset"]
    assert binned["x_quantized"].tolist() == [0, 0, 1, 1]
    indicators = run(registry, "convert_to_indicator_values", {"dataset": table}, columns=["colour"], overwrite=True)
    assert list(indicators["dataset"].columns) == ["x", "colour-blue", "colour-green", "colour-red"]
    assert indicators["dataset"]["colour-red"].tolist() == [1, 0, 1, 0]


def test_summarize_data_describes_each_column(registry):
    table = pd.DataFrame({"x": [1.0, 2.0, None, 5.0], "word": ["a", "b", "b", None]})
    summary = run(registry, "summarize_data", {"dataset": table})["summary"].set_index("Feature")
    assert summary.loc["x", "Missing Value Count"] == 1 and summary.loc["x", "Mean"] == pytest.approx(8 / 3)
    assert summary.loc["word", "Unique Value Count"] == 2 and summary.loc["word", "Mode"] == "b"


def test_enter_data_manually(registry):
    table = run(registry, "enter_data_manually", data="a,b\n1,x\n2,y\n")["dataset"]
    assert table.to_dict("list") == {"a": [1, 2], "b": ["x", "y"]}
    headless = run(registry, "enter_data_manually", data="1\t2\n", data_format="tsv", has_header=False)["dataset"]
    assert list(headless.columns) == ["Col1", "Col2"]
