"""REST endpoints of workspace datasets and table downloads; each view checks, makes one call, shapes the answer."""

from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.datasets.datasets import (
    ZIP_FORMAT,
    Upload,
    dataset_create,
    dataset_for,
    dataset_version_for,
    dataset_version_preview,
    dataset_version_upload,
    datasets_of,
    upload_check_size,
)
from designer.datasets.downloads import DOWNLOAD_FORMATS, UnknownDownloadFormat, csv_chunks, download_name
from designer.datasets.downloads import stored_table_file as table_file
from designer.datasets.models import Dataset, DatasetVersion
from designer.workspaces.lookups import run_for, workspace_for
from designer.workspaces.models import Role
from modules.table_formats import AUTO, TABLE_FORMATS

# The multipart envelope around a file (boundaries, part headers, the other fields) is small.
ENVELOPE_BYTES = 64 * 1024
PARQUET_TYPE = "application/vnd.apache.parquet"


class DatasetVersionUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="CSV, TSV, Parquet, JSON or Excel .xlsx; or a .zip bundle of files")
    file_format = serializers.ChoiceField(choices=(AUTO, *TABLE_FORMATS, ZIP_FORMAT), default=AUTO)

    def upload(self) -> Upload:
        file = self.validated_data["file"]
        return Upload(name=file.name, size=file.size, content=file, content_type=file.content_type or "")


class DatasetCreateSerializer(DatasetVersionUploadSerializer):
    name = serializers.CharField(max_length=200, trim_whitespace=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


def version_json(version: DatasetVersion) -> dict[str, Any]:
    step = version.exported_by
    return {
        "number": version.number,
        "digest": version.digest,
        "kind": version.kind,
        "row_count": version.row_count,
        "columns": version.columns,
        "files": version.files,
        "file_name": version.file_name,
        "file_format": version.file_format,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "created_at": version.created_at.isoformat(),
        "exported_by": {"run": step.run_id, "node": step.node_id} if step else None,
    }


def dataset_json(dataset: Dataset, with_versions: bool = False) -> dict[str, Any]:
    versions = list(dataset.versions.all())  # newest first (prefetched where listed)
    body = {
        "id": dataset.pk,
        "workspace": dataset.workspace_id,
        "name": dataset.name,
        "description": dataset.description,
        "created_at": dataset.created_at.isoformat(),
        "version_count": len(versions),
        "latest": version_json(versions[0]) if versions else None,
    }
    return body | {"versions": [version_json(v) for v in versions]} if with_versions else body


def _refuse_large_body(request: Request) -> None:
    """413 before reading a body that cannot hold a file within the limit."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > ENVELOPE_BYTES:
        upload_check_size(int(declared) - ENVELOPE_BYTES)


def _valid_upload(serializer_class: type[DatasetVersionUploadSerializer], request: Request) -> Any:
    _refuse_large_body(request)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


class DatasetListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="The workspace's datasets with their latest versions")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id)
        return Response([dataset_json(dataset) for dataset in datasets_of(workspace)])

    @extend_schema(request=DatasetCreateSerializer, responses={201: OpenApiTypes.OBJECT}, summary="Upload a dataset")
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace, _ = workspace_for(request.user, workspace_id, Role.CONTRIBUTOR)
        serializer = _valid_upload(DatasetCreateSerializer, request)
        data = serializer.validated_data
        dataset, _ = dataset_create(
            workspace, data["name"], request.user, serializer.upload(), data["description"], data["file_format"]
        )
        return Response(dataset_json(dataset, with_versions=True), status=status.HTTP_201_CREATED)


class DatasetDetailView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="A dataset and all its versions, newest first")
    def get(self, request: Request, dataset_id: int) -> Response:
        return Response(dataset_json(dataset_for(request.user, dataset_id), with_versions=True))


class DatasetVersionListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=DatasetVersionUploadSerializer,
        responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT},
        summary="Upload a new version (200 with the existing version when it holds the same table)",
    )
    def post(self, request: Request, dataset_id: int) -> Response:
        dataset = dataset_for(request.user, dataset_id, Role.CONTRIBUTOR)
        serializer = _valid_upload(DatasetVersionUploadSerializer, request)
        version, created = dataset_version_upload(
            dataset, request.user, serializer.upload(), serializer.validated_data["file_format"]
        )
        body = {**version_json(version), "created": created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DatasetVersionPreviewView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="First 50 rows and per-column statistics")
    def get(self, request: Request, dataset_id: int, digest: str) -> Response:
        version = dataset_version_for(dataset_for(request.user, dataset_id), digest)
        return Response(dataset_version_preview(version))


def _table_download(digest: str, file_format: str, stem: str) -> FileResponse | StreamingHttpResponse:
    if file_format not in DOWNLOAD_FORMATS:
        raise UnknownDownloadFormat(file_format)
    path, name = table_file(digest), download_name(stem, file_format)
    if file_format == "parquet":
        return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=PARQUET_TYPE)
    response = StreamingHttpResponse(csv_chunks(path), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class DatasetVersionDownloadView(APIView):
    @extend_schema(responses={200: OpenApiTypes.BINARY}, summary="A version's table as CSV or Parquet")
    def get(self, request: Request, dataset_id: int, digest: str, file_format: str) -> Any:
        version = dataset_version_for(dataset_for(request.user, dataset_id), digest)
        return _table_download(version.digest, file_format, f"{version.dataset.name}-v{version.number}")


class OutputDownloadView(APIView):
    @extend_schema(responses={200: OpenApiTypes.BINARY}, summary="A step's table output as CSV or Parquet")
    def get(self, request: Request, run_id: int, node_id: str, port: str, file_format: str) -> Any:
        run = run_for(request.user, run_id)
        step = get_object_or_404(run.steps, node_id=node_id)
        output = step.outputs.get(port)
        if output is None or output["type"] != "table":
            missing = {"detail": f"step {node_id} has no table output '{port}'"}
            return Response(missing, status=status.HTTP_404_NOT_FOUND)
        return _table_download(output["digest"], file_format, f"{run.pipeline.name}-run{run.number}-{node_id}-{port}")
