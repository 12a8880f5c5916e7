"""The runner's hot reads (runner/reads.py): SQL written once, several statements in one round trip."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from runner.claim import step_claim_next, step_loaded
from runner.events import step_transition
from runner.models import Run, StepRun
from runner.progress import STEP_COLUMNS, STEP_FIELDS, Keeper, Lookahead, run_advance
from runner.reads import Columns, Statement, read_together
from runner.versions import plan_for
from tests.graphs import GraphBuilder, iris_split_graph
from tests.runner.conftest import version_of

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="round trips are PostgreSQL's")


def a_run(team, statuses: dict[str, str]) -> Run:
    version = version_of(team, iris_split_graph())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    for node, status in statuses.items():
        StepRun.objects.create(
            run=run, node_id=node, module=node, module_version="1", queue="q", status=status, log=f"{node} log"
        )
    return run


def test_several_selects_give_each_its_rows_in_one_statement(team):
    run = a_run(team, {"load": "completed", "columns": "pending", "split": "pending"})
    table = StepRun._meta.db_table
    selects = [
        Statement(f"SELECT node_id, status FROM {table} WHERE run_id = %s ORDER BY id", [run.pk]),
        Statement(f"SELECT node_id FROM {table} WHERE run_id = %s AND status = %s", [run.pk, "failed"]),  # no rows
        Statement(f"SELECT status, COUNT(*) FROM {table} WHERE run_id = %s GROUP BY status ORDER BY status", [run.pk]),
    ]

    with CaptureQueriesContext(connection) as statements:
        found = read_together(selects)

    assert found == [
        [("load", "completed"), ("columns", "pending"), ("split", "pending")],
        [],
        [("completed", 1), ("pending", 2)],
    ]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 3)
    assert read_together([]) == []


def test_columns_make_the_instances_the_orm_would(team):
    run = a_run(team, {"load": "pending"})
    later = timezone.now().replace(microsecond=123456) + timedelta(minutes=5)
    StepRun.objects.filter(run=run).update(not_before=later, reason="parameter x 1→2", attempt=2)
    table = StepRun._meta.db_table

    [rows] = read_together([Statement(f"SELECT {STEP_COLUMNS.sql} FROM {table} WHERE run_id = %s", [run.pk])])
    [step] = STEP_COLUMNS.instances(rows)

    expected = StepRun.objects.only(*STEP_FIELDS).get(run=run)
    fields = {name: getattr(step, name) for name in STEP_FIELDS}
    assert fields == {name: getattr(expected, name) for name in STEP_FIELDS}
    assert step.not_before == later and step.not_before.tzinfo is not None
    assert step.get_deferred_fields() == expected.get_deferred_fields()
    assert "log" in step.get_deferred_fields() and step.log == "load log"  # read when asked for, as the ORM does


def test_json_columns_come_back_as_values(team):
    run = a_run(team, {"load": "completed"})
    outputs = {"dataset": {"type": "table", "digest": "d" * 64}}
    StepRun.objects.filter(run=run).update(outputs=outputs, cache_parts={"parameters": {"f": 0.8}})
    columns = Columns(StepRun, ["outputs", "id", "cache_parts"])  # listed in the model's order whatever is given
    table = StepRun._meta.db_table

    [rows] = read_together([Statement(f"SELECT {columns.sql} FROM {table} WHERE run_id = %s", [run.pk])])

    assert columns.names == ["id", "outputs", "cache_parts"]
    assert columns.values(rows[0])[1:] == [outputs, {"parameters": {"f": 0.8}}]


@ON_POSTGRESQL
def test_a_finished_step_readies_and_claims_its_successor_in_three_round_trips(team):
    """Statuses with the successor's row; its cache entry with its node's last run; the claim."""
    run = a_run(team, {"load": "completed", "columns": "pending", "split": "pending"})
    StepRun.objects.filter(run=run, node_id="columns").update(module="select_columns")
    outputs = {"dataset": {"type": "table", "digest": "d" * 64}}
    StepRun.objects.filter(run=run, node_id="load").update(outputs=outputs)
    run = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
    keeper = Keeper("q", "worker-1", outputs={"load": outputs})
    plan_for(run.version)  # read once per process, not per step

    with CaptureQueriesContext(connection) as statements:
        run_advance(run, keeper)

    assert keeper.kept is not None and keeper.kept.node_id == "columns"
    assert keeper.kept.inputs == {"dataset": {"type": "table", "digest": "d" * 64}}
    columns = StepRun.objects.get(run=run, node_id="columns")
    assert columns.inputs == keeper.kept.inputs  # recorded with the claim, for whoever runs it again
    assert (columns.status, columns.worker, columns.reason) == ("running", "worker-1", "never run")
    assert StepRun.objects.get(run=run, node_id="split").status == "pending"
    assert len(statements) == 3, [query["sql"] for query in statements]


@ON_POSTGRESQL
def test_a_completion_reads_what_advancing_needs_so_a_chain_step_costs_two_round_trips(team):
    """The completion carries the statuses, the successor's row, its cache entry and its node's
    last run; the claim is the only other statement."""
    run = a_run(team, {"load": "running", "columns": "pending", "split": "pending"})
    StepRun.objects.filter(run=run, node_id="load").update(attempt=1)
    StepRun.objects.filter(run=run, node_id="columns").update(module="select_columns")
    run = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
    load = StepRun.objects.get(run=run, node_id="load")
    outputs = {"dataset": {"type": "table", "digest": "d" * 64}}
    plan_for(run.version)  # read once per process, not per step

    with CaptureQueriesContext(connection) as statements:
        ahead = Lookahead.after(run, {"load": outputs})
        assert step_transition(load, ["running"], "completed", if_attempt=1, then=ahead.reads, outputs=outputs)
        keeper = Keeper("q", "worker-1", outputs={"load": outputs}, lookahead=ahead)
        run_advance(run, keeper)

    assert keeper.kept is not None and keeper.kept.node_id == "columns"
    columns = StepRun.objects.get(run=run, node_id="columns")
    assert (columns.status, columns.worker, columns.reason) == ("running", "worker-1", "never run")
    assert columns.cache_key == ahead.parts["columns"].key
    assert len(statements) == 2, [query["sql"] for query in statements]
    assert keeper.read_ahead() is None  # used once: a later advance reads anew


def test_reads_after_a_transition_that_did_not_happen_are_not_kept(team):
    run = a_run(team, {"load": "completed", "columns": "pending"})
    run = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
    ahead = Lookahead.after(run, {"load": {"dataset": {"type": "table", "digest": "d" * 64}}})
    stale = StepRun.objects.get(run=run, node_id="load")

    assert step_transition(stale, ["running"], "completed", then=ahead.reads) is False
    assert ahead.reads.rows is None
    assert Keeper("q", "worker-1", lookahead=ahead).read_ahead() is None


def test_a_tasks_step_is_loaded_with_its_run_version_and_pipeline_in_one_statement(team):
    run = a_run(team, {"load": "queued"})
    step = run.steps.get()

    with CaptureQueriesContext(connection) as statements:
        loaded = step_loaded(step.pk)
        assert (loaded.node_id, loaded.status, loaded.queue, loaded.run_id) == ("load", "queued", "q", run.pk)
        assert (loaded.run.number, loaded.run.status, loaded.run.version.digest) == (1, "running", run.version.digest)
        assert loaded.run.pipeline.workspace_id == team.workspace.pk
    assert len(statements) == 1
    assert {"log"} == loaded.get_deferred_fields()
    assert "graph" in loaded.run.version.get_deferred_fields()  # read once per process (runner/versions.py)
    assert loaded.log == "load log"
    assert step_loaded(step.pk + 1000) is None


@ON_POSTGRESQL
def test_a_branch_completion_claims_the_next_queued_step_in_its_one_round_trip(team):
    """A fan-out's branch foresees no successor: its completion claims the oldest queued step of
    the worker's queue instead, which comes back with its run, version, pipeline and inputs."""
    graph = GraphBuilder().node("load", "sample_dataset")
    for branch in ("b0", "b1", "b2"):
        graph.node(branch, "pass_through").edge("load.dataset", f"{branch}.dataset")
    version = version_of(team, graph.build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    loaded = {"dataset": {"type": "table", "digest": "d" * 64}}
    for node, status in [("load", "completed"), ("b0", "running"), ("b1", "queued"), ("b2", "queued")]:
        module = "sample_dataset" if node == "load" else "pass_through"
        outputs, inputs = (loaded, {}) if node == "load" else ({}, loaded)
        StepRun.objects.create(
            run=run, node_id=node, module=module, module_version="1", queue="q", status=status, outputs=outputs,
            inputs=inputs, reason="never run",
        )  # fmt: skip
    StepRun.objects.filter(run=run, node_id="b0").update(attempt=1)
    run = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
    b0 = StepRun.objects.get(run=run, node_id="b0")
    plan_for(run.version)  # read once per process, not per step

    with CaptureQueriesContext(connection) as completing:
        ahead = Lookahead.after(run, {"b0": {}}, b0, "worker-1")
        assert step_transition(b0, ["running"], "completed", if_attempt=1, then=ahead.reads)
        keeper = Keeper("q", "worker-1", outputs={"b0": {}}, lookahead=ahead)
        run_advance(run, keeper)

    assert len(completing) == 1, [query["sql"] for query in completing]
    claimed = keeper.claimed
    assert keeper.kept is None and claimed is not None
    assert (claimed.node_id, claimed.status, claimed.attempt, claimed.worker) == ("b1", "running", 1, "worker-1")
    assert claimed.inputs == loaded and claimed.reason == "never run"
    assert claimed.run.pk == run.pk and claimed.run.pipeline.workspace_id == team.workspace.pk
    assert claimed.run.version.digest == version.digest and "log" in claimed.get_deferred_fields()
    stored = {step.node_id: step for step in StepRun.objects.filter(run=run)}
    assert (stored["b1"].status, stored["b1"].worker, stored["b1"].attempt) == ("running", "worker-1", 1)
    assert stored["b1"].started_at == claimed.started_at == stored["b1"].heartbeat_at
    assert stored["b2"].status == "queued"
    assert Run.objects.get(pk=run.pk).event_seq == 2  # the completion's event and the claim's


@ON_POSTGRESQL
def test_a_completion_that_did_not_happen_claims_nothing(team):
    """Every statement of the completion's string runs; the claim checks that the completion did."""
    run = a_run(team, {"load": "running", "columns": "queued", "split": "queued"})
    run = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
    stale = StepRun.objects.get(run=run, node_id="load")  # at attempt 0, while the step is at attempt 1
    StepRun.objects.filter(pk=stale.pk).update(attempt=1)
    plan_for(run.version)

    ahead = Lookahead.after(run, {"load": {}}, stale, "worker-1")
    assert step_transition(stale, ["running"], "completed", if_attempt=0, then=ahead.reads) is False

    assert sorted(StepRun.objects.filter(run=run).values_list("node_id", "status")) == [
        ("columns", "queued"), ("load", "running"), ("split", "queued")
    ]  # fmt: skip
    assert Run.objects.get(pk=run.pk).event_seq == 0


def test_taking_the_next_queued_step_claims_the_oldest_with_its_inputs(
    team, run_events, django_capture_on_commit_callbacks
):
    run = a_run(team, {"load": "completed", "columns": "queued", "split": "queued"})
    inputs = {"dataset": {"type": "table", "digest": "d" * 64}}
    StepRun.objects.filter(run=run, status="queued").update(inputs=inputs)
    StepRun.objects.filter(run=run, node_id="split").update(queue="elsewhere")
    run_events.follow(run.pk)

    with CaptureQueriesContext(connection) as claiming, django_capture_on_commit_callbacks(execute=True):
        claimed = step_claim_next(run, "q", "worker-1")

    assert claimed is not None and (claimed.node_id, claimed.status, claimed.inputs) == ("columns", "running", inputs)
    assert len(claiming) == (1 if connection.vendor == "postgresql" else 3)
    [event] = run_events.received(1)
    assert (event["node"], event["status"], event["seq"]) == ("columns", "running", 1)
    assert event["started_at"] == claimed.started_at.isoformat()
    assert step_claim_next(run, "q", "worker-1") is None  # split waits on another queue
