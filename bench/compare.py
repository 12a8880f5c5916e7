"""Trellis beside its peers, measured in one run: prints the tables that bench/RESULTS.md records.

    .venv/bin/python bench/compare.py [--quick] [--only trellis-embedded,celery,...] [--report FILE]

Systems: Trellis embedded (SQLite + filesystem broker + its worker), Trellis production
(PostgreSQL database trellis_bench + Redis database 10 + a 2-process worker), raw Celery driven by
its client (the floor), Dagster's in-process executor and Prefect (both from bench/.peers-venv,
which this script creates). Each system runs in its own process; a system that cannot be set up
or run is reported with its error and the rest go on. Every sample lands in bench/out/results.json,
beside each system's driver and worker logs. Figures only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

from bench import report, workloads  # noqa: E402
from bench.measure import log  # noqa: E402

PEERS_VENV = BENCH / ".peers-venv"
PEER_PACKAGES = ["dagster", "prefect", "psutil", "py-spy", "pyinstrument", "pandas", "pyarrow", "scikit-learn"]
POSTGRES = "postgres://postgres:trellis@127.0.0.1:5432"  # trust auth here; the password is the test suite's
BENCH_DATABASE = "trellis_bench"
REDIS_URL = "redis://127.0.0.1:6379/10"  # a number no helper's test environment uses
SYSTEMS = ("trellis-embedded", "trellis-production", "celery", "dagster", "prefect", "plain-script")
SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL")
DRIVER_TIMEOUT = 900
PROGRESS = re.compile(r"\[\d\d:\d\d:\d\d\] ")
OUT = BENCH / "out"  # logs and data folders of the last run, kept for a look after it


def ensure_peers_venv() -> Path:
    """bench/.peers-venv with Dagster and Prefect; raises CalledProcessError if pip fails."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {PEERS_VENV} and installing {' '.join(PEER_PACKAGES)} (a few minutes)")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    imports = "import dagster, prefect, psutil, pandas, pyarrow, sklearn"
    check = subprocess.run([str(python), "-c", imports], capture_output=True)
    if check.returncode != 0:
        install = [str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES]
        subprocess.run(install, check=True, capture_output=True, text=True)
    return python


def ensure_services() -> None:
    """A fresh database of our own in the shared PostgreSQL, and an empty Redis database 10.

    Dropped and made again each time: migrations still change while the runner is being built.
    """
    import psycopg
    import redis

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    redis.Redis.from_url(REDIS_URL).flushdb()


def base_environment(data_dir: Path) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in SERVICE_VARIABLES}
    return environment | {
        "PYTHONPATH": str(ROOT),
        "TRELLIS_DATA_DIR": str(data_dir),
        "TRELLIS_ARTIFACT_DIR": str(data_dir / "artifacts"),
        "TRELLIS_MODULE_PACKAGES": "bench.bench_modules",
        "TRELLIS_LOG_LEVEL": "WARNING",
    }


def production_environment(data_dir: Path) -> dict[str, str]:
    return base_environment(data_dir) | {
        "DATABASE_URL": f"{POSTGRES}/{BENCH_DATABASE}",
        "CELERY_BROKER_URL": REDIS_URL,
        "TRELLIS_REDIS_URL": REDIS_URL,
        "TRELLIS_SECRET_KEY": "bench-only-not-secret",
        "TRELLIS_DEFAULT_QUEUE": f"bench-{os.getpid()}",  # a fresh queue: no stale messages
    }


def run_driver(command: list[str], environment: dict[str, str], log_path: Path) -> list[dict[str, Any]]:
    """Run one driver: its stderr goes to `log_path`, progress lines are echoed, results follow a marker."""
    with log_path.open("a") as driver_log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert process.stderr is not None and process.stdout is not None
        for line in process.stderr:  # stdout holds one small JSON document: no pipe deadlock
            driver_log.write(line)
            if PROGRESS.match(line):
                sys.stderr.write(line)
        output = process.stdout.read()
        process.wait(DRIVER_TIMEOUT)
    marker = "@@RESULTS@@\n"
    if marker not in output:
        raise RuntimeError(f"{' '.join(command[2:4])} exited {process.returncode}; see {log_path}")
    records: list[dict[str, Any]] = json.loads(output.split(marker, 1)[1])
    return records


def driver_command(system: str, sizes: list[str], data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a system's driver, setting up what it needs first."""
    python = sys.executable
    if system == "trellis-embedded":
        command = [python, "-m", "bench.trellis_driver", "--mode", "embedded", *sizes]
        return command, base_environment(data_dir)
    if system == "trellis-production":
        ensure_services()
        command = [python, "-m", "bench.trellis_driver", "--mode", "production", *sizes]
        return command, production_environment(data_dir)
    if system == "celery":
        environment = base_environment(data_dir) | {
            "BENCH_REDIS_URL": REDIS_URL,
            "BENCH_ARTIFACT_DIR": str(data_dir / "artifacts"),
            "BENCH_CELERY_QUEUE": f"bench-floor-{os.getpid()}",
        }
        return [python, "-m", "bench.celery_floor", *sizes], environment
    if system in ("dagster", "prefect"):
        return [str(ensure_peers_venv()), "-m", "bench.peers", system, *sizes], base_environment(data_dir)
    raise ValueError(f"unknown system {system!r}; known: {', '.join(SYSTEMS)}")


def wait_quiet(limit: float, patience: float) -> float:
    """Wait up to `patience` seconds for the 1-minute load average to drop under `limit` (other
    work on this 2-core machine inflates every wall figure); returns the load when going on."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(5)
    load = os.getloadavg()[0]
    if load >= limit:
        log(f"load average still {load:.2f} after {patience:.0f}s: measuring anyway (see the load column)")
    return load


class LoadWatch:
    """The 1-minute load average every few seconds while a system runs (other helpers' work
    on this machine changes during a run, so before and after are not enough)."""

    def __init__(self, every: float = 5.0) -> None:
        self.samples: list[float] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    def _watch(self, every: float) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._done.wait(every):
                return

    def stop(self) -> list[float]:
        self._done.set()
        self._thread.join()
        return self.samples


def run_system(system: str, quick: bool, data_dir: Path) -> list[dict[str, Any]]:
    data_dir.mkdir()
    if system == "plain-script":
        return plain_script(quick, data_dir)
    command, environment = driver_command(system, ["--sizes", "quick" if quick else "full"], data_dir)
    return run_driver(command, environment, data_dir / "driver.log")


def plain_script(quick: bool, data_dir: Path) -> list[dict[str, Any]]:
    sizes = workloads.sizes_named("quick" if quick else "full")
    command = [sys.executable, "-m", "bench.plain_w3", "--rows", str(sizes.rows)]
    environment = base_environment(data_dir)
    records = run_driver([*command, "--repeats", str(sizes.repeats)], environment, data_dir / "driver.log")
    started = time.perf_counter()  # one cold run: interpreter, imports and the work
    run_driver([*command, "--repeats", "1"], environment, data_dir / "driver.log")
    records[0]["cold_seconds"] = time.perf_counter() - started
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller workloads and 3 repeats: a smoke run")
    parser.add_argument("--only", default=",".join(SYSTEMS), help="comma-separated systems to run")
    parser.add_argument("--quiet-load", type=float, default=1.0, help="wait for a load average under this")
    parser.add_argument("--quiet-wait", type=float, default=30.0, help="seconds to wait for it, per system")
    parser.add_argument("--repeats", type=int, help="samples per workload (default: 5, --quick: 3)")
    parser.add_argument("--report", type=Path, help="only print the tables of an earlier run's results.json")
    args = parser.parse_args()
    if args.report:
        print(report.render(json.loads(args.report.read_text()), quick=args.quick, seconds=0))
        return
    if args.repeats:
        os.environ[workloads.REPEATS_VARIABLE] = str(args.repeats)  # the drivers inherit it
    systems = [name for name in args.only.split(",") if name]
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    for system in systems:
        load_before = wait_quiet(args.quiet_load, 0 if args.quick else args.quiet_wait)
        log(f"running {system} (load average {load_before:.2f})")
        watch = LoadWatch()
        try:
            results = run_system(system, args.quick, OUT / system)
            load = {"load_before": load_before, "load_after": os.getloadavg()[0], "load_during": watch.stop()}
            records += [result | load for result in results]
        except Exception as error:  # report it in the table and go on with the others
            watch.stop()
            log(f"{system} failed: {error}")
            records.append({"system": system, "workload": "*", "error": f"{type(error).__name__}: {error}"})
    (OUT / "results.json").write_text(json.dumps(records, indent=1))
    print(report.render(records, quick=args.quick, seconds=time.perf_counter() - started))


if __name__ == "__main__":
    main()
