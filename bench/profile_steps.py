"""Where a Trellis step's time goes: a sampling profile (pyinstrument) of a worker running W1 chains.

    .venv/bin/python bench/profile_steps.py --mode embedded|production [--steps 100] [--runs 3]
    .venv/bin/python bench/profile_steps.py --mode production --shape w3 --runs 3   # W3 first runs

Run it with the environment compare.py gives the Trellis driver (bench/README.md shows how).
py-spy cannot read this machine's Python processes ("Failed to find python version from target
process"), so the worker runs with a solo pool (one process: broker loop and task together) under
pyinstrument, taken from bench/.peers-venv (only that package is put on the worker's path).
pyinstrument samples wall time, so waiting on the database, the broker or the step's child shows up.
Prints per-step milliseconds of the functions that make up a step, and keeps the whole profile in
bench/out/profile-<mode>.pstats for `python -m pstats`.

    .venv/bin/python bench/profile_steps.py --mode embedded --child-probe 50

times only the step process (fork, run a no-op module, write its output, exit), in a process
that imported what a worker imports, before and after gc.freeze().

    .venv/bin/python bench/profile_steps.py --mode production --rerun 10

runs W3 once on a normal worker, then profiles N unchanged re-runs from submit to completion in
this process (the web process' side: with every step cached, no worker is involved).
"""

from __future__ import annotations

import os
import pstats
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from django.core.management import call_command  # noqa: E402

from bench import trellis_driver as driver  # noqa: E402 - sets Django up
from bench import workloads  # noqa: E402
from runner.embedded import stop_worker  # noqa: E402
from runner.submit import run_submit  # noqa: E402

TOP = 40
SELF_TOP = 20
# Frames that say where a step's time goes; any function whose name ends with one of these.
FOCUS = (
    "runner/tasks.py:execute_step",
    "runner/execute.py:step_execute",
    "runner/execute.py:_claim",
    "runner/execute.py:_job_for",
    "runner/execute.py:run_in_child",
    "runner/execute.py:_run",
    "runner/step_inline.py:run_inline",
    "runner/step_inline.py:_work",
    "modules/ports.py:_write_table",
    "modules/ports.py:_read_table",
    "runner/artifacts.py:write",
    "runner/artifacts.py:read",
    "runner/execute.py:_record",
    "runner/progress.py:run_advance",
    "runner/progress.py:step_dispatch",
    "runner/progress.py:steps_start",
    "runner/progress.py:steps_queue",
    "runner/progress.py:_enqueue",
    "runner/reuse.py:steps_decide",
    "runner/reuse.py:cache_entry_alongside",
    "runner/reuse.py:input_refs",
    "runner/progress.py:_advance_once",
    "runner/progress.py:step_statuses",
    "runner/progress.py:run_finish",
    "runner/supervise.py:supervise",
    "runner/events.py:step_transition",
    "runner/events.py:steps_transition",
    "runner/events.py:run_transition",
    "runner/events.py:_next_seq",
    "designer/live/outlet.py:deliver",
    "django/db/transaction.py:__exit__",
    "django/db/backends/utils.py:execute",
    "django/db/backends/base/base.py:connect",
    "django/db/__init__.py:close_old_connections",
    "kombu/messaging.py:publish",
    "celery/app/task.py:apply_async",
    "posix.fork",
    "posix.waitpid",
    "select.select",
    "time.sleep",
)


def key_name(key: tuple[str, int, str]) -> str:
    path, _, function = key
    return (
        f"{'/'.join(path.split('/')[-3:])}:{function}"
        if path != "~"
        else function.strip("<>").replace("built-in method ", "")
    )


def focus_rows(stats: pstats.Stats, steps: int) -> list[tuple[str, float]]:
    """Cumulative milliseconds per step of the FOCUS functions."""
    rows = []
    for key, (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        name = key_name(key)
        if any(name.endswith(wanted) for wanted in FOCUS):
            rows.append((name, 1000 * cumulative / steps))
    return sorted(rows, key=lambda row: -row[1])


def self_rows(stats: pstats.Stats, steps: int) -> list[tuple[str, float]]:
    """Self milliseconds per step of the hottest functions: where the samples landed."""
    rows = [(key_name(key), 1000 * own / steps) for key, (_, _, own, _, _) in stats.stats.items()]  # type: ignore[attr-defined]
    return sorted(rows, key=lambda row: -row[1])


def pyinstrument_path() -> Path:
    """A folder holding only the peers venv's pyinstrument, so nothing else of that venv leaks in."""
    folder = ROOT / "bench" / "out" / "pyinstrument-only"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "pyinstrument"
    if not link.exists():
        link.symlink_to(next((ROOT / "bench" / ".peers-venv" / "lib").glob("python3*/site-packages/pyinstrument")))
    return folder


def cpu_now() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(action: Callable[[], object], count: int) -> tuple[float, float, float]:
    """Per call: wall ms, this process's CPU ms, reaped children's CPU ms."""
    own, children = cpu_now()
    started = time.perf_counter()
    for _ in range(count):
        action()
    wall = time.perf_counter() - started
    own_after, children_after = cpu_now()
    return 1000 * wall / count, 1000 * (own_after - own) / count, 1000 * (children_after - children) / count


def bare_fork() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def child_probe(count: int) -> None:
    """The step process alone, in a process as warm as a worker: a bare fork, and the runner's
    run_in_child on a no-op step, before and after gc.freeze()."""
    import gc
    import tempfile

    import runner.tasks  # noqa: F401 - the worker's imports: pandas, scikit-learn, the modules
    from bench.bench_modules import TOKEN, bench_noop
    from runner.artifacts import ArtifactStore
    from runner.step_process import StepJob, run_in_child

    with tempfile.TemporaryDirectory() as folder:
        store = ArtifactStore(Path(folder))
        token = store.write("token", TOKEN)
        job = StepJob(bench_noop, {"label": "probe"}, {"token": (token.digest, TOKEN)}, {"token": TOKEN}, store)
        print(f"worker-like process RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        print(f"{'':32} {'wall ms':>8} {'parent CPU ms':>14} {'child CPU ms':>13}")
        for label, action in (
            ("bare fork + exit", bare_fork),
            ("run_in_child (no-op step)", lambda: run_in_child(job)),
        ):
            for frozen in (False, True):
                if frozen:
                    gc.freeze()  # objects moved to a permanent generation: the child's GC leaves their pages alone
                wall, own, children = timed(action, count)
                name = f"{label}{' (gc.freeze)' if frozen else ''}"
                print(f"{name:32} {wall:8.2f} {own:14.2f} {children:13.2f}")
                gc.unfreeze()


def profile_rerun(mode: str, runs: int) -> None:
    """Unchanged W3 re-runs under pyinstrument, in this process (where submit serves them)."""
    sys.path.insert(0, str(pyinstrument_path()))
    import pyinstrument

    call_command("migrate", interactive=False, verbosity=0)
    workers = driver.Workers(mode)
    try:
        version = driver.version_of("W3", workloads.ml_graph(workloads.FULL.rows, int(time.time()) % 100_000))
        driver.wait_finished(run_submit(version, None), workers)
        driver.wait_finished(run_submit(version, None), workers)  # warm: connections, plan cache
        profiler = pyinstrument.Profiler(interval=0.0005)
        walls = []
        with profiler:
            for _ in range(runs):
                started = time.perf_counter()
                driver.wait_finished(run_submit(version, None), workers)
                walls.append(time.perf_counter() - started)
    finally:
        stop_worker(workers.process, wait=True, timeout=30)
    print(f"{runs} unchanged W3 re-runs ({mode}), profiled: " + ", ".join(f"{wall:.3f}s" for wall in walls))
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["embedded", "production"], required=True)
    parser.add_argument("--steps", type=int, default=100, help="chain length, or fan-out width")
    parser.add_argument("--shape", choices=["chain", "fan", "w3"], default="chain", help="w3: W3 first runs")
    parser.add_argument("--rows", type=int, default=workloads.FULL.rows, help="W3's table size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child-probe", type=int, default=0, help="only time N step processes in this process")
    parser.add_argument("--rerun", type=int, default=0, help="only profile N unchanged W3 re-runs")
    args = parser.parse_args()
    if args.rerun:
        profile_rerun(args.mode, args.rerun)
        return
    if args.child_probe:
        child_probe(args.child_probe)
        return
    output = ROOT / "bench" / "out" / f"profile-{args.mode}.pstats"
    output.parent.mkdir(exist_ok=True)
    os.environ["PYTHONPATH"] = f"{ROOT}:{pyinstrument_path()}"  # the worker inherits it
    call_command("migrate", interactive=False, verbosity=0)
    profiler = ["-m", "pyinstrument", "--interval", "0.001", "-r", "pstats", "-o", str(output)]
    workers = driver.Workers(args.mode, profiler)
    if args.shape == "w3":  # first runs, a new seed each: every step runs
        seed = int(time.time()) % 100_000
        versions = [driver.version_of("W3", workloads.ml_graph(args.rows, seed + n)) for n in range(args.runs)]
        workload = workloads.Workload("W3", "chain", 8)
    else:
        workload = workloads.Workload("W1" if args.shape == "chain" else "W2", args.shape, args.steps)
        versions = driver.fresh_versions(workload, args.runs)
    walls = []
    try:
        for version in versions:
            started = time.perf_counter()
            driver.wait_finished(run_submit(version, None), workers)
            walls.append(time.perf_counter() - started)
    finally:
        stop_worker(workers.process, wait=True, timeout=300)  # pyinstrument writes on exit
    steps = workload.steps * args.runs
    print(
        f"{args.runs} runs of {workload.name} ({workload.steps} steps) on a profiled solo worker: "
        + ", ".join(f"{wall:.2f}s" for wall in walls)
        + f" ({1000 * min(walls[1:] or walls) / workload.steps:.1f} ms/step)"
    )
    stats = pstats.Stats(str(output))
    print(f"{'ms per step':>12}  function (cumulative; nested rows overlap)")
    for name, per_step in focus_rows(stats, steps)[:TOP]:
        print(f"{per_step:12.2f}  {name}")
    print(f"\n{'ms per step':>12}  function (self time, top {SELF_TOP})")
    for name, per_step in self_rows(stats, steps)[:SELF_TOP]:
        print(f"{per_step:12.2f}  {name}")


if __name__ == "__main__":
    main()
