"""Runs with pipeline parameters: values given on submit, defaults for the rest, recorded on the run,
a changed value rerunning exactly the nodes bound to it, and refusals that name the parameter."""

from typing import Any

import pytest

from designer.pipelines.bindings import binding
from designer.pipelines.drafts import pipeline_create
from designer.pipelines.models import Pipeline
from runner.models import Run
from tests.graphs import GraphBuilder

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]

FRACTION = {"name": "fraction", "type": "float", "default": 0.8, "description": "rows to train on"}
SEED = {"name": "seed", "type": "int", "default": 1}


def split_twice() -> dict[str, Any]:
    """load -> split_a and split_b, both taking `fraction` from the pipeline; only split_a takes `seed`."""
    document = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("split_a", "split_data", fraction=binding("fraction"), seed=binding("seed"))
        .node("split_b", "split_data", fraction=binding("fraction"), seed=2)
        .edge("load.dataset", "split_a.dataset")
        .edge("load.dataset", "split_b.dataset")
        .build()
    )
    return {**document, "parameters": [FRACTION, SEED]}


def pipeline_of(team: Any) -> Pipeline:
    return pipeline_create(team.workspace, "Split twice", team.owner, graph=split_twice())


def start(client: Any, pipeline: Pipeline, **body: Any) -> Any:
    return client.post(f"/api/pipelines/{pipeline.pk}/runs/", body, format="json")


def finished(client: Any, response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


def statuses(snapshot: dict[str, Any]) -> dict[str, str]:
    return {step["node"]: step["status"] for step in snapshot["steps"]}


def test_defaults_fill_what_the_run_does_not_give_and_the_run_records_them(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)

    run = finished(client, start(client, pipeline, parameters={"fraction": "0.6"}))

    assert run["status"] == "completed", run
    assert run["parameters"] == {"fraction": 0.6, "seed": 1}
    assert Run.objects.get(pk=run["id"]).parameters == {"fraction": 0.6, "seed": 1}
    listed = client.get(f"/api/pipelines/{pipeline.pk}/runs/").json()
    assert listed[0]["parameters"] == {"fraction": 0.6, "seed": 1}


def test_a_changed_value_reruns_exactly_the_nodes_bound_to_it(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    finished(client, start(client, pipeline))

    seed_changed = finished(client, start(client, pipeline, parameters={"seed": 5}))
    assert statuses(seed_changed) == {"load": "cached", "split_a": "completed", "split_b": "cached"}
    reason = next(step["reason"] for step in seed_changed["steps"] if step["node"] == "split_a")
    assert reason == "parameter seed 1→5"

    fraction_changed = finished(client, start(client, pipeline, parameters={"seed": 5, "fraction": 0.5}))
    assert statuses(fraction_changed) == {"load": "cached", "split_a": "completed", "split_b": "completed"}


def test_the_step_runs_with_the_value(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    low = finished(client, start(client, pipeline, parameters={"fraction": 0.2}))
    high = finished(client, start(client, pipeline, parameters={"fraction": 0.9}))

    def first_output_rows(snapshot: dict[str, Any]) -> int:
        preview = client.get(f"/api/runs/{snapshot['id']}/steps/split_b/outputs/dataset1/preview/")
        assert preview.status_code == 200, preview.content
        return preview.json()["row_count"]

    assert first_output_rows(low) == 30 and first_output_rows(high) == 135


@pytest.mark.parametrize(
    ("values", "code", "name"),
    [
        ({"speed": 3}, "unknown_pipeline_parameter", "speed"),
        ({"seed": "many"}, "invalid_parameter_value", "seed"),
    ],
)
def test_a_bad_value_is_refused_naming_the_parameter_and_nothing_runs(team, client_as, values, code, name):
    client, pipeline = client_as(team.contributor), pipeline_of(team)

    response = start(client, pipeline, parameters=values)

    assert response.status_code == 400
    assert [(p["code"], p["parameter"], p["node"]) for p in response.json()["problems"]] == [(code, name, None)]
    assert not Run.objects.exists()


def test_a_value_that_does_not_fit_a_bound_field_names_the_node_and_field(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)

    response = start(client, pipeline, parameters={"fraction": 1.5})

    assert response.status_code == 400
    problems = [(p["code"], p["node"], p["parameter"]) for p in response.json()["problems"]]
    assert problems == [("invalid_parameter", "split_a", "fraction"), ("invalid_parameter", "split_b", "fraction")]
    assert not Run.objects.exists()


def test_a_parameter_without_default_must_be_given(team, client_as):
    document = split_twice()
    document["parameters"][0] = {"name": "fraction", "type": "float"}
    client = client_as(team.contributor)
    pipeline = pipeline_create(team.workspace, "No default", team.owner, graph=document)

    refused = start(client, pipeline)
    assert refused.status_code == 400
    problems = [(p["code"], p["parameter"]) for p in refused.json()["problems"]]
    assert problems == [("missing_parameter_value", "fraction")]

    assert finished(client, start(client, pipeline, parameters={"fraction": 0.5}))["parameters"]["fraction"] == 0.5


def test_a_retry_keeps_the_values_of_the_run_it_retries(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    run = finished(client, start(client, pipeline, parameters={"seed": 7}))

    retried = client.post(f"/api/runs/{run['id']}/retry/")

    assert retried.status_code == 201, retried.json()
    assert retried.json()["parameters"] == {"fraction": 0.8, "seed": 7}


def test_comparing_two_runs_lists_their_parameters(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    a = finished(client, start(client, pipeline))
    b = finished(client, start(client, pipeline, parameters={"seed": 4}))

    comparison = client.get(f"/api/runs/{a['id']}/compare/{b['id']}/")

    assert comparison.status_code == 200, comparison.content
    assert comparison.json()["parameters"] == [
        {"name": "fraction", "a": 0.8, "b": 0.8, "changed": False},
        {"name": "seed", "a": 1, "b": 4, "changed": True},
    ]


def test_cloning_a_run_makes_its_version_the_draft_with_its_values_as_defaults(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    run = finished(client, start(client, pipeline, parameters={"fraction": "0.6", "seed": 7}))
    revision = client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["revision"]
    url = f"/api/pipelines/{pipeline.pk}/versions/{run['version']}/restore/"

    cloned = client.post(url, {"revision": revision, "run": run["id"]}, format="json")

    assert cloned.status_code == 200, cloned.json()
    defaults = {declared["name"]: declared["default"] for declared in cloned.json()["graph"]["parameters"]}
    assert defaults == {"fraction": 0.6, "seed": 7}
    pipeline.refresh_from_db()
    assert [declared["default"] for declared in pipeline.draft_graph["parameters"]] == [0.6, 7]
    assert finished(client, start(client, pipeline))["parameters"] == {"fraction": 0.6, "seed": 7}


def test_cloning_a_run_of_another_version_is_refused_naming_the_run(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team)
    run = finished(client, start(client, pipeline))
    other = client.post(f"/api/pipelines/{pipeline.pk}/versions/", {"message": "named"}, format="json").json()
    revision = client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["revision"]

    refused = client.post(
        f"/api/pipelines/{pipeline.pk}/versions/{other['number']}/restore/",
        {"revision": revision, "run": run["id"]},
        format="json",
    )

    assert other["number"] != run["version"]
    assert refused.status_code == 400
    assert f"run {run['id']} did not run version {other['number']}" in str(refused.json())
