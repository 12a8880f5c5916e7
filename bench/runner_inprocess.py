"""The runner's own cost per step, without a broker: worker-side work of W1/W2 runs, in this process.

    .venv/bin/python bench/runner_inprocess.py [--database sqlite|postgres] [--shape chain|fan]
        [--width 50] [--runs 5] [--profile] [--queries]

Submits a run (its tasks go to an in-memory broker nobody reads), then plays the worker: runs
each task sent with `step_execute`, as the Celery
task does (a chain runs as one call: the worker keeps each successor), until the run ends.
Prints CPU and wall milliseconds per step (and, on PostgreSQL, the CPU its backend process
spent on this session's statements); `--queries` prints the SQL statements of one run,
grouped, `--profile` the functions that take the most time (cProfile, cumulative). Figures
only: never part of the tests.

PostgreSQL: the database trellis_inprocess on 127.0.0.1:5432 (created if missing).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "trellis_inprocess"
POSTGRES = f"postgres://postgres:trellis@127.0.0.1:5432/{DATABASE}"


def configure(database: str, redis: str | None = None) -> None:
    data = tempfile.mkdtemp(prefix="trellis-inprocess-")
    os.environ |= {
        "TRELLIS_DATA_DIR": data,
        "TRELLIS_MODULE_PACKAGES": "bench.bench_modules",
        "CELERY_BROKER_URL": "memory://localhost/",
        "DJANGO_SETTINGS_MODULE": "designer.settings",
    }
    os.environ.pop("TRELLIS_REDIS_URL", None)
    if redis:
        os.environ["TRELLIS_REDIS_URL"] = redis
    if database == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres:trellis@127.0.0.1:5432/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                connection.execute(f'CREATE DATABASE "{DATABASE}"')
        os.environ["DATABASE_URL"] = POSTGRES
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--shape", choices=["chain", "fan", "w3"], default="chain")
    parser.add_argument("--rows", type=int, default=50_000, help="W3's table")
    parser.add_argument("--width", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--redis", help="live events onto this Redis channel layer (production), e.g. redis://127.0.0.1:6379/11"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile, cumulative, of our own code")
    parser.add_argument("--cpu", action="store_true", help="profile CPU time instead of wall time")
    parser.add_argument("--self-time", action="store_true", help="also the functions by their own time")
    parser.add_argument("--callers", help="also who calls the functions matching this pattern")
    parser.add_argument("--profile-out", type=Path, help="also write the profile there (pstats), to compare two")
    parser.add_argument("--queries", action="store_true", help="the statements of one run, grouped")
    arguments = parser.parse_args()
    configure(arguments.database, arguments.redis)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import workloads
    from bench.trellis_driver import version_of
    from runner import progress
    from runner.execute import step_execute
    from runner.models import RUN_ACTIVE
    from runner.submit import run_submit

    workload = workloads.Workload("W", "chain" if arguments.shape == "w3" else arguments.shape, arguments.width)

    def graph() -> dict:
        if arguments.shape == "w3":  # a new seed each run: nothing comes from the cache
            return workloads.ml_graph(arguments.rows, uuid.uuid4().int % 100_000)
        return workloads.trellis_graph(workload, f"-{uuid.uuid4().hex[:8]}")

    # The tasks as sent (still sent, to the in-memory broker: sending is part of the cost), so
    # that each runs as on a worker.
    sent: list[int] = []
    send = progress._enqueue

    def send_and_note(step_id: int, queue: str) -> None:
        send(step_id, queue)
        sent.append(step_id)

    progress._enqueue = send_and_note

    # CPU of this process and of its PostgreSQL backend while each run is created (pipeline,
    # version, run and step rows, first dispatch), apart from its steps.
    creating: list[tuple[float, float]] = []
    backend = _backend_cpu_reader(connection)

    def one_run() -> int:
        started_cpu, started_server = time.process_time(), backend()
        version = version_of("inprocess", graph())
        run = run_submit(version, None)
        creating.append((time.process_time() - started_cpu, backend() - started_server))
        while run.status in RUN_ACTIVE:
            if not sent:
                raise RuntimeError(f"run {run.pk} is {run.status} with nothing queued")
            tasks = sent[:]
            sent.clear()
            for step_id in tasks:
                step_execute(step_id, worker="inprocess")
            run.refresh_from_db(fields=["status"])
        if run.status != "completed":
            raise RuntimeError(f"run {run.pk} ended {run.status}: {run.error}")
        steps = list(run.steps.all())
        if arguments.shape == "w3":
            spans = {step.node_id: (step.finished_at - step.started_at).total_seconds() for step in steps}
            print("  ".join(f"{node} {seconds * 1000:.0f}" for node, seconds in spans.items()), "ms")
        return len(steps)

    one_run()  # warm: plan cache, imports, connection
    if arguments.queries:
        with CaptureQueriesContext(connection) as captured:
            steps = one_run()
        shapes = collections.Counter(_shape(query["sql"]) for query in captured.captured_queries)
        print(f"{len(captured.captured_queries)} statements, {len(captured.captured_queries) / steps:.1f} per step")
        for sql, count in shapes.most_common(40):
            print(f"{count:>6} {count / steps:>6.2f}/step  {sql[:150]}")
        return
    timer = time.process_time if arguments.cpu else time.perf_counter
    profiler = cProfile.Profile(timer) if arguments.profile else None
    cpu, wall, server = [], [], []
    creating.clear()
    for _ in range(arguments.runs):
        started_cpu, started, started_server = time.process_time(), time.perf_counter(), backend()
        if profiler:
            profiler.enable()
        steps = one_run()
        if profiler:
            profiler.disable()
        cpu.append((time.process_time() - started_cpu) * 1000 / steps)
        wall.append((time.perf_counter() - started) * 1000 / steps)
        server.append((backend() - started_server) * 1000 / steps)
    cpu.sort()
    wall.sort()
    server.sort()
    # The database session's own CPU (PostgreSQL: its backend process; SQLite runs in this one).
    session = (
        f", PostgreSQL backend CPU {server[len(server) // 2]:.2f} ms/step" if arguments.database == "postgres" else ""
    )
    print(
        f"{arguments.database} {arguments.shape} {steps} steps, {arguments.runs} runs: "
        f"CPU {cpu[len(cpu) // 2]:.2f} ms/step (min {cpu[0]:.2f}), wall {wall[len(wall) // 2]:.2f} ms/step{session}"
    )
    client_part, server_part = (sum(part) * 1000 / len(creating) / steps for part in zip(*creating, strict=True))
    print(
        f"  of which creating the run (pipeline, version, run and step rows, first dispatch): CPU {client_part:.2f}"
        + (f", PostgreSQL backend {server_part:.2f}" if arguments.database == "postgres" else "")
        + " ms/step (mean)"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"runner/|designer/|modules/", 45)
        if arguments.profile_out:
            stats.dump_stats(arguments.profile_out)
        if arguments.self_time:
            stats.sort_stats("tottime").print_stats(30)
        if arguments.callers:
            stats.print_callers(arguments.callers)


def _backend_cpu_reader(connection) -> Callable[[], float]:
    """Seconds of CPU the connection's PostgreSQL backend process has used (0 on SQLite)."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    ticks = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    return used


def _shape(sql: str) -> str:
    """The statement with its literals taken out, so repeats of one query count together."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(…)", sql)


if __name__ == "__main__":
    main()
