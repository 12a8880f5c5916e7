"""Pipelines, their drafts and versions: the domain functions behind the API and the CLI."""

import hashlib
import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max

from designer.datasets.checks import dataset_problems
from designer.pipelines.catalog import workspace_registry
from designer.pipelines.graph import Graph, Problem, read_graph, schemas_json, validate
from designer.pipelines.models import Pipeline, PipelineVersion, VersionOrigin, empty_graph
from designer.workspaces.models import Workspace
from designer.workspaces.targets import target_names
from runner.observed import observed_schemas


class StaleDraft(Exception):
    """The draft changed since the client read it; saving would overwrite someone's work."""

    def __init__(self, current_revision: int) -> None:
        super().__init__(
            f"the draft was saved elsewhere (now at revision {current_revision}); reload it before saving again"
        )
        self.current_revision = current_revision


class InvalidGraph(Exception):
    """The graph has problems that keep it from running."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the pipeline has {len(problems)} problem(s)")
        self.problems = problems


def graph_digest(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def pipeline_create(
    workspace: Workspace, name: str, user: AbstractBaseUser | None, graph: dict[str, Any] | None = None
) -> Pipeline:
    document = read_graph(graph).to_json() if graph is not None else empty_graph()
    return Pipeline.objects.create(workspace=workspace, name=name, created_by=user, draft_graph=document)


def graph_problems(graph: Graph, workspace: Workspace) -> list[Problem]:
    """What keeps `graph` from running in its workspace: the pure checks (its own modules and compute
    targets count as known; columns seen on cached outputs count as known), then the datasets it names."""
    registry = workspace_registry(workspace.pk)
    observed = observed_schemas(graph, registry, workspace.pk)  # only current ones are complete
    return [*validate(graph, registry, target_names(workspace), observed), *dataset_problems(graph, workspace.pk)]


def draft_save(pipeline: Pipeline, document: Any, base_revision: int) -> tuple[int, list[Problem]]:
    """Save a new draft over `base_revision`; returns the new revision and the graph's problems.

    Any graph that passes the format check is saved, problems and all, so no edit is lost.
    Raises GraphFormatError for a malformed graph and StaleDraft when someone saved first.
    """
    graph = read_graph(document)
    new_revision = base_revision + 1
    saved = Pipeline.objects.filter(pk=pipeline.pk, draft_revision=base_revision).update(
        draft_graph=graph.to_json(), draft_revision=new_revision
    )
    if not saved:
        current = Pipeline.objects.values_list("draft_revision", flat=True).get(pk=pipeline.pk)
        raise StaleDraft(current)
    pipeline.draft_graph, pipeline.draft_revision = graph.to_json(), new_revision
    return new_revision, graph_problems(graph, pipeline.workspace)


def draft_problems(pipeline: Pipeline) -> list[Problem]:
    return graph_problems(read_graph(pipeline.draft_graph), pipeline.workspace)


def draft_schemas(pipeline: Pipeline) -> dict[str, Any]:
    """The columns every port of the draft will carry, as far as known before running or seen in its runs."""
    graph, registry = read_graph(pipeline.draft_graph), workspace_registry(pipeline.workspace_id)
    return schemas_json(graph, registry, observed_schemas(graph, registry, pipeline.workspace_id, pipeline.pk))


def version_record(pipeline: Pipeline, document: Any, user: AbstractBaseUser | None) -> PipelineVersion:
    """The version holding this graph: the latest one if it is the same, else a new numbered one.

    Raises InvalidGraph (nothing is recorded) when the graph cannot run.
    """
    graph = read_graph(document)
    problems = graph_problems(graph, pipeline.workspace)
    if problems:
        raise InvalidGraph(problems)
    return version_create(pipeline, graph, user, reuse_latest=True)


def version_create(
    pipeline: Pipeline,
    graph: Graph,
    user: AbstractBaseUser | None,
    origin: str = VersionOrigin.RUN,
    message: str = "",
    reuse_latest: bool = False,
) -> PipelineVersion:
    """A new numbered version holding `graph` (or, with `reuse_latest`, the latest one if it holds the same)."""
    digest = graph_digest(graph.to_json())
    for _ in range(3):  # another process may take the next number between our read and insert
        latest = pipeline.versions.order_by("-number").first()
        if reuse_latest and latest is not None and latest.digest == digest:
            return latest
        try:
            with transaction.atomic():
                number = (pipeline.versions.aggregate(top=Max("number"))["top"] or 0) + 1
                return PipelineVersion.objects.create(
                    pipeline=pipeline,
                    number=number,
                    graph=graph.to_json(),
                    digest=digest,
                    created_by=user,
                    origin=origin,
                    message=message,
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"could not record a version of pipeline {pipeline.pk}: version numbers kept colliding")
