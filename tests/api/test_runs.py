"""Runs through the API: options of a run (regenerate, up_to, from) and retrying a run, by role."""

from typing import Any

import pytest

from designer.pipelines.drafts import pipeline_create
from designer.pipelines.models import Pipeline
from runner.models import Run
from tests.graphs import GraphBuilder, iris_split_graph

# Steps start when the submitting transaction commits; they run inline (tests/api/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]


def pipeline_of(team: Any, document: dict[str, Any]) -> Pipeline:
    return pipeline_create(team.workspace, "Iris", team.owner, graph=document)


def start(client: Any, pipeline: Pipeline, **body: Any) -> Any:
    return client.post(f"/api/pipelines/{pipeline.pk}/runs/", body, format="json")


def finished(client: Any, response: Any) -> dict[str, Any]:
    """The run's snapshot after its (inline) execution."""
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


def steps_of(snapshot: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {step["node"]: (step["status"], step["reason"]) for step in snapshot["steps"]}


def test_a_contributor_runs_then_reruns_from_the_cache(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, iris_split_graph())
    first = finished(client, start(client, pipeline))
    assert first["status"] == "completed"
    assert set(steps_of(first).values()) == {("completed", "never run")}

    second = finished(client, start(client, pipeline))

    assert second["status"] == "completed" and second["options"] == {}
    assert set(steps_of(second).values()) == {("cached", "cached (from run 1)")}
    assert [step["cached_from"]["run"] for step in second["steps"]] == [1, 1, 1]


def test_regenerate_runs_every_step(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, iris_split_graph())
    finished(client, start(client, pipeline))

    again = finished(client, start(client, pipeline, regenerate=True))

    assert again["options"] == {"regenerate": True}
    assert set(steps_of(again).values()) == {("completed", "regenerate all outputs")}


def test_up_to_runs_a_node_and_its_ancestors_only(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, iris_split_graph())

    run = finished(client, start(client, pipeline, up_to="columns"))

    assert run["status"] == "completed" and run["options"] == {"up_to": "columns"}
    assert steps_of(run) == {"load": ("completed", "never run"), "columns": ("completed", "never run")}


def test_from_reruns_a_node_and_its_downstream_and_reuses_the_rest(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, iris_split_graph())
    finished(client, start(client, pipeline))

    run = finished(client, start(client, pipeline, **{"from": "columns"}))

    assert steps_of(run) == {
        "load": ("cached", "cached (from run 1)"),
        "columns": ("completed", "reuse off (run from columns)"),
        "split": ("completed", "reuse off (run from columns)"),
    }


def test_an_unknown_node_is_refused_and_nothing_runs(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, iris_split_graph())

    response = start(client, pipeline, up_to="nowhere")

    assert response.status_code == 400
    assert response.json()["detail"] == "'up_to' names node 'nowhere', which this pipeline version does not have"
    assert not Run.objects.exists() and not pipeline.versions.exists()


def failing_graph() -> dict[str, Any]:
    document = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("broken", "fail", message="not yet")
        .node("after", "pass_through")
        .node("beside", "pass_through")
        .edge("load.dataset", "broken.dataset")
        .edge("broken.dataset", "after.dataset")
        .edge("load.dataset", "beside.dataset")
        .build()
    )
    for node in document["nodes"]:
        node["allow_reuse"] = False  # a retry reuses what completed even so
    return document


def test_a_retry_reuses_completed_steps_and_runs_failed_and_skipped_ones(team, client_as):
    client, pipeline = client_as(team.contributor), pipeline_of(team, failing_graph())
    failed = finished(client, start(client, pipeline))
    assert failed["status"] == "failed"

    retry = finished(client, client.post(f"/api/runs/{failed['id']}/retry/"))

    assert retry["number"] == 2 and retry["version"] == failed["version"]
    assert retry["options"] == {"retry_of": failed["id"]}
    assert steps_of(retry) == {
        "load": ("cached", "cached (from run 1)"),
        "beside": ("cached", "cached (from run 1)"),
        "broken": ("failed", "reuse off"),
        "after": ("skipped", ""),
    }
    broken = next(step for step in retry["steps"] if step["node"] == "broken")
    assert broken["attempt"] == 1 and broken["error"].startswith("not yet")


def test_a_reader_cannot_retry_and_an_outsider_does_not_see_the_run(team, client_as):
    client = client_as(team.contributor)
    run = finished(client, start(client, pipeline_of(team, failing_graph())))

    assert client_as(team.reader).post(f"/api/runs/{run['id']}/retry/").status_code == 403
    assert client_as(team.outsider).post(f"/api/runs/{run['id']}/retry/").status_code == 404
    assert Run.objects.count() == 1


def test_a_run_in_progress_cannot_be_retried(team, client_as):
    client = client_as(team.contributor)
    run = finished(client, start(client, pipeline_of(team, iris_split_graph())))
    Run.objects.filter(pk=run["id"]).update(status="running")

    response = client.post(f"/api/runs/{run['id']}/retry/")

    assert (
        response.status_code == 400
        and response.json()["detail"] == "run 1 is still running; retry it once it has finished"
    )


def test_a_contributor_cancels_a_run_in_progress(team, client_as):
    client = client_as(team.contributor)
    run = finished(client, start(client, pipeline_of(team, iris_split_graph()), up_to="columns"))
    Run.objects.filter(pk=run["id"]).update(status="running")  # as if its steps were still to come
    Run.objects.get(pk=run["id"]).steps.update(status="pending")

    response = client.post(f"/api/runs/{run['id']}/cancel/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["error"]) == ("canceled", "canceled by conrad")
    assert steps_of(response.json()) == {"load": ("canceled", "never run"), "columns": ("canceled", "never run")}


def test_a_finished_run_cannot_be_canceled_and_readers_cannot_cancel(team, client_as):
    client = client_as(team.contributor)
    run = finished(client, start(client, pipeline_of(team, iris_split_graph())))
    url = f"/api/runs/{run['id']}/cancel/"

    assert client_as(team.reader).post(url).status_code == 403
    assert client_as(team.outsider).post(url).status_code == 404
    response = client.post(url)
    assert response.status_code == 409
    assert response.json()["detail"] == "run 1 already completed; there is nothing to cancel"
