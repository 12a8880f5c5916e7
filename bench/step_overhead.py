"""Per-step overhead of the embedded runner: a chain of pass-through steps, run with run_pipeline.

    .venv/bin/python bench/step_overhead.py [--steps 1 10 30]

Prints, for each chain length, the wall time of `run_pipeline --wait` (which includes starting
a worker) and the time per step from the run's own start and finish stamps. Figures only: this
is never run by CI and asserts nothing.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL")


def chain_graph(steps: int) -> dict:
    nodes = [{"id": "load", "module": "sample_dataset", "version": "1", "parameters": {"dataset": "iris"}}]
    edges = []
    for index in range(steps):
        previous = nodes[-1]["id"]
        nodes.append({"id": f"pass{index}", "module": "pass_through", "version": "1", "parameters": {}})
        edges.append(
            {"source": {"node": previous, "port": "dataset"}, "target": {"node": f"pass{index}", "port": "dataset"}}
        )
    return {"format_version": 2, "nodes": nodes, "edges": edges}


def measure(steps: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        graph = Path(folder) / f"chain{steps}.json"
        graph.write_text(json.dumps(chain_graph(steps)))
        environment = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
        environment |= {"TRELLIS_DATA_DIR": folder, "TRELLIS_MODULE_PACKAGES": "tests.fixture_modules"}
        command = [sys.executable, "manage.py", "run_pipeline", str(graph), "--wait"]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - started
        run_seconds = float(re.search(r"^run \d+ completed in ([\d.]+)s$", result.stdout, re.M).group(1))
        return wall, run_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 10, 30])
    lengths = parser.parse_args().steps
    print(f"{'steps':>6} {'wall s':>8} {'run s':>8} {'ms/step':>8}")
    for steps in lengths:
        wall, run_seconds = measure(steps)
        print(f"{steps + 1:>6} {wall:>8.2f} {run_seconds:>8.2f} {1000 * run_seconds / (steps + 1):>8.0f}")


if __name__ == "__main__":
    main()
