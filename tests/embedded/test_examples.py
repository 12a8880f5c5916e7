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


def test_the_breast_cancer_classifier_is_accurate(tmp_path):
    outputs = run_example("breast_cancer_classification", tmp_path)
    reference = outputs["evaluate"]["evaluation"]
    registry = build_registry()
    evaluation = ArtifactStore(tmp_path / "artifacts").read(reference["digest"], registry.port_type("evaluation"))
    [metrics] = evaluation["evaluations"]
    assert metrics["task"] == "binary" and metrics["rows"] == 171
    assert metrics["auc"] > 0.98
    assert 0.93 < metrics["accuracy"] <= 1.0
