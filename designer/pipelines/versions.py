"""A pipeline's history: versions saved with a message, their list, restoring one as the draft,
and what changed between two versions (or a version and the draft)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Min

from designer.pipelines.catalog import module_registry
from designer.pipelines.diff import GraphDiff, graph_diff
from designer.pipelines.drafts import StaleDraft, draft_save, graph_digest, version_create
from designer.pipelines.graph import Graph, Problem, read_graph
from designer.pipelines.models import Pipeline, PipelineVersion, VersionOrigin
from designer.pipelines.parameters import document_with_defaults

DRAFT = "draft"


class VersionNotFound(LookupError):
    def __init__(self, pipeline: Pipeline, number: Any) -> None:
        super().__init__(f"pipeline '{pipeline.name}' has no version {number}")


def version_get(pipeline: Pipeline, number: Any) -> PipelineVersion:
    version = pipeline.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise VersionNotFound(pipeline, number)
    return version


def _current_draft(pipeline: Pipeline, base_revision: int | None) -> tuple[dict[str, Any], int]:
    """The draft as stored now; StaleDraft when it moved on since `base_revision` (None: any revision)."""
    graph, revision = Pipeline.objects.values_list("draft_graph", "draft_revision").get(pk=pipeline.pk)
    if base_revision is not None and revision != base_revision:
        raise StaleDraft(revision)
    return graph, revision


def version_save(
    pipeline: Pipeline, message: str, user: AbstractBaseUser | None, base_revision: int | None = None
) -> PipelineVersion:
    """Records the saved draft as a new version with `message`, problems and all (a version is a
    checkpoint, not a promise that it runs). With `base_revision`, refuses a draft that moved on."""
    graph, _ = _current_draft(pipeline, base_revision)
    return version_create(pipeline, read_graph(graph), user, origin=VersionOrigin.SAVED, message=message)


@dataclass(frozen=True)
class Restored:
    revision: int
    problems: list[Problem]
    kept: PipelineVersion | None


@transaction.atomic
def version_restore(
    pipeline: Pipeline,
    version: PipelineVersion,
    base_revision: int,
    user: AbstractBaseUser | None,
    run_values: Mapping[str, Any] | None = None,
) -> Restored:
    """Makes `version`'s graph the draft, guarded by the draft's revision like any save.

    `run_values`: a run's pipeline parameter values, which become the draft's defaults (cloning
    that run). A draft that no version holds yet is first kept as a version of its own, so
    restoring never loses work: the history says "the draft before restoring version N".
    """
    graph, _ = _current_draft(pipeline, base_revision)
    restored = document_with_defaults(version.graph, run_values) if run_values else version.graph
    revision, problems = draft_save(pipeline, restored, base_revision)
    kept = None
    current = read_graph(graph)
    if current.nodes and not pipeline.versions.filter(digest=graph_digest(current.to_json())).exists():
        message = f"The draft before restoring version {version.number}"
        kept = version_create(pipeline, current, user, origin=VersionOrigin.KEPT, message=message)
    return Restored(revision=revision, problems=problems, kept=kept)


def versions_of(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Newest first, each with the runs that ran it: the first one made it when its origin is "run"."""
    runs = {
        row["version_id"]: row
        for row in pipeline.runs.values("version_id").annotate(first=Min("number"), count=Count("id"))
    }
    versions = pipeline.versions.select_related("created_by").order_by("-number")
    return [version_summary_json(version, runs.get(version.pk, {})) for version in versions]


def version_summary_json(version: PipelineVersion, runs: dict[str, Any] | None = None) -> dict[str, Any]:
    if runs is None:
        runs = version.runs.aggregate(first=Min("number"), count=Count("id"))
    made_by_run = runs.get("first") if version.origin == VersionOrigin.RUN else None
    return {
        "number": version.number,
        "message": version.message,
        "origin": version.origin,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "created_at": version.created_at.isoformat(),
        "made_by_run": made_by_run,
        "run_count": runs.get("count") or 0,
    }


def side_graph(pipeline: Pipeline, side: str) -> tuple[dict[str, Any], Graph]:
    """One side of a comparison: "draft" or a version number; its description and its graph."""
    if side == DRAFT:
        graph, revision = _current_draft(pipeline, None)
        return {"kind": DRAFT, "number": None, "revision": revision}, read_graph(graph)
    version = version_get(pipeline, side)
    return {"kind": "version", **version_summary_json(version)}, read_graph(version.graph)


def pipeline_diff(pipeline: Pipeline, base: str, head: str) -> dict[str, Any]:
    """What changed from `base` to `head` (each "draft" or a version number), with both graphs."""
    base_side, base_graph = side_graph(pipeline, base)
    head_side, head_graph = side_graph(pipeline, head)
    diff: GraphDiff = graph_diff(base_graph, head_graph, module_registry())
    return {
        "base": {**base_side, "graph": base_graph.to_json()},
        "head": {**head_side, "graph": head_graph.to_json()},
        **diff.to_json(),
    }
