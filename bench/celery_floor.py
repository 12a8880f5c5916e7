"""The floor: raw Celery on the same Redis, driven by a client that sends each task when its
inputs are done, passing artifact references (file paths), never data.

    .venv/bin/python -m bench.celery_floor --sizes quick|full      (starts its own worker)

The worker runs as `celery -A bench.celery_floor worker` with the settings Trellis uses
(prefork, 2 processes, acks late, prefetch 1). BENCH_REDIS_URL and BENCH_ARTIFACT_DIR come from
compare.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from celery import Celery

from bench import workloads
from bench.measure import CpuMeter, Sample, emit, log, median, record, service_roots

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
ARTIFACT_DIR = Path(os.environ.get("BENCH_ARTIFACT_DIR", "/tmp/bench-celery-artifacts"))
QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "bench-floor")

app = Celery("bench_floor", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    result_expires=600,
)


@app.task(name="bench.noop")
def noop(name: str, inputs: list[str]) -> str:
    """Read the input references, write a small output file atomically, return its path."""
    text = f"{name}:" + ",".join(Path(path).read_text() for path in inputs)
    digest = hashlib.sha256(text.encode()).hexdigest()
    final = ARTIFACT_DIR / f"{digest}.txt"
    temporary = ARTIFACT_DIR / f"{digest}.{os.getpid()}.tmp"
    temporary.write_text(f"{name}:{len(inputs)}")
    temporary.replace(final)
    return str(final)


def run_workload(workload: workloads.Workload) -> str:
    """Send each step once its inputs are done; wait on the oldest outstanding task (exact for
    chains and fans, where a step's inputs finish no later than the oldest pending one)."""
    upstream: dict[str, list[str]] = {f"s{index}": [] for index in range(workload.steps)}
    for source, target in workloads.edges_of(workload):
        upstream[target].append(source)
    done: dict[str, str] = {}
    pending: dict[str, Any] = {}
    while len(done) < workload.steps:
        for name, inputs in upstream.items():
            if name not in done and name not in pending and all(source in done for source in inputs):
                pending[name] = noop.apply_async(args=[name, [done[source] for source in inputs]])
        name = next(iter(pending))
        done[name] = pending.pop(name).get(timeout=60)
    return done[f"s{workload.steps - 1}"]


def start_worker() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "bench.celery_floor", "worker", "-Q", QUEUE]
    command += ["--pool", "prefork", "--concurrency", "2", "--loglevel", "warning"]
    command += ["--hostname", f"floor-{uuid.uuid4().hex[:6]}@%h", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sys.stderr)


def measure(workload: workloads.Workload, meter: CpuMeter) -> Sample:
    meter.start()
    client_before = time.process_time()
    started = time.perf_counter()
    run_workload(workload)
    wall = time.perf_counter() - started
    return Sample(wall=wall, cpu={"client": time.process_time() - client_before, **meter.stop()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    sizes = workloads.QUICK if parser.parse_args().sizes == "quick" else workloads.FULL
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    worker = start_worker()
    try:
        meter = CpuMeter({"workers": [worker.pid], "redis": service_roots()["redis"]})
        records = []
        for workload in workloads.noop_workloads(sizes):
            run_workload(workload)  # warm-up; the first also waits for the worker to start
            samples = [measure(workload, meter) for _ in range(sizes.repeats)]
            records.append(record("celery", workload.name, workload.steps, samples))
            log(f"celery {workload.name}: median {median(s.wall for s in samples):.3f}s")
    finally:
        worker.terminate()
        worker.wait(30)
    emit(records)


if __name__ == "__main__":
    main()
