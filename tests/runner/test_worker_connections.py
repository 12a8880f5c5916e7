"""A pool process keeps its database connection across tasks, and replaces one that broke."""

import pytest
from django.db import connection

from runner.models import Run
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.celery_workers import run_snapshot, wait_for_end
from tests.runner.conftest import version_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]


def pool_sessions() -> dict[str, int]:
    """Application name of each worker pool process' session -> its PostgreSQL backend pid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name LIKE 'trellis worker %%'"
        )
        return dict(cursor.fetchall())


def run_once(team, label: str) -> Run:
    graph = (
        GraphBuilder()
        .node("rows", "random_rows", rows=3)
        .node("labelled", "record_execution", label=label, journal="/dev/null")
        .edge("rows.dataset", "labelled.dataset")
    )
    run = wait_for_end(run_submit(version_of(team, graph.build(), name=label), team.owner))
    assert run.status == "completed", run_snapshot(run)
    return run


def test_pool_processes_keep_their_sessions_across_tasks(team, on_worker):
    run_once(team, "first")
    after_one = pool_sessions()
    for label in ("second", "third", "fourth"):
        run_once(team, label)
    after_four = pool_sessions()

    assert after_one, "a pool process that ran a step keeps its session open after the task"
    assert {name: after_four[name] for name in after_one} == after_one  # the same sessions, not new ones


def test_a_session_that_broke_is_replaced_before_the_next_task(team, on_worker):
    run_once(team, "before")
    broken = pool_sessions()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", [list(broken.values())])

    run_once(team, "after")  # completes: each task checks its kept session first

    assert broken and not set(pool_sessions().values()) & set(broken.values())
