"""The workspace gallery: modules, their versions and statuses, package uploads, node upgrades."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.gallery_serializers import (
    ModulePatchSerializer,
    PackageUploadSerializer,
    PipelineModuleSerializer,
    PublishSerializer,
    UpgradeCheckSerializer,
    VersionStatusSerializer,
    module_json,
)
from designer.gallery.models import Module, VersionStatus
from designer.gallery.packages import package_read
from designer.gallery.pipeline_modules import pipeline_module_publish, pipeline_modules_json
from designer.gallery.publishing import module_publish, module_set_default, version_set_status
from designer.gallery.upgrades import node_upgrade_check
from designer.workspaces.lookups import workspace_for
from designer.workspaces.models import Role

JSON_OBJECT = {200: OpenApiTypes.OBJECT}
UPLOAD_PARSERS = [JSONParser, MultiPartParser, FormParser]


def _valid(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _module(request: Request, workspace_id: int, name: str, minimum: Role = Role.READER) -> Module:
    workspace, _ = workspace_for(request.user, workspace_id, minimum)
    return get_object_or_404(Module, workspace=workspace, name=name)


class ModuleListView(APIView):
    parser_classes = UPLOAD_PARSERS

    @extend_schema(responses=JSON_OBJECT, summary="The workspace's modules with their versions")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        modules = Module.objects.filter(workspace=workspace).prefetch_related("versions__published_by")
        return Response([module_json(module) for module in modules])

    @extend_schema(request=PublishSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Publish a version")
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.CONTRIBUTOR)
        data = _valid(PublishSerializer, request)
        bundle = data["bundle"].read() if data.get("bundle") else None
        published = module_publish(workspace, data["spec"], data["code"], request.user, bundle, data["make_default"])
        return Response(module_json(published.module), status=status.HTTP_201_CREATED)


class PackageUploadView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=PackageUploadSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Upload a zip")
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.CONTRIBUTOR)
        data = _valid(PackageUploadSerializer, request)
        package = package_read(data["package"].read())
        published = module_publish(
            workspace, package.spec, package.code, request.user, package.bundle, data["make_default"]
        )
        return Response(module_json(published.module), status=status.HTTP_201_CREATED)


class ModuleDetailView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="A module, its versions and their code")
    def get(self, request: Request, workspace_id: int, name: str) -> Response:
        return Response(module_json(_module(request, workspace_id, name), with_code=True))

    @extend_schema(request=ModulePatchSerializer, responses=JSON_OBJECT, summary="Set the default version")
    def patch(self, request: Request, workspace_id: int, name: str) -> Response:
        module = _module(request, workspace_id, name, Role.CONTRIBUTOR)
        module_set_default(module, _valid(ModulePatchSerializer, request)["default_version"])
        module.refresh_from_db()
        return Response(module_json(module))


class VersionStatusView(APIView):
    @extend_schema(request=VersionStatusSerializer, responses=JSON_OBJECT, summary="Activate, deprecate or disable")
    def patch(self, request: Request, workspace_id: int, name: str, version: str) -> Response:
        module = _module(request, workspace_id, name, Role.CONTRIBUTOR)
        found = get_object_or_404(module.versions, version=version)
        data = _valid(VersionStatusSerializer, request)
        version_set_status(found, VersionStatus(data["status"]), request.user, data["reason"])
        module.refresh_from_db()
        return Response(module_json(module))


class UpgradeCheckView(APIView):
    @extend_schema(request=UpgradeCheckSerializer, responses=JSON_OBJECT, summary="What moving a node would change")
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        data = _valid(UpgradeCheckSerializer, request)
        return Response(node_upgrade_check(workspace.pk, **data).to_json())


class PipelineModuleListView(APIView):
    @extend_schema(responses=JSON_OBJECT, summary="The workspace's sub-pipeline modules, with their inner graphs")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        return Response(pipeline_modules_json(workspace))

    @extend_schema(
        request=PipelineModuleSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Save a group as a module"
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.CONTRIBUTOR)
        data = _valid(PipelineModuleSerializer, request)
        published = pipeline_module_publish(
            workspace, data["name"], data["group"], request.user, data["display_name"], data["description"]
        )
        return Response({"name": published.module.name, "version": published.version}, status=status.HTTP_201_CREATED)
