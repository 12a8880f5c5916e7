"""The runner in this process: tasks run inline (Celery's eager mode), steps still run in forked children.

Each test submits a real pipeline version and reads the outcome from the database and the live events.
"""

import os

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from runner.claim import step_claim
from runner.events import row_alongside, step_transition
from runner.models import Artifact, CacheEntry, Run, StepRun
from runner.state import output_preview, run_snapshot, step_log
from runner.submit import run_submit
from tests.graphs import GraphBuilder, iris_split_graph
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]


def statuses(run: Run) -> dict[str, str]:
    return dict(run.steps.values_list("node_id", "status"))


def test_a_chain_completes_and_its_outputs_are_previewable(team):
    version = version_of(team, iris_split_graph())

    run = run_submit(version, team.owner)

    run.refresh_from_db()
    assert run.status == "completed"
    assert run.number == 1
    assert run.started_at <= run.finished_at
    assert statuses(run) == {"load": "completed", "columns": "completed", "split": "completed"}
    split = run.steps.get(node_id="split")
    assert set(split.outputs) == {"dataset1", "dataset2"}
    assert output_preview(split, "dataset1")["row_count"] == 120
    assert output_preview(split, "dataset2")["columns"][0]["name"] == "petal length (cm)"
    assert Artifact.objects.filter(digest=split.outputs["dataset1"]["digest"], port_type="table").exists()


def test_events_follow_every_transition_in_order(team, run_events):
    version = version_of(team, GraphBuilder().node("load", "sample_dataset", dataset="wine").build())

    with transaction.atomic():  # holds the events back until we follow the new run
        run = run_submit(version, team.owner)
        run_events.follow(run.pk)

    run.refresh_from_db()
    events = run_events.received(run.event_seq)
    assert [(event["type"], event.get("node"), event["status"]) for event in events] == [
        ("run", None, "queued"),
        ("step", "load", "queued"),
        ("step", "load", "running"),
        ("run", None, "running"),
        ("step", "load", "completed"),
        ("run", None, "completed"),
    ]
    assert [event["seq"] for event in events] == [1, 2, 3, 4, 5, 6]
    assert all(event["run"] == run.pk and event["error"] == "" for event in events)


def test_a_failing_step_fails_the_run_and_skips_what_depends_on_it(team):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("broken", "fail", message="no luck today")
        .node("after", "pass_through")
        .node("beside", "pass_through")
        .edge("load.dataset", "broken.dataset")
        .edge("broken.dataset", "after.dataset")
        .edge("load.dataset", "beside.dataset")
        .build()
    )

    run = run_submit(version_of(team, graph), team.owner)

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error == "step broken failed: no luck today"
    assert statuses(run) == {"load": "completed", "broken": "failed", "after": "skipped", "beside": "completed"}
    broken = run.steps.get(node_id="broken")
    assert broken.error.startswith("no luck today\n\nTraceback")
    assert "ModuleError: no luck today" in broken.error
    assert "about to fail" in step_log(broken)
    with pytest.raises(LookupError, match="has no outputs"):
        output_preview(broken, "dataset")


def test_a_trusted_step_runs_in_the_worker_process_and_its_output_is_logged(team):
    graph = (
        GraphBuilder().node("load", "sample_dataset").node("echo", "pass_through").edge("load.dataset", "echo.dataset")
    )

    run = run_submit(version_of(team, graph.build()), team.owner)

    log = step_log(run.steps.get(node_id="echo"))
    assert log.startswith("pid ") and log.endswith(" rows 150\n")
    assert int(log.split()[1]) == os.getpid()  # tasks run here (eager), and so did the step


def test_every_step_gets_a_process_of_its_own_when_configured(team, settings):
    settings.FORK_EVERY_STEP = True
    graph = (
        GraphBuilder().node("load", "sample_dataset").node("echo", "pass_through").edge("load.dataset", "echo.dataset")
    )

    run = run_submit(version_of(team, graph.build()), team.owner)

    assert int(step_log(run.steps.get(node_id="echo")).split()[1]) != os.getpid()


def test_a_script_step_always_runs_in_a_process_of_its_own(team):
    script = "\n".join(
        [
            "import os",
            "def azureml_main(dataframe1=None, dataframe2=None):",
            "    print('pid', os.getpid())",
            "    return dataframe1,",
        ]
    )
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("script", "execute_python_script", script=script)
        .edge("load.dataset", "script.dataframe1")
    )

    run = run_submit(version_of(team, graph.build()), team.owner)

    script_step = run.steps.get(node_id="script")
    assert script_step.status == "completed", script_step.error
    assert int(step_log(script_step).split()[1]) != os.getpid()


def test_a_text_port_flows_between_steps(team):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("describe", "describe")
        .node("measure", "read_text")
        .edge("load.dataset", "describe.dataset")
        .edge("describe.summary", "measure.text")
        .build()
    )

    run = run_submit(version_of(team, graph), team.owner)

    describe = run.steps.get(node_id="describe")
    assert output_preview(describe, "summary") == {"kind": "text", "text": "150 rows, 5 columns"}
    assert output_preview(run.steps.get(node_id="measure"), "dataset")["rows"] == [[19]]
    with pytest.raises(LookupError, match="no output port 'nope'"):
        output_preview(describe, "nope")


def test_runs_of_a_pipeline_are_numbered_in_order(team):
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    assert [run_submit(version, team.owner).number for _ in range(3)] == [1, 2, 3]


def test_the_snapshot_shows_the_run_and_each_step(team):
    version = version_of(team, iris_split_graph())
    run = run_submit(version, team.owner)

    snapshot = run_snapshot(run)

    assert snapshot["id"] == run.pk and snapshot["number"] == 1 and snapshot["version"] == version.number
    assert snapshot["pipeline"] == version.pipeline_id
    assert snapshot["status"] == "completed" and snapshot["error"] == ""
    assert snapshot["seq"] == Run.objects.get(pk=run.pk).event_seq
    assert snapshot["finished_at"].startswith(str(run.created_at.year))
    load = snapshot["steps"][0]
    assert load["node"] == "load" and load["module"] == "sample_dataset" and load["version"] == "1"
    assert load["status"] == "completed" and load["attempt"] == 1 and load["error"] == ""
    assert load["outputs"]["dataset"]["type"] == "table"
    assert set(load) == {
        "node",
        "module",
        "version",
        "status",
        "attempt",
        "started_at",
        "finished_at",
        "error",
        "outputs",
        "reason",
        "cached_from",
        "compute_target",
        "worker",
        "waiting",
        "outputs_released_at",
        "progress",
    }
    assert (load["compute_target"], load["waiting"]) == ("default", "")
    assert load["outputs_released_at"] is None and snapshot["keep"] is False
    assert load["reason"] == "never run" and load["cached_from"] is None


def test_of_two_stale_copies_only_one_moves_a_step(team):
    """What keeps two finishing steps from dispatching a successor twice: the update is conditional."""
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1)
    step = StepRun.objects.create(run=run, node_id="load", module="sample_dataset", module_version="1", queue="q")
    first, second = StepRun.objects.get(pk=step.pk), StepRun.objects.get(pk=step.pk)

    assert step_transition(first, ["pending"], "queued") is True
    assert step_transition(second, ["pending"], "queued") is False

    assert StepRun.objects.get(pk=step.pk).status == "queued"
    assert Run.objects.get(pk=run.pk).event_seq == 1


def test_a_workers_first_claim_is_one_statement_on_postgresql(team):
    """A claim moves the step and numbers its event in one round trip: a chain pays it every step."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot update inside WITH: there the claim is two statements")
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    created = StepRun.objects.create(
        run=run, node_id="load", module="sample_dataset", module_version="1", queue="q", status="queued"
    )
    step = StepRun.objects.select_related("run").get(pk=created.pk)

    with CaptureQueriesContext(connection) as statements:
        assert step_claim(step, "worker-1") is True
    stale = StepRun.objects.select_related("run").get(pk=created.pk)
    stale.status, stale.attempt = "queued", 0
    assert step_claim(stale, "worker-2") is False  # the attempt moved on: no second claim, no number

    assert len(statements) == 1, [query["sql"] for query in statements]
    stored = StepRun.objects.get(pk=created.pk)
    assert (stored.status, stored.attempt, stored.worker) == ("running", 1, "worker-1")
    assert Run.objects.get(pk=run.pk).event_seq == 1


def test_a_completion_writes_its_artifacts_and_cache_entry_only_if_it_happens(team):
    """The rows a completion needs stand or fall with it: a stale attempt records nothing, and
    on PostgreSQL transition, records and event number are one statement."""
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    created = StepRun.objects.create(
        run=run, node_id="load", module="sample_dataset", module_version="1", queue="q", status="running", attempt=2
    )
    now = timezone.now()
    outputs = {"dataset": {"type": "table", "digest": "d" * 64}}

    def complete(attempt: int, step_id: int = created.pk, outputs: dict = outputs) -> bool:
        step = StepRun.objects.get(pk=step_id)
        rows = [
            row_alongside(Artifact, {"digest": digest, "port_type": "table", "size": 10, "created_at": now}, ["digest"])
            for digest in ("d" * 64, "e" * 64)
        ]
        entry = {"workspace": team.workspace.pk, "key": "k" * 64, "outputs": outputs, "created_at": now}
        rows.append(row_alongside(CacheEntry, entry, ["workspace", "key"], ["outputs", "step"], step_field="step"))
        return step_transition(step, ["running"], "completed", if_attempt=attempt, alongside=rows, outputs=outputs)

    assert complete(attempt=1) is False  # a reaper gave the step to attempt 2
    assert not Artifact.objects.exists() and not CacheEntry.objects.exists()
    assert Run.objects.get(pk=run.pk).event_seq == 0

    with CaptureQueriesContext(connection) as statements:
        assert complete(attempt=2) is True
    assert sorted(Artifact.objects.values_list("digest", flat=True)) == ["d" * 64, "e" * 64]
    entry = CacheEntry.objects.get()
    assert (entry.key, entry.outputs, entry.step_id) == ("k" * 64, outputs, created.pk)
    assert Run.objects.get(pk=run.pk).event_seq == 1
    if connection.vendor == "postgresql":
        assert len(statements) == 2, [query["sql"] for query in statements]  # the step's load, the transition

    # A twin step with the same key finishing later: its outputs replace the entry's
    twin = StepRun.objects.create(
        run=run, node_id="twin", module="sample_dataset", module_version="1", queue="q", status="running", attempt=1
    )
    twin_outputs = {"dataset": {"type": "table", "digest": "e" * 64}}
    assert complete(attempt=1, step_id=twin.pk, outputs=twin_outputs) is True
    entry = CacheEntry.objects.get()
    assert (entry.outputs, entry.step_id) == (twin_outputs, twin.pk)
    assert Artifact.objects.count() == 2
