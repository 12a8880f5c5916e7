"""REST endpoints for the artifact store: a workspace's store size and retention rules, pinning a run."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.workspaces.lookups import run_for, workspace_for
from designer.workspaces.models import Role
from runner.release import run_keep_set, workspace_retention, workspace_retention_set
from runner.state import run_snapshot
from runner.storage import workspace_storage

JSON_OBJECT = {200: OpenApiTypes.OBJECT}
MAX_KEEP = 36_500  # a hundred years of days, or of runs: "forever" for any install


class RetentionSerializer(serializers.Serializer[Any]):
    """A workspace's override of the retention defaults; null (or left out) keeps the default."""

    keep_days = serializers.IntegerField(
        min_value=0, max_value=MAX_KEEP, allow_null=True, default=None, help_text="Keep every run's outputs this long."
    )
    keep_last = serializers.IntegerField(
        min_value=0, max_value=MAX_KEEP, allow_null=True, default=None, help_text="Always keep each pipeline's last N."
    )


class KeepSerializer(serializers.Serializer[Any]):
    keep = serializers.BooleanField(help_text="true: the retention rules never release this run's outputs")


class WorkspaceStorageView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="Store size, what retention would free, the rules (owner)")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        return Response(workspace_storage(workspace))


class WorkspaceRetentionView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="The retention rules in force (owner)")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        return Response(workspace_retention(workspace.pk).to_json())

    @extend_schema(request=RetentionSerializer, responses=JSON_OBJECT, summary="Override the retention defaults")
    def put(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        serializer = RetentionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        retention = workspace_retention_set(workspace, data["keep_days"], data["keep_last"], request.user)
        return Response(retention.to_json())


class RunKeepView(APIView):
    @extend_schema(request=KeepSerializer, responses=JSON_OBJECT, summary="Pin a run's outputs, or unpin them")
    def put(self, request: Request, run_id: int) -> Response:
        run = run_for(request.user, run_id, Role.CONTRIBUTOR)
        serializer = KeepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(run_snapshot(run_keep_set(run, serializer.validated_data["keep"])))
