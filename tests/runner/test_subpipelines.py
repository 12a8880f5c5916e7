"""A run of a pipeline with a group: each inner node is a step of its own, cached on its own.

Tasks run inline (eager mode) and steps in forked children, as in test_execution.py.
"""

import pytest

from designer.pipelines.drafts import version_record
from runner.models import Run
from runner.options import RunOptions
from runner.submit import run_submit
from tests.group_graphs import prep_group
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]

STEPS = ["load", "prep:columns", "prep:echo", "split"]


def outcomes(run: Run) -> dict[str, str]:
    run.refresh_from_db()
    return {step.node_id: step.status for step in run.steps.all()}


def test_a_run_with_a_group_runs_every_inner_node_as_a_step(team):
    run = run_submit(version_of(team, prep_group()), team.owner)

    assert outcomes(run) == dict.fromkeys(STEPS, "completed")
    assert run.status == "completed"
    echo = run.steps.get(node_id="prep:echo")
    assert set(echo.outputs) == {"dataset"}


def test_a_rerun_is_served_from_the_cache_node_by_node(team):
    first = run_submit(version_of(team, prep_group()), team.owner)

    second = run_submit(first.version, team.owner)

    assert outcomes(second) == dict.fromkeys(STEPS, "cached")


def test_a_change_inside_the_group_reruns_that_node_and_what_follows(team):
    first = run_submit(version_of(team, prep_group()), team.owner)
    changed = prep_group()
    changed["nodes"][1]["group"]["nodes"][0]["parameters"]["columns"] = ["petal width (cm)", "target"]

    second = run_submit(version_record(first.pipeline, changed, team.owner), team.owner)

    statuses = outcomes(second)
    assert statuses["load"] == "cached"
    assert statuses["prep:columns"] == statuses["prep:echo"] == statuses["split"] == "completed"


def test_running_up_to_the_group_runs_only_its_inner_steps_and_their_ancestors(team):
    run = run_submit(version_of(team, prep_group()), team.owner, RunOptions(up_to="prep"))

    assert outcomes(run) == dict.fromkeys(["load", "prep:columns", "prep:echo"], "completed")
