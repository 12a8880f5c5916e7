"""The floor: raw Celery on the same Redis, driven by a client that sends each task when its
inputs are done, passing artifact references (file paths), never data.

    .venv/bin/python -m bench.celery_floor --sizes quick|full      (starts its own worker)

The worker runs as `celery -A bench.celery_floor worker` with the settings Trellis uses
(prefork, 2 processes, acks late, prefetch 1). BENCH_REDIS_URL and BENCH_ARTIFACT_DIR come from
compare.py.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import pickle
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
from celery import Celery

from bench import w3, workloads
from bench.measure import CpuMeter, Sample, emit, log, median, record, service_roots

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
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


def _write_value(value: Any) -> str:
    """A table as Parquet (as Trellis stores it), anything else pickled; written, then renamed."""
    suffix = ".parquet" if isinstance(value, pd.DataFrame) else ".pkl"
    final = ARTIFACT_DIR / f"{uuid.uuid4().hex}{suffix}"
    temporary = final.with_suffix(".tmp")
    if isinstance(value, pd.DataFrame):
        value.to_parquet(temporary, index=False)
    else:
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(final)
    return str(final)


def _read_value(path: str) -> Any:
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pickle.loads(Path(path).read_bytes())


@app.task(name="bench.w3_step")
def w3_step(name: str, rows: int, seed: int, inputs: dict[str, str]) -> dict[str, str]:
    """One W3 step: read its inputs from their files, run it, write each output to a file."""
    arguments = {argument: _read_value(path) for argument, path in inputs.items()}
    outputs = w3.STEP_NAMED[name].run(w3.Parameters(rows, seed), **arguments)
    return {output: _write_value(value) for output, value in outputs.items()}


def run_graph(upstream: dict[str, list[str]], send: Any) -> dict[str, Any]:
    """Send each step once its inputs are done; wait on the oldest outstanding task (exact for
    chains, fans and W3, where a step's inputs finish no later than the oldest pending one)."""
    done: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    while len(done) < len(upstream):
        for name, inputs in upstream.items():
            if name not in done and name not in pending and all(source in done for source in inputs):
                pending[name] = send(name, done)
        name = next(iter(pending))
        done[name] = pending.pop(name).get(timeout=120)
    return done


def run_workload(workload: workloads.Workload) -> str:
    upstream: dict[str, list[str]] = {f"s{index}": [] for index in range(workload.steps)}
    for source, target in workloads.edges_of(workload):
        upstream[target].append(source)

    def send(name: str, done: dict[str, Any]) -> Any:
        return noop.apply_async(args=[name, [done[source] for source in upstream[name]]])

    return str(run_graph(upstream, send)[f"s{workload.steps - 1}"])


def run_w3(rows: int, seed: int) -> dict[str, Any]:
    """W3 through the workers, passing file paths between steps."""
    upstream = {step.name: sorted({source for source, _ in step.inputs.values()}) for step in w3.STEPS}

    def send(name: str, done: dict[str, Any]) -> Any:
        inputs = {argument: done[source][output] for argument, (source, output) in w3.STEP_NAMED[name].inputs.items()}
        return w3_step.apply_async(args=[name, rows, seed, inputs])

    return run_graph(upstream, send)


def start_worker() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-A", "bench.celery_floor", "worker", "-Q", QUEUE]
    command += ["--pool", "prefork", "--concurrency", "2", "--loglevel", "warning"]
    command += ["--hostname", f"floor-{uuid.uuid4().hex[:6]}@%h", "--without-mingle", "--without-gossip"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sys.stderr)


def measure(run: Any, meter: CpuMeter) -> Sample:
    meter.start()
    client_before = time.process_time()
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    return Sample(wall=wall, cpu={"client": time.process_time() - client_before, **meter.stop()})


def w3_record(sizes: workloads.Sizes, meter: CpuMeter) -> dict[str, Any]:
    """First runs, each on a new seed; raw Celery has no cache, so there is no re-run to measure."""
    seed_base = int(time.time()) % 100_000
    run_w3(sizes.rows, seed_base - 1)  # warm-up: the pool processes import pandas and scikit-learn
    samples = [measure(functools.partial(run_w3, sizes.rows, seed_base + n), meter) for n in range(sizes.repeats)]
    log(f"celery W3: median {median(s.wall for s in samples):.3f}s")
    return record("celery", "W3", len(w3.STEPS), samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    sizes = workloads.sizes_named(parser.parse_args().sizes)
    ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
    worker = start_worker()
    try:
        meter = CpuMeter({"workers": [worker.pid], "redis": service_roots()["redis"]})
        records = []
        for workload in workloads.noop_workloads(sizes):
            run_workload(workload)  # warm-up; the first also waits for the worker to start
            samples = [measure(functools.partial(run_workload, workload), meter) for _ in range(sizes.repeats)]
            records.append(record("celery", workload.name, workload.steps, samples))
            log(f"celery {workload.name}: median {median(s.wall for s in samples):.3f}s")
        records.append(w3_record(sizes, meter))
    finally:
        worker.terminate()
        worker.wait(30)
    emit(records)


if __name__ == "__main__":
    main()
