"""REST endpoints. Each view validates, makes one domain call and shapes the answer."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers import (
    DraftWriteSerializer,
    MemberWriteSerializer,
    NameSerializer,
    PipelineCreateSerializer,
    RoleSerializer,
    RunRequestSerializer,
    pipeline_summary_json,
    workspace_json,
)
from designer.pipelines.catalog import module_registry, workspace_registry
from designer.pipelines.drafts import InvalidGraph, draft_problems, draft_save, draft_schemas, pipeline_create
from designer.pipelines.lifecycle import pipeline_delete, pipeline_rename
from designer.pipelines.models import Pipeline
from designer.pipelines.run_comparison import run_list_json
from designer.pipelines.running import latest_run, pipeline_run_draft, pipeline_runs
from designer.workspaces.access import membership_remove, membership_set, workspace_create, workspaces_of
from designer.workspaces.lookups import pipeline_for, run_for, workspace_for
from designer.workspaces.models import Membership, Role
from runner.cancel import run_cancel
from runner.models import AttachmentKind
from runner.state import (
    attachment_path,
    attachment_preview,
    output_preview,
    run_metrics,
    run_snapshot,
    step_attachment,
    step_log_json,
)
from runner.submit import run_retry

JSON_OBJECT = {200: OpenApiTypes.OBJECT}


def _valid(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MeView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request) -> Response:
        return Response({"id": request.user.pk, "username": request.user.get_username()})


class CatalogView(APIView):
    @extend_schema(
        responses=JSON_OBJECT,
        summary="Module specs and the port compatibility table",
        parameters=[OpenApiParameter("workspace", int, description="Add this workspace's own modules.")],
    )
    def get(self, request: Request) -> Response:
        workspace_id = request.query_params.get("workspace")
        if workspace_id is None:
            return Response(module_registry().catalog())
        workspace, _ = workspace_for(request.user, workspace_id if workspace_id.isdigit() else None)
        return Response(workspace_registry(workspace.pk).catalog())


class WorkspaceListView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request) -> Response:
        return Response([workspace_json(workspace, role) for workspace, role in workspaces_of(request.user)])

    @extend_schema(request=NameSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        workspace = workspace_create(_valid(NameSerializer, request)["name"], request.user)
        return Response(workspace_json(workspace, Role.OWNER), status=status.HTTP_201_CREATED)


class MemberListView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        memberships = Membership.objects.filter(workspace=workspace).select_related("user").order_by("user__username")
        return Response([{"username": m.user.get_username(), "role": m.role} for m in memberships])

    @extend_schema(request=MemberWriteSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        data = _valid(MemberWriteSerializer, request)
        membership = membership_set(workspace, data["username"], Role(data["role"]))
        body = {"username": membership.user.get_username(), "role": membership.role}
        return Response(body, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    def _member(self, request: Request, workspace_id: int, username: str) -> tuple[Any, Any]:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        user = get_object_or_404(get_user_model(), username=username, memberships__workspace=workspace)
        return workspace, user

    @extend_schema(request=RoleSerializer, responses=JSON_OBJECT)
    def patch(self, request: Request, workspace_id: int, username: str) -> Response:
        workspace, user = self._member(request, workspace_id, username)
        membership = membership_set(workspace, user, Role(_valid(RoleSerializer, request)["role"]))
        return Response({"username": username, "role": membership.role})

    @extend_schema(responses={204: None})
    def delete(self, request: Request, workspace_id: int, username: str) -> Response:
        workspace, user = self._member(request, workspace_id, username)
        membership_remove(workspace, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def pipeline_detail_json(pipeline: Pipeline, role: Role) -> dict[str, Any]:
    run = latest_run(pipeline)
    return {
        **pipeline_summary_json(pipeline),
        "role": role.value,
        "draft": {
            "graph": pipeline.draft_graph,
            "revision": pipeline.draft_revision,
            "problems": [problem.to_json() for problem in draft_problems(pipeline)],
            "schemas": draft_schemas(pipeline),
        },
        "latest_run": run_snapshot(run) if run else None,
    }


class PipelineListView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("deleted", bool, description="List the deleted pipelines instead")],
        responses=JSON_OBJECT,
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        deleted = request.query_params.get("deleted") in ("1", "true")
        pipelines = workspace.pipelines.deleted() if deleted else workspace.pipelines.live()
        return Response([pipeline_summary_json(pipeline) for pipeline in pipelines])

    @extend_schema(request=PipelineCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, role = workspace_for(request.user, workspace_id, Role.CONTRIBUTOR)
        data = _valid(PipelineCreateSerializer, request)
        pipeline = pipeline_create(workspace, data["name"], request.user, data.get("graph"))
        return Response(pipeline_detail_json(pipeline, role), status=status.HTTP_201_CREATED)


class PipelineDetailView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, pipeline_id: int) -> Response:
        pipeline, role = pipeline_for(request.user, pipeline_id)
        return Response(pipeline_detail_json(pipeline, role))

    @extend_schema(request=NameSerializer, responses=JSON_OBJECT, summary="Rename")
    def patch(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        return Response(pipeline_summary_json(pipeline_rename(pipeline, _valid(NameSerializer, request)["name"])))

    @extend_schema(responses={204: None}, summary="Move to the Deleted list (restore with POST .../restore/)")
    def delete(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        pipeline_delete(pipeline, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftView(APIView):
    @extend_schema(request=DraftWriteSerializer, responses=JSON_OBJECT, summary="Save the draft (409 when stale)")
    def put(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        data = _valid(DraftWriteSerializer, request)
        revision, problems = draft_save(pipeline, data["graph"], data["revision"])
        problems_json = [problem.to_json() for problem in problems]
        return Response({"revision": revision, "problems": problems_json, "schemas": draft_schemas(pipeline)})


class ValidateView(APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def post(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        problems = draft_problems(pipeline)
        if problems:
            raise InvalidGraph(problems)
        return Response({"problems": []})


class RunListView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id)
        runs = pipeline_runs(pipeline).select_related("version", "created_by")[:100]
        return Response([run_list_json(run) for run in runs])

    @extend_schema(request=RunRequestSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Run the saved draft")
    def post(self, request: Request, pipeline_id: int) -> Response:
        pipeline, _ = pipeline_for(request.user, pipeline_id, Role.CONTRIBUTOR)
        serializer = RunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data["parameters"]
        run = pipeline_run_draft(pipeline, request.user, serializer.options(), values)
        return Response(run_snapshot(run), status=status.HTTP_201_CREATED)


class RunDetailView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, run_id: int) -> Response:
        return Response(run_snapshot(run_for(request.user, run_id)))


class RunRetryView(APIView):
    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT}, summary="Run again, reusing completed steps")
    def post(self, request: Request, run_id: int) -> Response:
        run = run_retry(run_for(request.user, run_id, Role.CONTRIBUTOR), request.user)
        return Response(run_snapshot(run), status=status.HTTP_201_CREATED)


class RunCancelView(APIView):
    @extend_schema(request=None, responses=JSON_OBJECT, summary="Cancel a queued or running run")
    def post(self, request: Request, run_id: int) -> Response:
        run = run_cancel(run_for(request.user, run_id, Role.CONTRIBUTOR), request.user.get_username())
        return Response(run_snapshot(run))


def _step(request: Request, run_id: int, node_id: str) -> Any:
    run = run_for(request.user, run_id)
    return get_object_or_404(run.steps, node_id=node_id)


class StepLogView(APIView):
    @extend_schema(responses=JSON_OBJECT)
    def get(self, request: Request, run_id: int, node_id: str) -> Response:
        return Response(step_log_json(_step(request, run_id, node_id)))


class RunMetricsView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="Metrics, tables and images the run's steps logged")
    def get(self, request: Request, run_id: int) -> Response:
        return Response({"steps": run_metrics(run_for(request.user, run_id))})


class StepAttachmentView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="A logged table's preview, or a logged image (?raw=1: its PNG)")
    def get(self, request: Request, run_id: int, node_id: str, attachment_id: int) -> Response | FileResponse:
        try:
            attachment = step_attachment(_step(request, run_id, node_id), attachment_id)
            if attachment.kind == AttachmentKind.IMAGE and request.query_params.get("raw"):
                return FileResponse(attachment_path(attachment).open("rb"), content_type="image/png")
            return Response(attachment_preview(attachment))
        except (LookupError, FileNotFoundError) as error:
            return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)


class OutputPreviewView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="First 50 rows, column names and types of an output")
    def get(self, request: Request, run_id: int, node_id: str, port: str) -> Response:
        step = _step(request, run_id, node_id)
        try:
            return Response(output_preview(step, port))
        except LookupError as error:
            return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)
