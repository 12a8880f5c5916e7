"""Runs the workloads on Dagster (in-process executor) or Prefect, inside bench/.peers-venv.

    bench/.peers-venv/bin/python -m bench.peers dagster|prefect --sizes quick|full

In W0-W2 each step is a task that returns a small string built from its inputs: nothing is
shipped anywhere but the framework's own machinery. W3 is built from `bench.w3.STEPS`, the same
functions the Trellis modules and the plain script call. CPU is the whole process tree
(Prefect's temporary API server runs as a child process).

Re-run caching: Dagster's jobs have none (an unchanged re-run runs every op again), so only its
first runs are measured. Prefect's W3 tasks use the INPUTS + TASK_SOURCE cache policy with
persisted results, so its unchanged re-run is served from its cache, as Trellis' is.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import w3, workloads
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


def dagster_w3(parameters: w3.Parameters) -> Runner:
    """W3 as a Dagster job; values pass between ops through the in-memory IO manager."""
    import dagster as dg

    def make_op(step: w3.Step) -> Any:
        outs = {name: dg.Out() for name in step.outputs}

        @dg.op(name=step.name, ins={argument: dg.In() for argument in step.inputs}, out=outs)
        def run_step(**inputs: Any):  # no return annotation: Dagster reads it as the outputs' types
            values = step.run(parameters, **inputs)
            ordered = tuple(values[name] for name in step.outputs)
            return ordered if len(ordered) > 1 else ordered[0]

        return run_step

    ops = {step.name: make_op(step) for step in w3.STEPS}

    @dg.job(name="bench_W3")
    def job() -> None:
        handles: dict[tuple[str, str], Any] = {}
        for step in w3.STEPS:
            result = ops[step.name](**{argument: handles[source] for argument, source in step.inputs.items()})
            results = result if len(step.outputs) > 1 else (result,)
            handles |= {(step.name, name): handle for name, handle in zip(step.outputs, results, strict=True)}

    instance = dg.DagsterInstance.ephemeral()
    return lambda: job.execute_in_process(instance=instance, raise_on_error=True)


def prefect_w3(parameters: w3.Parameters) -> Runner:
    """W3 as a Prefect flow; each step a task cached on its inputs and source, results persisted."""
    from prefect import flow, task
    from prefect.cache_policies import INPUTS, TASK_SOURCE

    @task(cache_policy=INPUTS + TASK_SOURCE, persist_result=True)
    def run_step(name: str, rows: int, seed: int, **inputs: Any) -> dict[str, Any]:
        return w3.STEP_NAMED[name].run(w3.Parameters(rows, seed), **inputs)

    @flow(name="bench-W3", persist_result=False, log_prints=False)
    def pipeline() -> None:
        # Called in order: W3's only parallel pair (apply_scaler, train) is not worth futures.
        values: dict[str, dict[str, Any]] = {}
        for step in w3.STEPS:
            arguments = {argument: values[source][output] for argument, (source, output) in step.inputs.items()}
            named = run_step.with_options(name=step.name)
            values[step.name] = named(step.name, parameters.rows, parameters.seed, **arguments)

    return pipeline


def w3_records(system: str, sizes: workloads.Sizes, meter: CpuMeter) -> list[dict[str, Any]]:
    """First runs on a new seed each; for Prefect, also unchanged re-runs of the last one."""
    build = dagster_w3 if system == "dagster" else prefect_w3
    seed_base = int(time.time()) % 100_000
    build(w3.Parameters(sizes.rows, seed_base - 1))()  # warm-up: imports, Prefect's server
    runs = [build(w3.Parameters(sizes.rows, seed_base + n)) for n in range(sizes.repeats)]
    first = [measure(run, meter) for run in runs]
    log(f"{system} W3: first {median(s.wall for s in first):.3f}s")
    records = [record(system, "W3", len(w3.STEPS), first)]
    if system == "prefect":
        again = [measure(runs[-1], meter) for _ in range(sizes.repeats)]
        log(f"{system} W3: re-run {median(s.wall for s in again):.3f}s")
        records.append(record(system, "W3-rerun", len(w3.STEPS), again))
    return records


def measure(run: Runner, meter: CpuMeter) -> Sample:
    meter.start()
    started = time.perf_counter()
    run()
    return Sample(wall=time.perf_counter() - started, cpu=meter.stop())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=["dagster", "prefect"])
    parser.add_argument("--sizes", choices=["quick", "full"], default="full")
    parser.add_argument("--skip-w3", action="store_true")
    parser.add_argument("--skip-noop", action="store_true", help="W3 only")
    args = parser.parse_args()
    sizes = workloads.sizes_named(args.sizes)
    build = dagster_runner if args.system == "dagster" else prefect_runner
    meter = CpuMeter({"client": [os.getpid()]})  # the whole tree: Prefect's server is a child
    records = []
    for workload in [] if args.skip_noop else workloads.noop_workloads(sizes):
        run = build(workload)
        run()  # warm-up: imports, Prefect's temporary server, Dagster's instance
        samples = [measure(run, meter) for _ in range(sizes.repeats)]
        records.append(record(args.system, workload.name, workload.steps, samples))
        log(f"{args.system} {workload.name}: median {median(s.wall for s in samples):.3f}s")
    if not args.skip_w3:
        records += w3_records(args.system, sizes, meter)
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
