"""Per-step timeouts and retries, and what a failure does to the rest of the run (continue_on_failure)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from runner.models import Run, StepRun
from runner.options import RunOptions
from runner.progress import run_advance
from runner.retry import RetryPolicy
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]


def with_keys(document, node_id, **keys):
    next(node for node in document["nodes"] if node["id"] == node_id).update(keys)
    return document


def test_a_step_past_its_timeout_is_stopped_and_fails(team):
    graph = GraphBuilder().node("load", "sample_dataset").node("nap", "sleep", seconds=30.0)
    document = with_keys(graph.edge("load.dataset", "nap.dataset").build(), "nap", timeout_seconds=0.5)
    began = time.monotonic()

    run = run_submit(version_of(team, document), team.owner)

    run.refresh_from_db()
    assert time.monotonic() - began < 10
    assert (run.status, run.error) == ("failed", "step nap failed: timed out after 0.5 s")
    assert run.steps.get(node_id="nap").log.endswith("[timed out after 0.5 s: the step was stopped]\n")


def test_a_failing_step_is_retried_after_a_growing_backoff_then_fails(team):
    graph = GraphBuilder().node("load", "sample_dataset").node("broken", "fail", message="flaky")
    document = graph.edge("load.dataset", "broken.dataset").build()
    with_keys(document, "broken", retries=2, retry_backoff_seconds=0.2)
    began = time.monotonic()

    run = run_submit(version_of(team, document), team.owner)

    run.refresh_from_db()
    broken = run.steps.get(node_id="broken")
    assert time.monotonic() - began >= 0.6  # waited 0.2 s, then 0.4 s
    assert (run.status, broken.status, broken.attempt) == ("failed", "failed", 3)
    assert broken.reason == "never run; retry 2 of 2" and broken.error.startswith("flaky")


def test_the_retry_policy_doubles_its_wait_and_ignores_nonsense():
    policy = RetryPolicy.of_node({"retries": 3, "retry_backoff_seconds": 2})
    assert [policy.delay(attempt) for attempt in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, None]
    assert RetryPolicy.of_node({"retries": "many", "retry_backoff_seconds": -1}) == RetryPolicy()
    assert RetryPolicy().delay(1) is None


def test_a_step_backing_off_is_not_dispatched_before_its_time(team):
    run = run_submit(version_of(team, GraphBuilder().node("load", "sample_dataset").build()), team.owner)
    Run.objects.filter(pk=run.pk).update(status="running")
    StepRun.objects.filter(run=run).update(status="pending", not_before=timezone.now() + timedelta(hours=1))

    run_advance(run.pk)

    assert run.steps.get().status == "pending"
    StepRun.objects.filter(run=run).update(not_before=timezone.now() - timedelta(seconds=1))
    run_advance(run.pk)
    assert run.steps.get().status == "completed"


def branches():
    """load -> broken, and load -> a slow independent branch."""
    return (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("broken", "fail")
        .node("nap", "sleep", seconds=0.0)
        .edge("load.dataset", "broken.dataset")
        .edge("load.dataset", "nap.dataset")
        .build()
    )


def test_by_default_a_failure_skips_every_step_not_yet_started(team):
    run = run_submit(version_of(team, branches()), team.owner)  # "broken" is dispatched before "nap"

    assert dict(run.steps.values_list("node_id", "status")) == {
        "load": "completed",
        "broken": "failed",
        "nap": "skipped",
    }


def test_continue_on_failure_lets_independent_branches_finish(team):
    run = run_submit(version_of(team, branches()), team.owner, RunOptions(continue_on_failure=True))

    run.refresh_from_db()
    assert run.status == "failed"
    assert dict(run.steps.values_list("node_id", "status")) == {
        "load": "completed",
        "broken": "failed",
        "nap": "completed",
    }
