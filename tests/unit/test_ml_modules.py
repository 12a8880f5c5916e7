"""Cleaning, normalizing, training, scoring and evaluating on scikit-learn's bundled data."""

import numpy as np
import pandas as pd
import pytest

from modules.builtin.cleaning import Transformation
from modules.spec import ModuleError
from tests.unit.conftest import run


@pytest.fixture(scope="module")
def cancer(registry):
    return run(registry, "sample_dataset", dataset="breast_cancer")["dataset"]


@pytest.fixture
def holes():
    return pd.DataFrame({"x": [1.0, np.nan, 3.0, 8.0], "y": [np.nan, 2.0, 2.0, 5.0], "name": ["a", None, "a", "b"]})


@pytest.mark.parametrize(
    ("mode", "x", "names_missing"),
    [
        ("mean", [1.0, 4.0, 3.0, 8.0], 1),  # a mean of text is not a thing: text columns are left alone
        ("median", [1.0, 3.0, 3.0, 8.0], 1),
        ("mode", [1.0, 1.0, 3.0, 8.0], 0),
    ],
)
def test_clean_missing_data_replaces_by_statistic(registry, holes, mode, x, names_missing):
    cleaned = run(registry, "clean_missing_data", {"dataset": holes}, cleaning_mode=mode)["dataset"]
    assert cleaned["x"].tolist() == x
    assert cleaned["name"].isna().sum() == names_missing


def test_clean_missing_data_custom_value_and_removal(registry, holes):
    custom = run(
        registry,
        "clean_missing_data",
        {"dataset": holes},
        columns=["y"],
        cleaning_mode="custom_value",
        replacement_value="-1",
    )["dataset"]
    assert custom["y"].tolist() == [-1.0, 2.0, 2.0, 5.0]
    assert custom["x"].isna().sum() == 1, "columns not selected are left alone"
    rows = run(registry, "clean_missing_data", {"dataset": holes}, cleaning_mode="remove_row")["dataset"]
    assert len(rows) == 2
    columns = run(
        registry,
        "clean_missing_data",
        {"dataset": holes},
        columns=["x", "y"],
        cleaning_mode="remove_column",
        minimum_missing_ratio=0.25,
    )["dataset"]
    assert list(columns.columns) == ["name"]


def test_clean_missing_data_refuses_a_mean_of_text(registry, holes):
    with pytest.raises(ModuleError, match="not numeric: name"):
        run(registry, "clean_missing_data", {"dataset": holes}, columns=["name"], cleaning_mode="mean")


def test_the_cleaning_learned_on_one_table_applies_to_another(registry, holes):
    transformation = run(registry, "clean_missing_data", {"dataset": holes}, cleaning_mode="mean")["transformation"]
    other = pd.DataFrame({"x": [np.nan], "y": [np.nan], "name": ["c"]})
    applied = run(registry, "apply_transformation", {"transformation": transformation, "dataset": other})["dataset"]
    assert applied.iloc[0].tolist() == [4.0, 3.0, "c"]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("zscore", [-1.224745, 0.0, 1.224745]),
        ("minmax", [0.0, 0.5, 1.0]),
        ("logistic", [0.731059, 0.880797, 0.952574]),
        ("tanh", [0.761594, 0.964028, 0.995055]),
        # the normal CDF of (ln v - mu) / sigma, mu and sigma being the mean and deviation of ln 1, ln 2, ln 3
        ("lognormal", [0.093972, 0.583714, 0.865481]),
    ],
)
def test_normalize_data_methods(registry, method, expected):
    table = pd.DataFrame({"v": [1.0, 2.0, 3.0], "label": [0, 1, 0]})
    out = run(registry, "normalize_data", {"dataset": table}, method=method, columns=["v"])
    assert out["dataset"]["v"].round(6).tolist() == pytest.approx(expected, abs=1e-6)
    assert out["dataset"]["label"].tolist() == [0, 1, 0]
    assert isinstance(out["transformation"], Transformation)


def test_a_trained_two_class_model_scores_and_evaluates_well(registry, cancer):
    split = run(registry, "split_data", {"dataset": cancer}, fraction=0.7, seed=0, stratify_column="target")
    untrained = run(registry, "two_class_logistic_regression")["model"]
    model = run(
        registry, "train_model", {"untrained_model": untrained, "dataset": split["dataset1"]}, label_column="target"
    )["model"]
    scored = run(registry, "score_model", {"model": model, "dataset": split["dataset2"]})["dataset"]
    assert {"Scored Labels", "Scored Probabilities"} <= set(scored.columns)
    assert scored["Scored Probabilities"].between(0, 1).all()
    [evaluation] = run(registry, "evaluate_model", {"scored_dataset": scored})["evaluation"]["evaluations"]
    assert evaluation["task"] == "binary"
    assert evaluation["auc"] > 0.97 and evaluation["accuracy"] > 0.9
    assert sum(map(sum, evaluation["confusion_matrix"]["counts"])) == len(scored)
    assert evaluation["roc_curve"]["x"][0] == 0.0 and evaluation["roc_curve"]["y"][-1] == 1.0


def test_multiclass_and_regression_metrics(registry):
    iris = run(registry, "sample_dataset", dataset="iris")["dataset"]
    model = run(
        registry,
        "train_model",
        {"untrained_model": run(registry, "multiclass_logistic_regression")["model"], "dataset": iris},
        label_column="target",
    )["model"]
    scored = run(registry, "score_model", {"model": model, "dataset": iris})["dataset"]
    assert {"Scored Probabilities_0", "Scored Probabilities_2"} <= set(scored.columns)
    diabetes = run(registry, "sample_dataset", dataset="diabetes")["dataset"]
    regression = run(
        registry,
        "train_model",
        {"untrained_model": run(registry, "linear_regression")["model"], "dataset": diabetes},
        label_column="target",
    )["model"]
    predicted = run(registry, "score_model", {"model": regression, "dataset": diabetes})["dataset"]
    evaluations = run(registry, "evaluate_model", {"scored_dataset": scored, "scored_dataset_to_compare": predicted})
    multiclass, regressed = evaluations["evaluation"]["evaluations"]
    assert multiclass["accuracy"] > 0.9 and len(multiclass["per_class"]) == 3
    assert 0.4 < regressed["coefficient_of_determination"] < 0.7
    assert regressed["root_mean_squared_error"] > regressed["mean_absolute_error"] > 0


def test_training_says_what_is_wrong_with_the_label(registry):
    iris = run(registry, "sample_dataset", dataset="iris")["dataset"]
    untrained = run(registry, "two_class_logistic_regression")["model"]
    with pytest.raises(ModuleError, match="exactly 2 label values; target has 3"):
        run(registry, "train_model", {"untrained_model": untrained, "dataset": iris}, label_column="target")
    with pytest.raises(ModuleError, match="has no column\\(s\\) species"):
        run(registry, "train_model", {"untrained_model": untrained, "dataset": iris}, label_column="species")


def test_text_columns_are_one_hot_encoded_for_training(registry):
    table = pd.DataFrame({"colour": ["red", "blue"] * 20, "size": list(range(40)), "label": [1, 0] * 20})
    model = run(
        registry,
        "train_model",
        {"untrained_model": run(registry, "two_class_logistic_regression")["model"], "dataset": table},
        label_column="label",
    )["model"]
    scored = run(registry, "score_model", {"model": model, "dataset": table})["dataset"]
    assert (scored["Scored Labels"] == table["label"]).mean() == 1.0


def test_models_and_transformations_survive_their_port_codecs(registry, tmp_path, holes):
    transformation = run(registry, "clean_missing_data", {"dataset": holes})["transformation"]
    model = run(
        registry,
        "train_model",
        {"untrained_model": run(registry, "linear_regression")["model"], "dataset": holes.dropna()},
        label_column="y",
    )["model"]
    for port_name, value in (("transformation", transformation), ("model", model)):
        port = registry.port_type(port_name)
        path = tmp_path / f"{port_name}{port.suffix}"
        port.write(value, path)
        assert type(port.read(path)) is type(value)
    assert registry.port_type("model").preview(tmp_path / "model.skops")["properties"]["label column"] == "y"


def test_a_table_preview_has_statistics_of_every_column(registry, tmp_path, holes):
    table = registry.port_type("table")
    table.write(holes, tmp_path / "holes.parquet")
    preview = table.preview(tmp_path / "holes.parquet")
    x, _, name = preview["statistics"]
    assert (x["missing"], x["unique"], x["min"], x["max"], sum(x["histogram"])) == (1, 3, 1.0, 8.0, 3)
    assert (name["missing"], name["unique"]) == (1, 2) and "histogram" not in name
