"""Submitting a run: one transaction creates the run and its steps; dispatch follows the commit."""

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from designer.pipelines.drafts import InvalidGraph, graph_problems
from designer.pipelines.models import PipelineVersion
from designer.pipelines.parameters import ParameterValuesError, declared_parameters, graph_with_values, resolve_values
from designer.workspaces.targets import target_queues
from runner.events import run_created
from runner.models import RUN_ACTIVE, Run, RunStatus, StepRun
from runner.options import RunOptionError, RunOptions
from runner.progress import run_advance
from runner.versions import graph_for, node_of, plan_for

NUMBER_ATTEMPTS = 5


def run_submit(
    version: PipelineVersion,
    user: AbstractBaseUser | None,
    options: RunOptions | None = None,
    parameter_values: Mapping[str, Any] | None = None,
) -> Run:
    """A new queued run of `version`, with a pending step per node it runs; ready steps start on commit.

    `parameter_values` set the pipeline parameters; defaults fill the rest. Raises RunOptionError
    when `options` name a node the version does not have, InvalidGraph when a value is unknown,
    missing or does not fit a field bound to it.
    """
    options = options or RunOptions()
    options.check(plan_for(version))
    values = run_parameter_values(version, parameter_values or {})
    for _ in range(NUMBER_ATTEMPTS):  # another submit may take the next number between read and insert
        try:
            with transaction.atomic():
                run = _run_create(version, user, options, values)
                transaction.on_commit(partial(_first_advance, run.pk))
                return run
        except IntegrityError:
            continue
    raise RuntimeError(f"could not number a new run of pipeline {version.pipeline_id}: numbers kept colliding")


def _first_advance(run_id: int) -> None:
    """Start the run in one transaction: the steps it serves from the cache (in an unchanged
    re-run, all of them) and the first dispatches commit together, so the web process waits for
    one WAL flush, not one per step; their tasks and events leave when it commits."""
    with transaction.atomic():
        run_advance(run_id)


def run_retry(run: Run, user: AbstractBaseUser | None) -> Run:
    """A new run of the same version and nodes: steps that completed are reused, the rest run."""
    if run.status in RUN_ACTIVE:
        raise RunOptionError(f"run {run.number} is still {run.status}; retry it once it has finished")
    previous = RunOptions.from_json(run.options)
    return run_submit(run.version, user, RunOptions(up_to=previous.up_to, retry_of=run.pk), run.parameters)


def run_parameter_values(version: PipelineVersion, supplied: Mapping[str, Any]) -> dict[str, Any]:
    """The value of every pipeline parameter for a run of `version`; raises InvalidGraph naming
    each bad value, or each node field a value does not fit."""
    graph = graph_for(version)  # the submit's plan read it already
    try:
        values = resolve_values(declared_parameters(graph), supplied)
    except ParameterValuesError as error:
        raise InvalidGraph(error.problems) from None
    if values:  # the version itself is valid: what is wrong now comes from the values
        problems = graph_problems(graph_with_values(graph, values), version.pipeline.workspace)
        if problems:
            raise InvalidGraph(problems)
    return values


def _run_create(
    version: PipelineVersion, user: AbstractBaseUser | None, options: RunOptions, values: dict[str, Any]
) -> Run:
    plan = plan_for(version)
    number = (Run.objects.filter(pipeline_id=version.pipeline_id).aggregate(top=Max("number"))["top"] or 0) + 1
    run = Run.objects.create(
        pipeline_id=version.pipeline_id,
        version=version,
        number=number,
        status=RunStatus.QUEUED,
        created_by=user,
        options=options.to_json(),
        parameters=values,
    )
    nodes = {node_id: node_of(version, node_id) for node_id in plan.order}
    queues = target_queues(version.pipeline.workspace)
    for node in nodes.values():
        if (node.get("compute_target") or "") not in queues:
            raise RunOptionError(
                f"node {node['id']} runs on compute target '{node['compute_target']}', "
                "which this workspace no longer has; pick another one on the node"
            )
    StepRun.objects.bulk_create(
        StepRun(
            run=run,
            node_id=node_id,
            module=nodes[node_id]["module"],
            module_version=nodes[node_id]["version"],
            compute_target=nodes[node_id].get("compute_target") or "",
            queue=queues[nodes[node_id].get("compute_target") or ""],
        )
        for node_id in options.nodes_to_run(plan)
    )
    run_created(run)
    return run
