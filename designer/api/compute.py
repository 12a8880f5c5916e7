"""Compute targets of a workspace: members read them (with who serves them); owners change them."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.workspaces.lookups import workspace_for
from designer.workspaces.models import Role
from designer.workspaces.targets import target_create, target_update
from runner.compute import target_json, targets_overview


class TargetWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    timeout_seconds = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0.001)
    cpu_seconds = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    memory_mb = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class TargetListView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Compute targets, their limits and live workers")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        return Response(targets_overview(workspace))

    @extend_schema(request=TargetWriteSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        serializer = TargetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = target_create(workspace, **serializer.validated_data)
        return Response(target_json(target), status=status.HTTP_201_CREATED)


class TargetDetailView(APIView):
    def _target(self, request: Request, workspace_id: int, name: str) -> Any:
        workspace, _ = workspace_for(request.user, workspace_id, Role.OWNER)
        return get_object_or_404(workspace.compute_targets.select_related("workspace"), name=name)

    @extend_schema(request=TargetWriteSerializer(partial=True), responses={200: OpenApiTypes.OBJECT})
    def patch(self, request: Request, workspace_id: int, name: str) -> Response:
        target = self._target(request, workspace_id, name)
        serializer = TargetWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {key: value for key, value in serializer.validated_data.items() if key != "name"}
        return Response(target_json(target_update(target, **changes)))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, workspace_id: int, name: str) -> Response:
        self._target(request, workspace_id, name).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
