"""Compute targets through the API: owners define them, members see them and who serves them,
nodes pick them, and a step whose target has no worker says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from designer.pipelines.drafts import pipeline_create
from runner.models import Run, Worker
from tests.graphs import GraphBuilder

pytestmark = pytest.mark.django_db

TARGETS = "/api/workspaces/{}/compute-targets/"


def url(team, name: str = "") -> str:
    return TARGETS.format(team.workspace.pk) + (f"{name}/" if name else "")


def test_an_owner_defines_a_target_with_limits_and_members_see_it(team, client_as):
    owner = client_as(team.owner)

    response = owner.post(url(team), {"name": "gpu", "description": "Big box", "memory_mb": 2048}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "name": "gpu",
        "queue": f"{team.workspace.slug}.gpu",
        "description": "Big box",
        "default": False,
        "timeout_seconds": None,
        "cpu_seconds": None,
        "memory_mb": 2048,
    }
    listed = client_as(team.reader).get(url(team)).json()
    assert [(t["name"], t["queue"], t["default"]) for t in listed] == [
        ("default", "trellis", True),
        ("gpu", "research.gpu", False),
    ]
    assert listed[1]["workers"] == [] and listed[1]["worker_command"] == "celery -A designer worker -Q research.gpu"


def test_a_target_lists_the_live_workers_serving_its_queue(team, client_as):
    client_as(team.owner).post(url(team), {"name": "gpu"}, format="json")
    now = timezone.now()
    for name, seen in (("alive@box", now), ("dead@box", now - timedelta(hours=1))):
        Worker.objects.create(
            name=name, host="box", pid=1, queues=["research.gpu"], started_at=seen, last_seen_at=seen, concurrency=4
        )

    [_, gpu] = client_as(team.reader).get(url(team)).json()

    assert [(worker["name"], worker["concurrency"]) for worker in gpu["workers"]] == [("alive@box", 4)]


def test_only_owners_change_targets_and_bad_fields_are_named(team, client_as):
    assert client_as(team.contributor).post(url(team), {"name": "gpu"}, format="json").status_code == 403
    assert client_as(team.outsider).get(url(team)).status_code == 404
    owner = client_as(team.owner)

    bad_name = owner.post(url(team), {"name": "GPU box"}, format="json")
    assert bad_name.status_code == 400 and "name" in bad_name.json()
    assert owner.post(url(team), {"name": "default"}, format="json").json()["name"] == [
        "'default' is the installation's default target; choose another name"
    ]
    assert owner.post(url(team), {"name": "cpu", "memory_mb": 0}, format="json").status_code == 400
    owner.post(url(team), {"name": "cpu"}, format="json")
    assert owner.post(url(team), {"name": "cpu"}, format="json").json()["name"] == [
        "this workspace already has a compute target 'cpu'"
    ]

    changed = owner.patch(url(team, "cpu"), {"timeout_seconds": 60}, format="json")
    assert changed.status_code == 200 and changed.json()["timeout_seconds"] == 60
    assert owner.delete(url(team, "cpu")).status_code == 204
    assert owner.patch(url(team, "cpu"), {"timeout_seconds": 1}, format="json").status_code == 404


def test_a_node_naming_an_unknown_target_is_a_problem_on_that_node(team, client_as):
    graph = GraphBuilder().node("load", "sample_dataset").keys("load", compute_target="gpu").build()
    pipeline = pipeline_create(team.workspace, "On GPU", team.owner, graph=graph)

    problems = client_as(team.owner).get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["problems"]

    assert problems == [
        {
            "code": "unknown_compute_target",
            "message": "compute target 'gpu' does not exist in this workspace (it has: default)",
            "node": "load",
            "port": None,
            "parameter": "compute_target",
        }
    ]
    client_as(team.owner).post(url(team), {"name": "gpu"}, format="json")
    assert client_as(team.owner).get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]["problems"] == []


@pytest.mark.django_db(transaction=True)
def test_a_step_on_a_target_nobody_serves_says_it_is_waiting(team, client_as, settings):
    client_as(team.owner).post(url(team), {"name": "gpu"}, format="json")
    graph = GraphBuilder().node("load", "sample_dataset").keys("load", compute_target="gpu").build()
    pipeline = pipeline_create(team.workspace, "On GPU", team.owner, graph=graph)

    response = client_as(team.contributor).post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")

    assert response.status_code == 201, response.json()
    run = Run.objects.get(pk=response.json()["id"])
    [step] = client_as(team.reader).get(f"/api/runs/{run.pk}/").json()["steps"]
    assert (step["status"], step["compute_target"]) == ("queued", "gpu")
    assert step["waiting"] == "waiting: no worker for target gpu"
    assert run.steps.get().queue == "research.gpu"
