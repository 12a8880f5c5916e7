"""W3 as a plain script: the same eight functions, one process, data in memory.

    .venv/bin/python -m bench.plain_w3 --rows 50000 --repeats 5

Reports the import time of pandas and scikit-learn and each run's wall and CPU time.
"""

from __future__ import annotations

import argparse
import time

started = time.perf_counter()
from bench import ml  # noqa: E402 - timed: the cold imports are part of a script's cost
from bench.measure import Sample, emit, record  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    samples = []
    for seed in range(args.repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        ml.pipeline(args.rows, 20, 0.05, seed)
        samples.append(Sample(wall=time.perf_counter() - wall, cpu={"client": time.process_time() - cpu}))
    emit([record("plain-script", "W3", 8, samples, import_seconds=IMPORT_SECONDS)])


if __name__ == "__main__":
    main()
