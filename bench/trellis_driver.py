"""Runs the workloads on Trellis (embedded or production) and hands samples to compare.py.

    .venv/bin/python -m bench.trellis_driver --mode embedded|production --sizes quick|full

compare.py sets the environment (data folder, module package, and for production the database,
broker and channel layer). The driver plays the web process: it submits with `run_submit`, as the
API view does, then polls the run's status in the database, as the CLI does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from bench import workloads  # noqa: E402
from bench.measure import (  # noqa: E402
    CpuMeter,
    ProcessSampler,
    Sample,
    emit,
    log,
    median,
    postgres_backend_of,
    record,
    service_roots,
    wait_for,
)
from designer.pipelines.drafts import pipeline_create, version_record  # noqa: E402
from designer.pipelines.models import PipelineVersion  # noqa: E402
from designer.workspaces.models import Workspace  # noqa: E402
from runner.embedded import start_worker, stop_worker  # noqa: E402
from runner.models import RUN_ACTIVE, Run, RunStatus  # noqa: E402
from runner.submit import run_submit  # noqa: E402

RUN_TIMEOUT = 180.0


class WorkerDied(RuntimeError):
    """The worker process ended during a run (its log is DATA_DIR/worker.log)."""


class Workers:
    """The worker process, restarted when it dies so one crash costs one workload, not the rest."""

    def __init__(self, mode: str, profiler: list[str] | None = None) -> None:
        self.mode = mode
        self.process = start_workers(mode, profiler)

    def meter(self) -> CpuMeter:
        """The worker tree (pool processes and the steps they fork), and in production Redis
        (shared with anything else using it) and the PostgreSQL backends of our database."""
        if self.mode != "production":
            return CpuMeter({"workers": [self.process.pid]})
        database = settings.DATABASES["default"]["NAME"]
        groups = {"workers": [self.process.pid], "redis": service_roots()["redis"]}
        return CpuMeter(groups, {"postgres": ProcessSampler(postgres_backend_of(database))})

    def check(self) -> None:
        if self.process.poll() is not None:
            code = self.process.returncode
            self.process = start_workers(self.mode)
            raise WorkerDied(f"the worker exited with {code} during the run; see {settings.DATA_DIR / 'worker.log'}")


def start_workers(mode: str, profiler: list[str] | None = None) -> subprocess.Popen[bytes]:
    """The embedded worker as Trellis starts it, or a production `celery worker` with 2 pool processes.

    With `profiler` (e.g. ["-m", "pyinstrument", ...]), a single-process (solo pool) worker of
    either mode runs under it instead.
    """
    if mode == "embedded" and profiler is None:
        return start_worker()
    command = [sys.executable, "-m", "celery", "-A", "designer", "worker", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
    command += ["--loglevel", "warning", "--without-mingle", "--without-gossip"]
    command += ["--hostname", f"bench-{uuid.uuid4().hex[:6]}@%h"]
    if profiler is None:
        command += ["--pool", "prefork", "--concurrency", "2"]
    else:
        command = [sys.executable, *profiler, *command[1:], "--pool", "solo"]
    log = (settings.DATA_DIR / "worker.log").open("ab")
    environment = {**os.environ, "CELERY_SKIP_CHECKS": "1"}
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT)


def version_of(name: str, document: dict[str, Any]) -> PipelineVersion:
    workspace, _ = Workspace.objects.get_or_create(name="bench")
    pipeline = pipeline_create(workspace, f"{name}-{uuid.uuid4().hex[:6]}", None, graph=document)
    return version_record(pipeline, document, None)


def wait_finished(run: Run, workers: Workers) -> Run:
    def finished() -> bool:
        workers.check()
        run.refresh_from_db(fields=["status"])
        return run.status not in RUN_ACTIVE

    wait_for(finished, RUN_TIMEOUT, f"run {run.pk}")
    run.refresh_from_db()
    if run.status != RunStatus.COMPLETED:
        raise RuntimeError(f"run {run.pk} ended {run.status}: {run.error}")
    return run


def measure(version: PipelineVersion, workers: Workers) -> Sample:
    meter = workers.meter()
    meter.start()
    client_before = time.process_time()
    started = time.perf_counter()
    run = wait_finished(run_submit(version, None), workers)
    wall = time.perf_counter() - started
    client = time.process_time() - client_before
    cpu = {**meter.stop(), "client": client - meter.overhead}
    ran = [step for step in run.steps.all() if step.started_at and step.finished_at]
    first_start = min((step.started_at for step in ran), default=run.finished_at)
    extra = {
        "startup": (first_start - run.created_at).total_seconds(),
        "run_seconds": (run.finished_at - run.created_at).total_seconds(),
        # claim -> record of each step that ran (fork, module, artifact I/O), summed
        "in_steps": sum((step.finished_at - step.started_at).total_seconds() for step in ran),
    }
    return Sample(wall=wall, cpu=cpu, extra=extra)


def fresh_versions(workload: workloads.Workload, count: int) -> list[PipelineVersion]:
    """`count` versions of the workload whose steps all miss any cache (a salt per version)."""
    salt = uuid.uuid4().hex[:8]
    return [version_of(workload.name, workloads.trellis_graph(workload, f"-{salt}-{n}")) for n in range(count)]


def noop_record(system: str, workload: workloads.Workload, repeats: int, workers: Workers) -> dict[str, Any]:
    """`repeats` samples; a run whose worker dies is counted, the worker restarted, and another run tried."""
    warm_up, *versions = fresh_versions(workload, 1 + 2 * repeats)
    samples, crashes = [], []
    for version in [warm_up, *versions]:
        try:
            sample = measure(version, workers)
        except WorkerDied as error:
            crashes.append(str(error))
            log(f"{system} {workload.name}: {error}")
            continue
        if version is not warm_up:  # the warm-up fills the plan cache, connections, page cache
            samples.append(sample)
        if len(samples) == repeats:
            break
    if not samples:
        raise WorkerDied(crashes[-1])
    log(f"{system} {workload.name}: median {median(s.wall for s in samples):.3f}s")
    return record(system, workload.name, workload.steps, samples, worker_crashes=len(crashes))


def ml_records(system: str, sizes: workloads.Sizes, workers: Workers) -> list[dict[str, Any]]:
    # A new seed per first run, so a cache (when the runner has one) cannot serve it.
    seed_base = int(time.time()) % 100_000
    versions = [version_of("W3", workloads.ml_graph(sizes.rows, seed_base + index)) for index in range(sizes.repeats)]
    first = [measure(version, workers) for version in versions]
    again = [measure(versions[-1], workers) for _ in range(sizes.repeats)]  # the same version, unchanged
    log(f"{system} W3: first {median(s.wall for s in first):.3f}s, re-run {median(s.wall for s in again):.3f}s")
    return [record(system, "W3", 8, first), record(system, "W3-rerun", 8, again)]


def failed(system: str, workload: str, error: Exception) -> dict[str, Any]:
    log(f"{system} {workload}: {error}")
    return {"system": system, "workload": workload, "error": str(error)}


class EventListener:
    """Receives a run's live events from the Redis channel layer, as the websocket consumer does."""

    def __init__(self) -> None:
        from channels.layers import channel_layers

        self.layer = channel_layers["default"]
        self.loop = asyncio.new_event_loop()
        self.received: list[tuple[float, dict[str, Any]]] = []
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.channel = self._call(self.layer.new_channel())
        asyncio.run_coroutine_threadsafe(self._receive(), self.loop)

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(10)

    async def _receive(self) -> None:
        while True:
            message = await self.layer.receive(self.channel)
            self.received += [(time.time(), event) for event in message["events"]]

    def follow(self, run_id: int) -> None:
        from designer.live.outlet import run_group

        self._call(self.layer.group_add(run_group(run_id), self.channel))


class WebsocketListener:
    """A browser's view: a daphne web process serving the real consumer, and a logged-in
    websocket client on a run's live feed, stamping each event as it arrives."""

    def __init__(self) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "designer.asgi:application"]
        log = (settings.DATA_DIR / "web.log").open("ab")
        self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self._listening, 60, f"daphne on port {self.port}")
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={_session_of_a_member()}"
        self.received: list[tuple[float, dict[str, Any]]] = []

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"daphne exited with {self.process.returncode}; see {settings.DATA_DIR / 'web.log'}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def follow(self, run_id: int) -> None:
        """Connect to the run's feed and receive on a thread until the server closes it."""
        from websockets.sync.client import connect

        url = f"ws://127.0.0.1:{self.port}/ws/runs/{run_id}/"
        origin = f"http://127.0.0.1:{self.port}"
        self.connection = connect(url, origin=origin, additional_headers={"Cookie": self.cookie})  # type: ignore[arg-type]
        threading.Thread(target=self._receive, daemon=True).start()

    def _receive(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            for message in self.connection:
                self.received.append((time.time(), json.loads(message)))
        except ConnectionClosed:
            pass

    def close(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(15)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _session_of_a_member() -> str:
    """A session key of a user who may read the bench workspace (what logging in gives a browser)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from designer.workspaces.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-watcher")
    workspace, _ = Workspace.objects.get_or_create(name="bench")
    Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": Role.READER})
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def completed_latencies(run: Run, received: list[tuple[float, dict[str, Any]]]) -> list[float]:
    """Seconds from each step's finished_at (stamped by the worker) to its `completed` event arriving."""
    finished = {step.node_id: step.finished_at.timestamp() for step in run.steps.all() if step.finished_at}
    return [
        arrived - finished[event["node"]]
        for arrived, event in received
        if event.get("type") == "step" and event.get("status") == "completed" and event.get("node") in finished
    ]


def event_latencies(workload: workloads.Workload, workers: Workers) -> list[float]:
    """Latencies at a channel-layer listener (what the consumer receives), one extra run."""
    listener = EventListener()
    (version,) = fresh_versions(workload, 1)
    with transaction.atomic():  # dispatch waits for the commit: follow the run before anything happens
        run = run_submit(version, None)
        listener.follow(run.pk)
    run = wait_finished(run, workers)
    time.sleep(0.5)  # the last events are still on their way
    return completed_latencies(run, listener.received)


def websocket_latencies(workload: workloads.Workload, workers: Workers) -> list[float]:
    """Latencies at a websocket client of a daphne web process, one extra run. The client can
    connect only once the run is committed, so the first step or two may finish unseen."""
    listener = WebsocketListener()
    try:
        (version,) = fresh_versions(workload, 1)
        run = run_submit(version, None)
        listener.follow(run.pk)
        run = wait_finished(run, workers)
        time.sleep(0.5)  # the last events are still on their way
    finally:
        listener.close()
    return completed_latencies(run, listener.received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["embedded", "production"], required=True)
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    parser.add_argument("--skip-w3", action="store_true")
    args = parser.parse_args()
    sizes = workloads.sizes_named(args.sizes)
    system = f"trellis-{args.mode}"
    call_command("migrate", interactive=False, verbosity=0)
    workers = Workers(args.mode)
    records = []
    try:
        for workload in workloads.noop_workloads(sizes):
            try:
                records.append(noop_record(system, workload, sizes.repeats, workers))
            except (WorkerDied, TimeoutError, RuntimeError) as error:
                records.append(failed(system, workload.name, error))
        if not args.skip_w3:
            try:
                records += ml_records(system, sizes, workers)
            except (WorkerDied, TimeoutError, RuntimeError) as error:
                records.append(failed(system, "W3", error))
        if args.mode == "production":
            chain = workloads.noop_workloads(sizes)[1]
            records.append({"system": system, "workload": "events", "latencies": event_latencies(chain, workers)})
            try:
                latencies = websocket_latencies(chain, workers)
                records.append({"system": system, "workload": "websocket-events", "latencies": latencies})
            except (OSError, TimeoutError, RuntimeError) as error:
                records.append(failed(system, "websocket-events", error))
    finally:
        stop_worker(workers.process, wait=True, timeout=15)
    emit(records)


if __name__ == "__main__":
    main()
