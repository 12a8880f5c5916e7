"""Starting a run from a pipeline's draft."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from designer.pipelines.drafts import version_record
from designer.pipelines.models import Pipeline


def pipeline_run_draft(
    pipeline: Pipeline, user: AbstractBaseUser | None, options: Any = None, parameter_values: Any = None
) -> Any:
    """Validate the saved draft, record it as a version (or reuse an identical latest one), run it
    with `options` (a runner.options.RunOptions; None runs everything, reusing what is cached)
    and `parameter_values` (pipeline parameter name -> value; defaults fill the rest).

    Raises InvalidGraph, and then nothing is recorded and nothing runs; RunOptionError when the
    options name a node the draft does not have.
    """
    from runner.submit import run_submit

    with transaction.atomic():  # a refused option leaves no new version behind either
        version = version_record(pipeline, pipeline.draft_graph, user)
        return run_submit(version, user, options, parameter_values)


def pipeline_runs(pipeline: Pipeline) -> Any:
    """The pipeline's runs, newest first."""
    from runner.models import Run

    return Run.objects.filter(pipeline=pipeline).order_by("-number")


def latest_run(pipeline: Pipeline) -> Any:
    return pipeline_runs(pipeline).first()
