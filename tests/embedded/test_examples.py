"""The example pipelines give sensible results when run as a user runs them: `run_pipeline --wait`."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from modules.registry import build_registry
from runner.artifacts import ArtifactStore
from tests.servers import EXTERNAL_SERVICES, REPO_ROOT

pytestmark = pytest.mark.timeout(120)
CHECKED_EXAMPLES = (
    "breast_cancer_classification",
    "regression_diabetes",
    "binary_classification_feature_selection",
    "cost_sensitive_python_script",
)


def run_example(name: str, data_dir: Path) -> dict[str, dict]:
    """Run examples/<name>.json in a fresh embedded data folder; the outputs of each node."""
    environment = {key: value for key, value in os.environ.items() if key not in EXTERNAL_SERVICES}
    environment["TRELLIS_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "manage.py", "run_pipeline", f"examples/{name}.json", "--wait"]
    result = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=100)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(data_dir / "trellis.sqlite3") as database:
        rows = database.execute("SELECT node_id, outputs FROM runner_steprun").fetchall()
    return {node: json.loads(outputs) for node, outputs in rows}


def evaluations(name: str, data_dir: Path) -> list[dict]:
    """Run an example and read what its `evaluate` node concluded."""
    reference = run_example(name, data_dir)["evaluate"]["evaluation"]
    port = build_registry().port_type("evaluation")
    return ArtifactStore(data_dir / "artifacts").read(reference["digest"], port)["evaluations"]


def test_the_breast_cancer_classifier_is_accurate(tmp_path):
    [metrics] = evaluations("breast_cancer_classification", tmp_path)
    assert metrics["task"] == "binary" and metrics["rows"] == 171
    assert metrics["auc"] > 0.98
    assert 0.93 < metrics["accuracy"] <= 1.0


def test_the_regression_sample_compares_two_sensible_models(tmp_path):
    linear, boosted = evaluations("regression_diabetes", tmp_path)
    for metrics in (linear, boosted):
        assert metrics["task"] == "regression" and metrics["rows"] == 133
        assert 0.25 < metrics["coefficient_of_determination"] < 0.75
        assert 35 < metrics["mean_absolute_error"] < 60


def test_feature_selection_keeps_a_strong_classifier(tmp_path):
    [metrics] = evaluations("binary_classification_feature_selection", tmp_path)
    assert metrics["auc"] > 0.95 and metrics["accuracy"] > 0.9


def test_the_cost_sensitive_script_sample_trains_two_good_classifiers(tmp_path):
    svm, boosted = evaluations("cost_sensitive_python_script", tmp_path)
    for metrics in (svm, boosted):
        assert metrics["auc"] > 0.95
        # Malignant (0) is the negative class here: few of them are missed.
        negatives_missed = metrics["confusion_matrix"]["counts"][0][1]
        assert negatives_missed <= 8
