"""Runs the no-op workloads on Dagster (in-process executor) or Prefect, inside bench/.peers-venv.

    bench/.peers-venv/bin/python -m bench.peers dagster|prefect --sizes quick|full

Each step is a task that returns a small string built from its inputs: nothing is shipped
anywhere but the framework's own machinery. CPU is the whole process tree (Prefect's temporary
API server runs as a child process).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import workloads
from bench.measure import CpuMeter, Sample, emit, log, median, record

Runner = Callable[[], Any]


def upstream_of(workload: workloads.Workload) -> dict[str, list[str]]:
    upstream: dict[str, list[str]] = {f"s{index}": [] for index in range(workload.steps)}
    for source, target in workloads.edges_of(workload):
        upstream[target].append(source)
    return upstream


def dagster_runner(workload: workloads.Workload) -> Runner:
    import dagster as dg

    def make_op(name: str, inputs: list[str]) -> Any:
        @dg.op(name=name, ins={f"in_{source}": dg.In(str) for source in inputs}, out=dg.Out(str))
        def step(**tokens: str) -> str:
            return f"{name}:{len(tokens)}"

        return step

    upstream = upstream_of(workload)
    ops = {name: make_op(name, inputs) for name, inputs in upstream.items()}

    @dg.job(name=f"bench_{workload.name}")
    def job() -> None:
        outputs: dict[str, Any] = {}
        for name, inputs in upstream.items():  # s0, s1, ... is a topological order
            outputs[name] = ops[name](**{f"in_{source}": outputs[source] for source in inputs})

    instance = dg.DagsterInstance.ephemeral()
    return lambda: job.execute_in_process(instance=instance, raise_on_error=True)


def prefect_runner(workload: workloads.Workload) -> Runner:
    from prefect import flow, task

    @task(persist_result=False)
    def step(name: str, *tokens: str) -> str:
        return f"{name}:{len(tokens)}"

    upstream = upstream_of(workload)

    @flow(name=f"bench-{workload.name}", persist_result=False, log_prints=False)
    def pipeline() -> None:
        # Futures from .submit() run on Prefect's default thread pool; each waits on its inputs.
        futures: dict[str, Any] = {}
        for name, inputs in upstream.items():
            futures[name] = step.submit(name, *[futures[source] for source in inputs])
        futures[f"s{workload.steps - 1}"].result()

    return pipeline


def measure(run: Runner, meter: CpuMeter) -> Sample:
    meter.start()
    started = time.perf_counter()
    run()
    return Sample(wall=time.perf_counter() - started, cpu=meter.stop())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=["dagster", "prefect"])
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    args = parser.parse_args()
    sizes = workloads.QUICK if args.sizes == "quick" else workloads.FULL
    build = dagster_runner if args.system == "dagster" else prefect_runner
    meter = CpuMeter({"client": [os.getpid()]})  # the whole tree: Prefect's server is a child
    records = []
    for workload in workloads.noop_workloads(sizes):
        run = build(workload)
        run()  # warm-up: imports, Prefect's temporary server, Dagster's instance
        samples = [measure(run, meter) for _ in range(sizes.repeats)]
        records.append(record(args.system, workload.name, workload.steps, samples))
        log(f"{args.system} {workload.name}: median {median(s.wall for s in samples):.3f}s")
    emit(records)


if __name__ == "__main__":
    # Keep Dagster's and Prefect's files (and Prefect's SQLite database) out of the user's home;
    # the folder outlives this process, since Prefect's server child may still be closing.
    home = Path(tempfile.mkdtemp(prefix="peers-home-", dir=os.environ.get("TRELLIS_DATA_DIR")))
    os.environ.setdefault("DAGSTER_HOME", str(home))
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary API server needs longer than its default 20 s to start on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    main()
