"""What running a step inline costs apart from its module: `run_inline` of a step that returns a short text.

    .venv/bin/python bench/inline_step.py [--steps 3000] [--profile]

The machinery measured: the scratch folder, the log redirection, the watchdog watching the step,
writing and hashing the output and renaming it into a store in a temporary folder. Prints CPU
and wall microseconds per step (`--profile`: the functions by their own CPU time). Figures only.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    os.environ |= {
        "TRELLIS_DATA_DIR": tempfile.mkdtemp(prefix="trellis-inline-"),
        "DJANGO_SETTINGS_MODULE": "designer.settings",
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "TRELLIS_REDIS_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from modules.ports import PortType
    from modules.spec import ModuleSpec, Port
    from runner.artifacts import ArtifactStore
    from runner.step_inline import run_inline
    from runner.step_process import StepJob

    text = PortType(
        "text",
        "Text",
        ".txt",
        write=lambda value, path: path.write_text(value),
        read=Path.read_text,
        preview=lambda path: {},
    )
    counter = itertools.count()  # a new output each step, as in a real run (no file is replaced)
    spec = ModuleSpec(
        name="short_text",
        version="1",
        display_name="Short text",
        category="Benchmark",
        function=lambda: {"text": str(next(counter))},
        inputs=(),
        outputs=(Port("text", "text"),),
    )
    store = ArtifactStore(Path(tempfile.mkdtemp(prefix="trellis-inline-store-")))
    job = StepJob(spec=spec, parameters={}, inputs={}, outputs={"text": text}, store=store)

    def steps(count: int) -> None:
        for _ in range(count):
            result = run_inline(job, lambda: None, 5.0, abandon=lambda reason, log: None)
            if not result.ok:
                raise RuntimeError(result.message)

    steps(100)  # warm: imports, the watchdog thread, the store's folders
    cpu, wall = time.process_time(), time.perf_counter()
    steps(arguments.steps)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per_step = 1e6 / arguments.steps
    print(f"run_inline, {arguments.steps} steps: CPU {cpu * per_step:.0f} µs/step, wall {wall * per_step:.0f} µs/step")
    if arguments.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(steps, arguments.steps)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
