"""An inline step (in the worker's own process) is reported on live by the watchdog thread."""

import time

import pandas as pd
import pytest

from modules.step_api import log_metric, report_progress
from runner.models import Run, StepMetric, StepRun
from runner.step_inline import run_inline
from runner.step_report import StepReporter
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of
from tests.runner.probe_jobs import probe_job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def running_step(team) -> StepRun:
    version = version_of(team, GraphBuilder().node("load", "sample_dataset").build())
    run = Run.objects.create(pipeline=version.pipeline, version=version, number=1, status="running")
    return StepRun.objects.create(
        run=run, node_id="load", module="probe", module_version="1", status="running", attempt=1
    )


def test_an_inline_step_sees_its_own_log_and_progress_stored_while_it_runs(team, tmp_path):
    step = running_step(team)
    seen: dict[str, object] = {}

    def chatty() -> dict:
        print("working", flush=True)
        log_metric("loss", 0.5, step=0)
        report_progress(1, 4)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the watchdog thread stores it within half a second or so
            stored = StepRun.objects.get(pk=step.pk)
            if stored.progress_done == 1 and "working" in stored.log:
                seen.update(log=stored.log, metrics=StepMetric.objects.filter(step=stored).count())
                break
            time.sleep(0.05)
        print("done")
        return {"dataset": pd.DataFrame({"a": [1]})}

    job = probe_job(chatty, tmp_path)

    result = run_inline(job, lambda: None, 1.0, lambda reason, log: None, reporter=StepReporter(step, job.store))

    assert result.ok, result.message
    assert seen == {"log": "working\n", "metrics": 1}
    step.refresh_from_db()
    assert result.log == "working\ndone\n"  # what recording the outcome stores as the log
    assert (step.progress_done, step.progress_total) == (1, 4)
