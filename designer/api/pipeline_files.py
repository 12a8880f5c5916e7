"""Pipelines as files and as things you keep: download a graph, read an uploaded one,
duplicate a pipeline, bring a deleted one back."""

import json
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers import pipeline_summary_json
from designer.api.views import pipeline_detail_json
from designer.pipelines.catalog import module_registry
from designer.pipelines.graph import read_graph, validate
from designer.pipelines.lifecycle import pipeline_duplicate, pipeline_restore
from designer.workspaces.lookups import pipeline_for
from designer.workspaces.models import Role


def graph_download(document: dict[str, Any], name: str) -> HttpResponse:
    """The graph as a JSON file the browser saves under `name`.json (and Trellis reads back)."""
    response = HttpResponse(json.dumps(document, indent=2) + "\n", content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "pipeline"}.json"'
    return response


class PipelineGraphView(APIView):
    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, summary="Download the draft graph")
    def get(self, request: Request, pipeline_id: int) -> HttpResponse:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        return graph_download(pipeline.draft_graph, pipeline.name)


class GraphDocumentSerializer(serializers.Serializer[Any]):
    graph = serializers.JSONField(help_text="A graph document, in any format version this Trellis reads.")


class GraphReadView(APIView):
    @extend_schema(
        request=GraphDocumentSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        summary="Read a graph document: upgraded to the current format and checked, with its problems",
    )
    def post(self, request: Request) -> Response:
        serializer = GraphDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        graph = read_graph(serializer.validated_data["graph"])
        # A file belongs to no workspace yet: its compute targets are checked once it is a pipeline's.
        problems = validate(graph, module_registry())
        return Response({"graph": graph.to_json(), "problems": [problem.to_json() for problem in problems]})


class DuplicateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False, help_text='Default: "<name> (copy)".')


class PipelineDuplicateView(APIView):
    @extend_schema(request=DuplicateSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Copy the draft")
    def post(self, request: Request, pipeline_id: int) -> Response:
        pipeline, role = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        serializer = DuplicateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = pipeline_duplicate(pipeline, request.user, serializer.validated_data.get("name"))
        return Response(pipeline_detail_json(copy, role), status=status.HTTP_201_CREATED)


class PipelineRestoreView(APIView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT, summary="Bring a deleted pipeline back")
    def post(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR, deleted_ok=True)
        return Response(pipeline_summary_json(pipeline_restore(pipeline)))
