"""Every algorithm trains, scores and evaluates on bundled data, and its trained model survives storage."""

import pytest

from modules.spec import ModuleError
from tests.unit.conftest import run

BINARY = [
    "two_class_logistic_regression",
    "two_class_boosted_decision_tree",
    "two_class_decision_forest",
    "two_class_support_vector_machine",
    "two_class_neural_network",
    "two_class_averaged_perceptron",
]
MULTICLASS = [
    "multiclass_logistic_regression",
    "multiclass_decision_forest",
    "multiclass_boosted_decision_tree",
    "multiclass_neural_network",
]
REGRESSION = [
    "linear_regression",
    "boosted_decision_tree_regression",
    "decision_forest_regression",
    "poisson_regression",
    "neural_network_regression",
]


def train_and_evaluate(registry, untrained, dataset, tmp_path, **split):
    """Split 70/30, normalize by the training rows, train, score the rest, evaluate; store the model."""
    halves = run(registry, "split_data", {"dataset": dataset}, fraction=0.7, seed=0, **split)
    features = [name for name in dataset.columns if name != "target"]
    normalized = run(registry, "normalize_data", {"dataset": halves["dataset1"]}, columns=features)
    test = run(
        registry,
        "apply_transformation",
        {"transformation": normalized["transformation"], "dataset": halves["dataset2"]},
    )["dataset"]
    model = run(
        registry, "train_model", {"untrained_model": untrained, "dataset": normalized["dataset"]}, label_column="target"
    )["model"]
    port = registry.port_type("model")
    port.write(model, tmp_path / "model.skops")
    stored = port.read(tmp_path / "model.skops")
    scored = run(registry, "score_model", {"model": stored, "dataset": test})["dataset"]
    return run(registry, "evaluate_model", {"scored_dataset": scored})["evaluation"]["evaluations"][0]


@pytest.fixture(scope="module")
def datasets(registry):
    return {
        name: run(registry, "sample_dataset", dataset=name)["dataset"]
        for name in ("breast_cancer", "wine", "diabetes", "iris")
    }


@pytest.mark.parametrize("algorithm", BINARY)
def test_two_class_algorithms(registry, datasets, tmp_path, algorithm):
    evaluation = train_and_evaluate(
        registry, run(registry, algorithm)["model"], datasets["breast_cancer"], tmp_path, stratify_column="target"
    )
    assert evaluation["task"] == "binary"
    assert evaluation["auc"] > 0.95 and evaluation["accuracy"] > 0.9


@pytest.mark.parametrize("algorithm", MULTICLASS)
def test_multiclass_algorithms(registry, datasets, tmp_path, algorithm):
    evaluation = train_and_evaluate(
        registry, run(registry, algorithm)["model"], datasets["wine"], tmp_path, stratify_column="target"
    )
    assert evaluation["task"] == "multiclass" and evaluation["accuracy"] > 0.85


def test_one_vs_all_makes_a_multiclass_model_of_a_two_class_one(registry, datasets, tmp_path):
    binary = run(registry, "two_class_logistic_regression")["model"]
    multiclass = run(registry, "one_vs_all_multiclass", {"binary_model": binary})["model"]
    evaluation = train_and_evaluate(registry, multiclass, datasets["wine"], tmp_path, stratify_column="target")
    assert evaluation["task"] == "multiclass" and evaluation["accuracy"] > 0.85
    with pytest.raises(ModuleError, match="needs an untrained two-class model"):
        run(registry, "one_vs_all_multiclass", {"binary_model": run(registry, "linear_regression")["model"]})


@pytest.mark.parametrize("algorithm", REGRESSION)
def test_regression_algorithms(registry, datasets, tmp_path, algorithm):
    evaluation = train_and_evaluate(registry, run(registry, algorithm)["model"], datasets["diabetes"], tmp_path)
    assert evaluation["task"] == "regression"
    # The diabetes progression is hard to predict: linear models explain about half of it.
    assert evaluation["coefficient_of_determination"] > 0.1
    assert evaluation["relative_squared_error"] < 0.9


def test_k_means_finds_the_iris_species(registry, datasets, tmp_path):
    iris = datasets["iris"]
    features = [name for name in iris.columns if name != "target"]
    untrained = run(registry, "k_means_clustering", centroids=3, random_seed=1)["model"]
    trained = run(registry, "train_clustering_model", {"untrained_model": untrained, "dataset": iris}, columns=features)
    port = registry.port_type("model")
    port.write(trained["model"], tmp_path / "kmeans.skops")
    assigned = run(
        registry, "assign_data_to_clusters", {"model": port.read(tmp_path / "kmeans.skops"), "dataset": iris}
    )["dataset"]
    agreement = assigned.groupby("target")["Assignments"].agg(lambda values: values.value_counts().iloc[0]).sum()
    assert agreement / len(iris) > 0.85
    [evaluation] = run(registry, "evaluate_model", {"scored_dataset": assigned})["evaluation"]["evaluations"]
    assert evaluation["clusters"] == 3 and sum(c["points"] for c in evaluation["per_cluster"]) == 150
    with pytest.raises(ModuleError, match="train it with Train Clustering Model"):
        run(registry, "train_model", {"untrained_model": untrained, "dataset": iris}, label_column="target")
