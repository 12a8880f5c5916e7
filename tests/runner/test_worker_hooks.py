"""What the worker's pool processes set up for themselves."""

import pytest
from django.db import connection

from runner.celery_hooks import _relax_commits

pytestmark = pytest.mark.django_db


def show_synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


def test_a_pool_process_commits_without_waiting_for_the_flush():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL session setting")
    connection.ensure_connection()
    try:
        _relax_commits(sender=None, connection=connection)
        assert show_synchronous_commit() == "off"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
