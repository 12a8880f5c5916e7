"""A step job for a probe function, as the worker would build it for a one-table module."""

from pathlib import Path
from typing import Any

from modules.ports import TABLE
from modules.spec import ModuleSpec, Port
from runner.artifacts import ArtifactStore
from runner.step_process import StepJob


def probe_job(function: Any, tmp_path: Path, inputs: dict[str, Any] | None = None, **job: Any) -> StepJob:
    """`function` as a module with an optional table in and a table out; `job` sets StepJob fields
    (`runs_user_code` goes to the spec)."""
    spec = ModuleSpec(
        name="probe",
        version="1",
        display_name="Probe",
        category="Tests",
        function=function,
        inputs=(Port("dataset", "table", optional=True),),
        outputs=(Port("dataset", "table"),),
        runs_user_code=job.pop("runs_user_code", False),
    )
    store = ArtifactStore(tmp_path)
    return StepJob(spec=spec, parameters={}, inputs=inputs or {}, outputs={"dataset": TABLE}, store=store, **job)
