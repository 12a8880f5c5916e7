"""Feature selection, permutation importance, cross-validation and hyperparameter tuning on bundled data."""

import pandas as pd
import pytest

from modules.spec import ModuleError
from tests.unit.conftest import run


@pytest.fixture(scope="module")
def cancer(registry):
    return run(registry, "sample_dataset", dataset="breast_cancer")["dataset"]


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall", "mutual_information", "chi_squared"])
def test_filter_based_feature_selection_keeps_the_best_scored(registry, cancer, method):
    result = run(
        registry,
        "filter_based_feature_selection",
        {"dataset": cancer},
        scoring_method=method,
        target_column="target",
        features=5,
    )
    scores = result["scores"]
    assert len(scores) == 30 and scores["Score"].is_monotonic_decreasing
    assert list(result["dataset"].columns) == ["target", *scores["Feature"].head(5)]


def test_the_worst_radius_is_among_the_most_correlated_features(registry, cancer):
    scores = run(registry, "filter_based_feature_selection", {"dataset": cancer}, target_column="target", features=3)
    assert "worst perimeter" in scores["dataset"].columns


def test_chi_squared_refuses_negative_features(registry):
    table = pd.DataFrame({"x": [-1.0, 2.0, 3.0], "target": [0, 1, 1]})
    with pytest.raises(ModuleError, match="without negative values"):
        run(
            registry,
            "filter_based_feature_selection",
            {"dataset": table},
            scoring_method="chi_squared",
            target_column="target",
        )


def test_permutation_importance_ranks_the_informative_feature_first(registry):
    noise = pd.Series(range(200)).mul(7919).mod(101)
    table = pd.DataFrame({"signal": range(200), "noise": noise, "target": [int(v >= 100) for v in range(200)]})
    model = run(
        registry,
        "train_model",
        {"untrained_model": run(registry, "two_class_decision_forest")["model"], "dataset": table},
        label_column="target",
    )["model"]
    importance = run(registry, "permutation_feature_importance", {"model": model, "dataset": table})["importance"]
    assert importance["Feature"].tolist() == ["signal", "noise"]
    assert importance["Score"].iloc[0] > 0.3
    with pytest.raises(ModuleError, match="does not measure a binary model"):
        run(
            registry, "permutation_feature_importance", {"model": model, "dataset": table}, metric="mean_absolute_error"
        )


def test_cross_validation_scores_every_row_once(registry, cancer):
    untrained = run(registry, "two_class_logistic_regression")["model"]
    result = run(
        registry,
        "cross_validate_model",
        {"untrained_model": untrained, "dataset": cancer},
        label_column="target",
        folds=5,
    )
    scored, metrics = result["scored"], result["metrics"]
    assert len(scored) == len(cancer) and sorted(scored["Fold"].unique()) == [0, 1, 2, 3, 4]
    assert metrics["Fold"].tolist() == ["0", "1", "2", "3", "4", "Mean", "Standard Deviation"]
    assert metrics.set_index("Fold").loc["Mean", "auc"] > 0.95
    [evaluation] = run(registry, "evaluate_model", {"scored_dataset": scored})["evaluation"]["evaluations"]
    assert evaluation["rows"] == len(cancer)


@pytest.mark.parametrize("mode", ["grid", "random"])
def test_tuning_keeps_the_best_setting(registry, cancer, mode):
    untrained = run(registry, "two_class_logistic_regression")["model"]
    halves = run(registry, "split_data", {"dataset": cancer}, fraction=0.7, stratify_column="target")
    result = run(
        registry,
        "tune_model_hyperparameters",
        {"untrained_model": untrained, "training": halves["dataset1"], "validation": halves["dataset2"]},
        sweeping_mode=mode,
        maximum_runs=3,
        label_column="target",
        metric="auc",
    )
    sweep = result["sweep"]
    assert len(sweep) == (5 if mode == "grid" else 3)
    assert sweep["auc"].is_monotonic_decreasing
    scored = run(registry, "score_model", {"model": result["model"], "dataset": halves["dataset2"]})["dataset"]
    [evaluation] = run(registry, "evaluate_model", {"scored_dataset": scored})["evaluation"]["evaluations"]
    assert evaluation["auc"] == pytest.approx(sweep["auc"].iloc[0])


def test_tuning_names_the_models_it_can_tune(registry, cancer):
    untrained = run(registry, "two_class_averaged_perceptron")["model"]
    with pytest.raises(ModuleError, match="no search space for Pipeline; it can tune"):
        run(
            registry,
            "tune_model_hyperparameters",
            {"untrained_model": untrained, "training": cancer},
            label_column="target",
        )
