"""The runs panel's list, and two runs compared: parameter changes, step statuses, evaluation metrics."""

from typing import Any

import pytest
from django.utils import timezone

from designer.pipelines.drafts import draft_save, pipeline_create
from tests.graphs import GraphBuilder, classifier_graph

# Steps start when the submitting transaction commits, and run inline.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]


def run_now(client: Any, pipeline: Any) -> dict[str, Any]:
    response = client.post(f"/api/pipelines/{pipeline.pk}/runs/")
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


@pytest.fixture
def two_runs(team, client_as):
    pipeline = pipeline_create(team.workspace, "Cancer", team.owner, graph=classifier_graph(1.0))
    client = client_as(team.contributor)
    first = run_now(client, pipeline)
    draft_save(pipeline, classifier_graph(0.0001), 0)
    second = run_now(client, pipeline)
    assert (first["status"], second["status"]) == ("completed", "completed")
    return pipeline, first, second


def test_the_runs_list_says_who_ran_which_version_how_and_for_how_long(team, client_as, two_runs):
    pipeline, _, _ = two_runs
    runs = client_as(team.reader).get(f"/api/pipelines/{pipeline.pk}/runs/").json()
    assert [(r["number"], r["version"], r["status"], r["created_by"]) for r in runs] == [
        (2, 2, "completed", "conrad"),
        (1, 1, "completed", "conrad"),
    ]
    assert all(r["duration_seconds"] is not None and r["duration_seconds"] >= 0 for r in runs)
    assert runs[0]["options"] == {} and "steps" not in runs[0]
    started = timezone.datetime.fromisoformat(runs[1]["started_at"])
    finished = timezone.datetime.fromisoformat(runs[1]["finished_at"])
    assert runs[1]["duration_seconds"] == pytest.approx((finished - started).total_seconds())


def test_two_runs_compare_by_parameters_statuses_and_evaluation_metrics(team, client_as, two_runs):
    _, first, second = two_runs
    comparison = client_as(team.reader).get(f"/api/runs/{first['id']}/compare/{second['id']}/").json()
    assert (comparison["a"]["number"], comparison["b"]["number"]) == (1, 2)
    changed = [node for node in comparison["diff"]["nodes"] if node["status"] != "unchanged"]
    assert [(n["node"], n["parameters"]) for n in changed] == [
        ("algorithm", [{"name": "l2_weight", "old": 1.0, "new": 0.0001}])
    ]
    steps = {step["node"]: (step["a"], step["b"]) for step in comparison["steps"]}
    assert steps["data"] == ("completed", "cached")
    assert steps["evaluate"] == ("completed", "completed")

    metrics = {row["name"]: row for row in comparison["metrics"]}
    assert {"accuracy", "precision", "recall", "f1_score", "auc"} <= set(metrics)
    auc = metrics["auc"]
    assert (auc["source"], auc["node"], auc["group"], auc["direction"]) == (
        "evaluation",
        "evaluate",
        "scored dataset",
        "higher",
    )
    assert 0.9 < auc["a"] <= 1 and 0.9 < auc["b"] <= 1
    expected = "same" if auc["a"] == auc["b"] else ("a" if auc["a"] > auc["b"] else "b")
    assert auc["better"] == expected


def test_only_members_compare_runs(team, client_as, two_runs):
    _, first, second = two_runs
    response = client_as(team.outsider).get(f"/api/runs/{first['id']}/compare/{second['id']}/")
    assert response.status_code == 404


def test_a_run_without_evaluations_compares_with_no_metric_rows(team, client_as):
    pipeline = pipeline_create(
        team.workspace, "Load", team.owner, graph=GraphBuilder().node("load", "sample_dataset").build()
    )
    client = client_as(team.contributor)
    run = run_now(client, pipeline)
    comparison = client.get(f"/api/runs/{run['id']}/compare/{run['id']}/").json()
    assert comparison["metrics"] == []
    assert comparison["diff"]["summary"]["unchanged"] == 1
