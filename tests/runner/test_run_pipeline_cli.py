"""`manage.py run_pipeline` embedded: SQLite and the filesystem broker in a fresh data folder, its own worker."""

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from runner.management.commands.run_pipeline import step_line
from runner.models import StepRun
from tests.embedded.test_examples import CHECKED_EXAMPLES
from tests.graphs import GraphBuilder

SERVER_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL", "TRELLIS_ARTIFACT_DIR")


def run_pipeline(path: Path, data_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items() if name not in SERVER_VARIABLES}
    environment.update(TRELLIS_DATA_DIR=str(data_dir), TRELLIS_MODULE_PACKAGES="tests.fixture_modules")
    return subprocess.run(
        [sys.executable, "manage.py", "run_pipeline", str(path), *options],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.mark.timeout(120)
def test_the_iris_example_completes(tmp_path):
    result = run_pipeline(settings.BASE_DIR / "examples" / "iris_split.json", tmp_path, "--wait")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    step_line = re.compile(r"(step \S+ \S+ completed) \d+\.\d\ds \(never run\)")
    assert [step_line.fullmatch(line)[1] for line in lines[:3]] == [  # type: ignore[index]
        "step iris sample_dataset@1 completed",
        "step petals select_columns@1 completed",
        "step split split_data@1 completed",
    ]
    assert re.fullmatch(r"run 1 completed in \d+\.\d\ds", lines[3])
    assert len(lines) == 4
    assert not (tmp_path / "worker.pid").exists()  # its own worker is stopped and forgotten


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
# Examples whose results tests/embedded/test_examples.py runs and checks already.
CHECKED_ELSEWHERE = {f"{name}.json" for name in CHECKED_EXAMPLES} | {"iris_split.json"}


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "example", [path for path in EXAMPLES if path.name not in CHECKED_ELSEWHERE], ids=lambda p: p.stem
)
def test_every_other_example_completes_offline(tmp_path, example):
    result = run_pipeline(example, tmp_path, "--wait")

    assert result.returncode == 0, result.stdout + result.stderr
    nodes = json.loads(example.read_text())["nodes"]
    step_lines = [line for line in result.stdout.splitlines() if line.startswith("step ")]
    assert sorted(line.split()[1] for line in step_lines) == sorted(node["id"] for node in nodes)
    assert all(line.split()[3] == "completed" for line in step_lines)


def test_an_invalid_file_exits_2_with_one_problem_per_line(tmp_path):
    graph = GraphBuilder().node("load", "sample_dataset", dataset="nope").node("lost", "no_such_module").build()
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(graph))

    result = run_pipeline(path, tmp_path / "data", "--wait")

    assert result.returncode == 2
    problems = result.stderr.splitlines()
    assert len(problems) == 2
    assert problems[0].startswith("load.dataset: ") and problems[0].endswith("[invalid_parameter]")
    assert problems[1] == "lost: no module named 'no_such_module' [unknown_module]"
    assert result.stdout == ""


def test_a_file_that_is_not_a_graph_exits_2(tmp_path):
    path = tmp_path / "not-a-graph.json"
    path.write_text('{"format_version": 2, "nodes": "none"}')

    result = run_pipeline(path, tmp_path / "data")

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["$: 'edges' is a required property", "$.nodes: 'none' is not of type 'array'"]


@pytest.mark.timeout(120)
def test_a_failing_pipeline_exits_1(tmp_path):
    graph = GraphBuilder().node("load", "sample_dataset").node("broken", "fail", message="nope")
    path = tmp_path / "failing.json"
    path.write_text(json.dumps(graph.edge("load.dataset", "broken.dataset").build()))

    result = run_pipeline(path, tmp_path / "data", "--wait")

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("step load sample_dataset@1 completed ")
    assert lines[1].startswith("step broken fail@1 failed ")
    assert lines[2].startswith("run 1 failed in ")
    assert result.stderr.splitlines()[-1] == "step broken failed: nope"
    assert "Traceback" not in result.stderr


@pytest.mark.timeout(120)
def test_options_choose_what_runs(tmp_path):
    example = settings.BASE_DIR / "examples" / "iris_split.json"
    refused = run_pipeline(example, tmp_path, "--up-to", "nowhere")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "'up_to' names node 'nowhere', which this pipeline version does not have"

    partial = run_pipeline(example, tmp_path, "--wait", "--up-to", "petals", "--regenerate")

    assert partial.returncode == 0, partial.stderr
    lines = [re.sub(r"\d+\.\d\ds", "Ns", line) for line in partial.stdout.splitlines()]
    assert lines == [
        "step iris sample_dataset@1 completed Ns (regenerate all outputs)",
        "step petals select_columns@1 completed Ns (regenerate all outputs)",
        "run 1 completed in Ns",
    ]


def step(status: str, reason: str, seconds: float) -> StepRun:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return StepRun(
        node_id="split",
        module="split_data",
        module_version="1",
        status=status,
        reason=reason,
        started_at=start,
        finished_at=start + timedelta(seconds=seconds),
    )


def test_each_step_line_says_why_it_ran_or_where_it_came_from():
    assert step_line(step("cached", "cached (from run 3)", 0)) == "step split split_data@1 cached (from run 3) 0.00s"
    assert (
        step_line(step("completed", "parameter fraction 0.7→0.8", 0.414))
        == "step split split_data@1 completed 0.41s (parameter fraction 0.7→0.8)"
    )
    assert step_line(step("skipped", "", 0)) == "step split split_data@1 skipped 0.00s"


def test_a_module_neither_built_in_nor_the_workspaces_exits_2(tmp_path):
    graph = GraphBuilder().node("lost", "no_such_module").build()
    path = tmp_path / "unknown.json"
    path.write_text(json.dumps(graph))

    result = run_pipeline(path, tmp_path / "data", "--wait")

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["lost: no module named 'no_such_module' [unknown_module]"]


@pytest.mark.timeout(120)
def test_param_sets_a_pipeline_parameter_and_a_bad_one_is_refused(tmp_path):
    document = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("split", "split_data", fraction={"$parameter": "fraction"}, seed=1)
        .edge("load.dataset", "split.dataset")
        .build()
    )
    document["parameters"] = [{"name": "fraction", "type": "float", "default": 0.8}]
    path = tmp_path / "split.json"
    path.write_text(json.dumps(document))

    refused = run_pipeline(path, tmp_path / "data", "--param", "fraction=lots")
    assert refused.returncode == 2
    assert "fraction: pipeline parameter 'fraction': 'lots' must be a number" in refused.stderr

    result = run_pipeline(path, tmp_path / "data", "--param", "fraction=0.5", "--wait")
    assert result.returncode == 0, result.stderr
    run_number = result.stdout.splitlines()[-1].split()[1]
    assert run_number == "1"
