"""Versions (list, save with a message, get, download, restore), diffs, and comparing two runs."""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.pipeline_files import graph_download
from designer.pipelines.catalog import module_registry
from designer.pipelines.drafts import draft_schemas, graph_problems
from designer.pipelines.graph import read_graph, schemas_json
from designer.pipelines.models import PipelineVersion
from designer.pipelines.run_comparison import runs_compare
from designer.pipelines.versions import (
    DRAFT,
    pipeline_diff,
    version_get,
    version_restore,
    version_save,
    version_summary_json,
    versions_of,
)
from designer.workspaces.lookups import pipeline_for, run_for
from designer.workspaces.models import Role


class VersionSaveSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(max_length=500, trim_whitespace=True, help_text="What this version is.")
    revision = serializers.IntegerField(
        required=False, min_value=0, help_text="The draft revision you saw: 409 when the draft moved on since."
    )


class RestoreSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(min_value=0, help_text="The draft revision this restore replaces.")
    run = serializers.IntegerField(
        required=False,
        help_text="Clone this run (its id; a run of this version): its parameter values become the draft's defaults.",
    )


class VersionListView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="The pipeline's versions, newest first")
    def get(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        return Response(versions_of(pipeline))

    @extend_schema(request=VersionSaveSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Save a version")
    def post(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        serializer = VersionSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = version_save(pipeline, data["message"], request.user, data.get("revision"))
        return Response(version_summary_json(version), status=status.HTTP_201_CREATED)


class VersionDetailView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="One version: its graph, problems and schemas")
    def get(self, request: Request, pipeline_id: int, number: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        version = version_get(pipeline, number)
        graph = read_graph(version.graph)
        problems = [problem.to_json() for problem in graph_problems(graph, pipeline.workspace)]
        schemas = schemas_json(graph, module_registry())
        body = {**version_summary_json(version), "graph": version.graph, "problems": problems, "schemas": schemas}
        return Response(body)


class VersionGraphView(APIView):
    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, summary="Download a version's graph")
    def get(self, request: Request, pipeline_id: int, number: int) -> HttpResponse:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        version = version_get(pipeline, number)
        return graph_download(version.graph, f"{pipeline.name}-v{version.number}")


class VersionRestoreView(APIView):
    @extend_schema(request=RestoreSerializer, responses=OpenApiTypes.OBJECT, summary="Make a version the draft")
    def post(self, request: Request, pipeline_id: int, number: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        version = version_get(pipeline, number)
        serializer = RestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run_values = _run_values(version, data["run"]) if "run" in data else None
        restored = version_restore(pipeline, version, data["revision"], request.user, run_values)
        return Response(
            {
                "revision": restored.revision,
                "graph": pipeline.draft_graph,
                "problems": [problem.to_json() for problem in restored.problems],
                "schemas": draft_schemas(pipeline),
                "kept": version_summary_json(restored.kept) if restored.kept else None,
            }
        )


def _run_values(version: PipelineVersion, run_id: int) -> dict[str, Any]:
    run = version.runs.filter(pk=run_id).only("parameters").first()
    if run is None:
        raise ValidationError({"run": [f"run {run_id} did not run version {version.number} of this pipeline"]})
    return dict(run.parameters)


def _side_field(**options: Any) -> serializers.RegexField:
    return serializers.RegexField(r"^(draft|\d+)$", help_text='A version number or "draft".', **options)


class DiffSidesSerializer(serializers.Serializer[Any]):
    base = _side_field()
    head = _side_field(default=DRAFT)


class PipelineDiffView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("base", str), OpenApiParameter("head", str)],
        responses=OpenApiTypes.OBJECT,
        summary="What changed from one version (or the draft) to another",
    )
    def get(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        serializer = DiffSidesSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return Response(pipeline_diff(pipeline, serializer.validated_data["base"], serializer.validated_data["head"]))


class RunCompareView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Two runs side by side: changes, statuses, metrics")
    def get(self, request: Request, run_id: int, other_id: int) -> Response:
        return Response(runs_compare(run_for(request.user, run_id), run_for(request.user, other_id)))
