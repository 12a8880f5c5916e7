"""The retention rules applied to real runs: whose outputs are released, what that changes, what stays.

Tasks run inline (eager mode) and steps in forked children, as in test_caching.py.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from designer.pipelines.drafts import version_record
from runner.housekeeping import artifacts_collect
from runner.models import CacheEntry, Run, StepRun
from runner.release import run_keep_set, workspace_retention_set
from runner.state import output_preview
from runner.submit import run_retry, run_submit
from tests.graphs import GraphBuilder, load_and_split
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]


@pytest.fixture(autouse=True)
def keep_only_the_last_run(settings: Any) -> None:
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 0, 1


def rerun(earlier: Run, document: dict[str, Any], user: Any) -> Run:
    run = run_submit(version_record(earlier.pipeline, document, user), user)
    run.refresh_from_db()
    return run


def step(run: Run, node: str) -> StepRun:
    return run.steps.get(node_id=node)


def test_a_run_outside_the_rules_is_released_but_what_a_kept_run_reused_stays(team):
    first = run_submit(version_of(team, load_and_split(0.8)), team.owner)
    second = rerun(first, load_and_split(0.6), team.owner)  # reuses load from run 1; split runs
    assert step(second, "load").cached_from == step(first, "load")
    before = step(first, "split")

    report = artifacts_collect()

    assert (report.released_steps, report.released_runs) == (1, 1)
    released, reused = step(first, "split"), step(first, "load")
    assert released.outputs_released_at is not None and reused.outputs_released_at is None
    assert not CacheEntry.objects.filter(step=released).exists()
    assert CacheEntry.objects.filter(step=reused).exists()
    assert step(second, "split").outputs_released_at is None
    # Only bytes go: the run, its status, its steps' logs and the digests they wrote stay.
    first.refresh_from_db()
    assert first.status == "completed" and released.status == "completed"
    assert (released.outputs, released.log, released.reason) == (before.outputs, before.log, before.reason)
    assert set(released.outputs) == {"dataset1", "dataset2"}


def test_a_released_step_previews_as_a_message_and_a_rerun_misses_the_cache_saying_why(team):
    first = run_submit(version_of(team, load_and_split()), team.owner)
    second = rerun(first, load_and_split(0.6), team.owner)
    artifacts_collect()
    released = step(first, "split")
    day = released.outputs_released_at.date().isoformat()

    preview = output_preview(released, "dataset1")

    assert preview["kind"] == "released"
    assert preview["message"] == f"outputs removed by the retention rules on {day}; re-run to regenerate"

    third = rerun(second, load_and_split(0.8), team.owner)  # back to run 1's settings

    assert third.status == "completed"
    assert step(third, "load").status == "cached"
    assert (step(third, "split").status, step(third, "split").reason) == (
        "completed",
        f"parameter fraction 0.6→0.8; earlier outputs removed by the retention rules on {day}",
    )


def test_an_unchanged_rerun_of_a_released_run_says_the_outputs_were_removed(team, settings):
    settings.RETENTION_KEEP_LAST = 0
    first = run_submit(version_of(team, load_and_split()), team.owner)
    artifacts_collect()
    day = timezone.now().date().isoformat()

    again = run_submit(first.version, team.owner)

    again.refresh_from_db()
    assert again.status == "completed"
    assert {s.node_id: s.reason for s in again.steps.all()} == dict.fromkeys(
        ["load", "split"], f"outputs removed by the retention rules on {day}"
    )


def test_a_retry_runs_again_the_steps_whose_outputs_were_released(team, settings):
    settings.RETENTION_KEEP_LAST = 0
    document = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("broken", "fail")
        .edge("load.dataset", "broken.dataset")
        .build()
    )
    failed = run_submit(version_of(team, document), team.owner)
    failed.refresh_from_db()
    assert failed.status == "failed" and step(failed, "load").status == "completed"
    artifacts_collect()

    retry = run_retry(failed, team.owner)

    assert step(retry, "load").status == "completed"  # not "cached (from run 1)": those bytes are released
    assert step(retry, "load").cached_from is None


def test_pinned_runs_and_the_owners_override_keep_outputs(team, settings):
    first = run_submit(version_of(team, load_and_split(0.8)), team.owner)
    second = rerun(first, load_and_split(0.6), team.owner)
    third = rerun(second, load_and_split(0.7), team.owner)
    run_keep_set(first, keep=True)
    workspace_retention_set(team.workspace, keep_days=None, keep_last=2, user=team.owner)

    artifacts_collect()

    assert step(first, "split").outputs_released_at is None  # pinned
    assert step(second, "split").outputs_released_at is None  # one of the last two runs
    assert step(third, "split").outputs_released_at is None
    assert not StepRun.objects.exclude(outputs_released_at=None).exists()

    workspace_retention_set(team.workspace, keep_days=None, keep_last=None, user=team.owner)  # back to the default
    artifacts_collect()
    assert step(second, "split").outputs_released_at is not None
    assert step(first, "split").outputs_released_at is None


def test_runs_younger_than_the_days_are_kept(team, settings):
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 3, 0
    first = run_submit(version_of(team, load_and_split()), team.owner)

    assert artifacts_collect(now=timezone.now() + timedelta(days=2)).released_steps == 0
    assert artifacts_collect(now=timezone.now() + timedelta(days=4)).released_steps == 2
    assert not StepRun.objects.filter(run=first, outputs_released_at=None).exists()
