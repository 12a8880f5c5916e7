"""Starting a run from a pipeline's draft."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from designer.pipelines.drafts import version_record
from designer.pipelines.models import Pipeline


def pipeline_run_draft(pipeline: Pipeline, user: AbstractBaseUser | None) -> Any:
    """Validate the saved draft, record it as a version (or reuse an identical latest one), run it.

    Raises InvalidGraph, and then nothing is recorded and nothing runs.
    """
    from runner.submit import run_submit

    version = version_record(pipeline, pipeline.draft_graph, user)
    return run_submit(version, user)


def pipeline_runs(pipeline: Pipeline) -> Any:
    """The pipeline's runs, newest first."""
    from runner.models import Run

    return Run.objects.filter(pipeline=pipeline).order_by("-number")


def latest_run(pipeline: Pipeline) -> Any:
    return pipeline_runs(pipeline).first()
