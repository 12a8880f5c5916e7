"""Reuse of step outputs: what is cached, what runs again, and the reason given for each.

Tasks run inline (eager mode) and steps in forked children, as in test_execution.py.
"""

from typing import Any

import pytest
from django.db import transaction

from designer.pipelines.drafts import pipeline_create, version_record
from designer.workspaces.access import workspace_create
from runner.models import CacheEntry, Run
from runner.options import RunOptions
from runner.state import run_snapshot
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]


def chain(dataset: str = "iris", fraction: float = 0.8, **echo_keys: Any) -> dict[str, Any]:
    """load -> echo (pass_through) -> split."""
    document = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset=dataset)
        .node("echo", "pass_through")
        .node("split", "split_data", fraction=fraction, seed=1)
        .edge("load.dataset", "echo.dataset")
        .edge("echo.dataset", "split.dataset")
        .build()
    )
    document["nodes"][1].update(echo_keys)
    return document


def rerun(first: Run, document: dict[str, Any], user: Any, options: RunOptions | None = None) -> Run:
    """A run of `document` as a new version of the first run's pipeline."""
    run = run_submit(version_record(first.pipeline, document, user), user, options)
    run.refresh_from_db()
    return run


def outcomes(run: Run) -> dict[str, tuple[str, str]]:
    return {step.node_id: (step.status, step.reason) for step in run.steps.all()}


def test_an_unchanged_rerun_is_served_entirely_from_the_cache(team):
    first = run_submit(version_of(team, chain()), team.owner)
    assert outcomes(first) == dict.fromkeys(["load", "echo", "split"], ("completed", "never run"))
    assert CacheEntry.objects.count() == 3

    second = run_submit(first.version, team.owner)

    second.refresh_from_db()
    assert second.status == "completed" and second.error == ""
    assert second.started_at == second.finished_at or second.started_at < second.finished_at
    assert outcomes(second) == dict.fromkeys(["load", "echo", "split"], ("cached", "cached (from run 1)"))
    for step in second.steps.all():
        producer = first.steps.get(node_id=step.node_id)
        assert step.cached_from_id == producer.pk and step.outputs == producer.outputs
        assert step.attempt == 0 and step.log == ""  # nothing ran: pass_through printed nothing
    assert CacheEntry.objects.count() == 3
    echo = next(step for step in run_snapshot(second)["steps"] if step["node"] == "echo")
    assert echo["cached_from"] == {"run": 1, "node": "echo"} and echo["status"] == "cached"


def test_a_changed_parameter_reruns_that_step_and_says_why(team):
    first = run_submit(version_of(team, chain()), team.owner)

    second = rerun(first, chain(fraction=0.6), team.owner)

    assert second.status == "completed"
    assert outcomes(second) == {
        "load": ("cached", "cached (from run 1)"),
        "echo": ("cached", "cached (from run 1)"),
        "split": ("completed", "parameter fraction 0.8→0.6"),
    }


def test_a_changed_upstream_step_reruns_everything_downstream(team):
    first = run_submit(version_of(team, chain()), team.owner)

    second = rerun(first, chain(dataset="wine"), team.owner)

    assert outcomes(second) == {
        "load": ("completed", "parameter dataset iris→wine"),
        "echo": ("completed", "input dataset changed"),
        "split": ("completed", "input dataset changed"),
    }
    assert second.steps.get(node_id="echo").log.endswith(" rows 178\n")


def test_going_back_to_an_earlier_setting_reuses_its_outputs(team):
    first = run_submit(version_of(team, chain()), team.owner)
    rerun(first, chain(fraction=0.6), team.owner)

    third = rerun(first, chain(fraction=0.8), team.owner)

    assert outcomes(third)["split"] == ("cached", "cached (from run 1)")


def test_a_node_with_reuse_off_always_runs_and_its_successors_may_still_be_cached(team):
    first = run_submit(version_of(team, chain(allow_reuse=False)), team.owner)

    second = run_submit(first.version, team.owner)

    second.refresh_from_db()
    assert outcomes(second) == {
        "load": ("cached", "cached (from run 1)"),
        "echo": ("completed", "reuse off"),
        "split": ("cached", "cached (from run 1)"),  # echo wrote the same bytes, so the same digest
    }
    assert second.steps.get(node_id="echo").log.startswith("pid ")


def test_regenerate_runs_every_step_and_becomes_the_cached_source(team):
    first = run_submit(version_of(team, chain()), team.owner)

    second = run_submit(first.version, team.owner, RunOptions(regenerate=True))
    third = run_submit(first.version, team.owner)

    second.refresh_from_db()
    third.refresh_from_db()
    assert outcomes(second) == dict.fromkeys(["load", "echo", "split"], ("completed", "regenerate all outputs"))
    assert outcomes(third) == dict.fromkeys(["load", "echo", "split"], ("cached", "cached (from run 2)"))


def test_a_failed_step_is_not_cached_and_its_retry_says_so(team):
    graph = GraphBuilder().node("load", "sample_dataset").node("broken", "fail").edge("load.dataset", "broken.dataset")
    first = run_submit(version_of(team, graph.build()), team.owner)

    second = run_submit(first.version, team.owner)

    second.refresh_from_db()
    assert second.status == "failed"
    assert outcomes(second) == {"load": ("cached", "cached (from run 1)"), "broken": ("failed", "last run failed")}


def test_a_cached_step_announces_status_cached_with_its_reason(team, run_events):
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run_submit(version, team.owner)

    with transaction.atomic():
        run = run_submit(version, team.owner)
        run_events.follow(run.pk)

    run.refresh_from_db()
    events = run_events.received(run.event_seq)
    assert [(event["type"], event["status"]) for event in events] == [
        ("run", "queued"),
        ("step", "cached"),
        ("run", "completed"),
    ]
    assert events[1]["reason"] == "cached (from run 1)" and events[1]["node"] == "load"


def test_a_module_that_is_not_deterministic_never_reuses(team):
    document = (
        GraphBuilder()
        .node("noise", "random_rows", rows=3)
        .node("echo", "pass_through")
        .edge("noise.dataset", "echo.dataset")
        .build()
    )
    first = run_submit(version_of(team, document), team.owner)

    second = run_submit(first.version, team.owner)

    second.refresh_from_db()
    assert outcomes(second) == {
        "noise": ("completed", "reuse off (not deterministic)"),
        "echo": ("completed", "input dataset changed"),
    }
    assert not CacheEntry.objects.filter(step__node_id="noise").exists()


def test_the_cache_is_kept_per_workspace(team):
    document = chain()
    run_submit(version_of(team, document), team.owner)
    elsewhere = workspace_create("Elsewhere", team.owner)

    other = run_submit(version_record(pipeline_create(elsewhere, "Copy", team.owner), document, team.owner), None)

    other.refresh_from_db()
    assert outcomes(other) == dict.fromkeys(["load", "echo", "split"], ("completed", "never run"))
    assert CacheEntry.objects.filter(workspace=elsewhere).count() == 3


def fan(fractions: dict[str, float]) -> dict[str, Any]:
    """load -> one split_data per entry of `fractions`, all ready together once load is done."""
    builder = GraphBuilder().node("load", "sample_dataset", dataset="iris")
    for node, fraction in fractions.items():
        builder = builder.node(node, "split_data", fraction=fraction, seed=1).edge("load.dataset", f"{node}.dataset")
    return builder.build()


def test_steps_ready_together_are_decided_each_on_its_own(team):
    first = run_submit(version_of(team, fan({"a": 0.8, "b": 0.75, "c": 0.7})), team.owner)
    assert outcomes(first) == dict.fromkeys(["load", "a", "b", "c"], ("completed", "never run"))

    second = rerun(first, fan({"a": 0.8, "b": 0.6, "c": 0.7, "d": 0.5}), team.owner)

    assert second.status == "completed"
    assert outcomes(second) == {
        "load": ("cached", "cached (from run 1)"),
        "a": ("cached", "cached (from run 1)"),
        "b": ("completed", "parameter fraction 0.75→0.6"),
        "c": ("cached", "cached (from run 1)"),
        "d": ("completed", "never run"),
    }
    reused = {step.node_id: step.cached_from_id for step in second.steps.filter(status="cached")}
    assert reused == {node: first.steps.get(node_id=node).pk for node in ("load", "a", "c")}
