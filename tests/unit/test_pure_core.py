"""The pure core never imports Django: module code runs in step processes, and the graph format
and planner are used by tools that have no Django project."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = [
    "modules.registry",
    "modules.builtin",
    "designer.pipelines.graph",
    "designer.pipelines.bindings",
    "designer.pipelines.parameters",
    "designer.pipelines.diff",
    "designer.pipelines.metric_comparison",
    "runner.plan",
    "runner.cache",
    "runner.retention",
    "runner.garbage",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_importing_the_pure_core_loads_no_django(module):
    script = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
