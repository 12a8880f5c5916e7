"""Processes finishing upstream steps at once all try to dispatch the successors: each is queued once,
and a batch sends as many tasks as the queue's workers run steps at once (at least one)."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.db.models import F

from runner import workers
from runner.cancel import run_cancel
from runner.claim import step_claim_next
from runner.events import step_transition
from runner.models import Run, StepRun
from runner.progress import Keeper, Lookahead, run_advance, step_dispatch, steps_queue
from tests.graphs import GraphBuilder
from tests.runner.conftest import task_of, version_of

pytestmark = pytest.mark.django_db(transaction=True)
CONTENDERS = 4
CANCEL_HEAD_START = 1.0  # seconds the dispatch holds its steps while the cancel starts


def race(load: Callable[[], object], contend: Callable[[object], None]) -> None:
    """CONTENDERS threads each `load` what they contend for, then all `contend` at the same moment."""
    barrier = threading.Barrier(CONTENDERS)

    def contender() -> None:
        try:
            stale = load()  # each loads it while it is still pending
            barrier.wait()
            contend(stale)
        finally:
            connection.close()  # each thread has its own connection; the test database must drop later

    threads = [threading.Thread(target=contender) for _ in range(CONTENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_racing_dispatches_send_one_task(team, broker_queue):
    queue, broker = broker_queue
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1)
    step = StepRun.objects.create(run=run, node_id="load", module="sample_dataset", module_version="1", queue=queue)
    wins: list[bool] = []

    race(lambda: StepRun.objects.get(pk=step.pk), lambda stale: wins.append(step_dispatch(stale)))

    assert sorted(wins) == [False] * (CONTENDERS - 1) + [True]
    assert StepRun.objects.get(pk=step.pk).status == "queued"
    assert Run.objects.get(pk=run.pk).event_seq == 1
    assert broker.llen(queue) == 1


def reference_of(node: str) -> dict[str, dict[str, str]]:
    return {"dataset": {"type": "table", "digest": f"digest-of-{node}"}}


def test_racing_bulk_dispatches_queue_each_step_once_send_a_task_per_batch_and_number_their_events(
    team, broker_queue, run_events
):
    queue, broker = broker_queue
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1)
    nodes = [f"n{index}" for index in range(5)]
    for node in nodes:
        StepRun.objects.create(run=run, node_id=node, module="sample_dataset", module_version="1", queue=queue)
    run_events.follow(run.pk)
    queued: list[list[str]] = []

    def queue_all(stale: list[StepRun]) -> None:
        changes = [
            (step, {"reason": f"reason of {step.node_id}", "inputs": reference_of(step.node_id)}) for step in stale
        ]
        queued.append([step.node_id for step in steps_queue(run, changes)])

    race(lambda: list(StepRun.objects.filter(run=run).order_by("id")), queue_all)

    assert sorted(node for won in queued for node in won) == nodes  # each step moved exactly once
    steps = StepRun.objects.filter(run=run).order_by("id")
    assert [(step.status, step.reason, step.inputs, step.worker) for step in steps] == [
        ("queued", f"reason of {node}", reference_of(node), "") for node in nodes
    ]
    assert all(step.queued_at is not None for step in steps)
    assert Run.objects.get(pk=run.pk).event_seq == len(nodes)
    # Nobody serves the queue: each batch that queued steps sends one task, for its first step
    # (whoever takes it runs the others too: runner/execute.py).
    by_node = {step.node_id: step for step in steps}
    firsts = [by_node[won[0]] for won in queued if won]
    tasks = [task_of(message) for message in broker.lrange(queue, 0, -1)]
    assert sorted(tasks) == sorted(([step.pk], {}) for step in firsts)
    events = run_events.received(len(nodes))
    assert [event["seq"] for event in events] == [1, 2, 3, 4, 5]
    assert [(event["node"], event["status"], event["reason"]) for event in events] == [
        (node, "queued", f"reason of {node}") for node in nodes
    ]


def test_a_batch_sends_as_many_tasks_as_the_queues_live_workers_run_steps_at_once(team, broker_queue, monkeypatch):
    queue, broker = broker_queue
    monkeypatch.setattr(workers, "_served_cache", None)  # what another test's dispatch remembered
    workers.worker_started("two@test", [queue], concurrency=2)
    workers.worker_started("one@test", [queue, "elsewhere"], concurrency=1)
    workers.worker_stopped("one@test")  # stopped: not serving any more
    workers.worker_started("three@test", [queue], concurrency=1)
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1)
    steps = [
        StepRun.objects.create(run=run, node_id=f"n{index}", module="sample_dataset", module_version="1", queue=queue)
        for index in range(5)
    ]

    queued = steps_queue(run, [(step, {}) for step in steps])

    assert [step.status for step in queued] == ["queued"] * 5
    assert sorted(task_of(message)[0] for message in broker.lrange(queue, 0, -1)) == [[step.pk] for step in steps[:3]]


def test_a_cancel_waits_for_a_dispatch_in_flight_instead_of_deadlocking(team):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite locks the whole database instead")
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    steps = [
        StepRun.objects.create(run=run, node_id=node, module="sample_dataset", module_version="1", queue="nowhere")
        for node in ("a", "b")
    ]
    dispatching, canceled = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def dispatch() -> None:  # a bulk transition: locks its steps, then (after a while) the run's event number
        try:
            with transaction.atomic():
                StepRun.objects.filter(pk__in=[step.pk for step in steps]).update(reason="being queued")
                dispatching.set()
                canceled.wait(CANCEL_HEAD_START)  # the cancel starts meanwhile, and must not take the run
                Run.objects.filter(pk=run.pk).update(event_seq=F("event_seq") + 1)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def cancel() -> None:
        dispatching.wait()
        try:
            run_cancel(Run.objects.get(pk=run.pk))
            canceled.set()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch), threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []  # with the run locked first, PostgreSQL aborted one of them as a deadlock
    assert Run.objects.get(pk=run.pk).status == "canceled"
    assert [(step.status, step.reason) for step in StepRun.objects.filter(run=run).order_by("id")] == [
        ("canceled", "being queued")
    ] * 2


def test_a_join_is_started_when_its_last_two_inputs_complete_at_once(team, broker_queue):
    """Of two completions racing, the one that waits for the other's lock on the run must see it
    done: its reads, though sent with its completion, run after that lock is theirs.

    `a` feeds `next` too, so its completion foresees a key and reads with it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite locks the whole database instead")
    queue, _ = broker_queue
    graph = (
        GraphBuilder()
        .node("a", "sample_dataset")
        .node("b", "sample_dataset")
        .node("join", "add_rows")
        .node("next", "pass_through")
        .edge("a.dataset", "join.first")
        .edge("b.dataset", "join.second")
        .edge("a.dataset", "next.dataset")
        .build()
    )
    version = version_of(team, graph)
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    steps = [("a", "sample_dataset", "running"), ("b", "sample_dataset", "running"), ("join", "add_rows", "pending")]
    for node, module, status in [*steps, ("next", "pass_through", "pending")]:
        on = queue if node == "next" else "q"  # the join is the one worker a keeps
        StepRun.objects.create(
            run=run, node_id=node, module=module, module_version="1", queue=on, status=status, attempt=1
        )
    outputs = {node: {"dataset": {"type": "table", "digest": node * 64}} for node in ("a", "b")}
    b_holds_the_run, release_b = threading.Event(), threading.Event()
    kept: list[str | None] = []
    errors: list[Exception] = []

    def complete_b() -> None:  # completed, and the run's row locked, until released
        try:
            with transaction.atomic():
                b = StepRun.objects.get(run=run, node_id="b")
                step_transition(b, ["running"], "completed", if_attempt=1, outputs=outputs["b"])
                b_holds_the_run.set()
                release_b.wait(10)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def complete_a() -> None:
        try:
            loaded = Run.objects.select_related("version", "pipeline").get(pk=run.pk)
            a = StepRun.objects.get(run=run, node_id="a")
            ahead = Lookahead.after(loaded, {"a": outputs["a"]})
            assert ahead is not None and list(ahead.parts) == ["next"]
            step_transition(a, ["running"], "completed", if_attempt=1, then=ahead.reads, outputs=outputs["a"])
            keeper = Keeper("q", "worker-a", outputs={"a": outputs["a"]}, lookahead=ahead)
            run_advance(loaded, keeper)
            kept.append(keeper.kept.node_id if keeper.kept else None)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=complete_b)
    holder.start()
    assert b_holds_the_run.wait(10)
    completer = threading.Thread(target=complete_a)
    completer.start()
    waiting_for_a_lock(count=1)
    release_b.set()
    for thread in (holder, completer):
        thread.join()

    assert errors == []
    assert kept == ["join"]
    statuses = dict(StepRun.objects.filter(run=run).values_list("node_id", "status"))
    assert (statuses["join"], statuses["next"]) == ("running", "queued")


def waiting_for_a_lock(count: int, seconds: float = 10.0) -> None:
    """Until `count` sessions of this database wait for a lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.01)
    raise AssertionError(f"no {count} sessions waited for a lock within {seconds} s")


def test_workers_taking_the_next_queued_step_at_once_each_take_another(team):
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    waiting = CONTENDERS - 1
    for index in range(waiting):
        StepRun.objects.create(
            run=run, node_id=f"n{index}", module="sample_dataset", module_version="1", queue="q", status="queued"
        )
    taken: list[str | None] = []

    race(lambda: None, lambda _: taken.append(getattr(step_claim_next(run, "q", "racer"), "node_id", None)))

    assert sorted(taken, key=str) == [None] + [f"n{index}" for index in range(waiting)]  # each taken once
    steps = StepRun.objects.filter(run=run)
    assert {(step.status, step.attempt, step.worker) for step in steps} == {("running", 1, "racer")}
    assert Run.objects.get(pk=run.pk).event_seq == waiting
