"""One table from domain errors to HTTP: (status, body). Domain code never mentions HTTP."""

from collections.abc import Callable
from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from designer.datasets.datasets import DatasetError, UploadTooLarge
from designer.datasets.downloads import UnknownDownloadFormat
from designer.gallery.publishing import GalleryError, PackageTooLarge, VersionExists
from designer.pipelines.drafts import InvalidGraph, StaleDraft
from designer.pipelines.graph import GraphFormatError
from designer.pipelines.lifecycle import PipelineDeleted
from designer.pipelines.versions import VersionNotFound
from designer.workspaces.access import AccessDenied, MembershipError
from designer.workspaces.targets import TargetError
from modules.archives import ArchiveError
from modules.custom import SpecError
from modules.registry import ModuleNotFound
from runner.artifacts import ArtifactMissing
from runner.cancel import RunNotActive
from runner.options import RunOptionError


def _access_denied(error: AccessDenied) -> tuple[int, dict[str, Any]]:
    if error.hidden:
        return status.HTTP_404_NOT_FOUND, {"detail": "Not found."}
    return status.HTTP_403_FORBIDDEN, {"detail": str(error)}


ERROR_RESPONSES: dict[type[Exception], Callable[[Any], tuple[int, dict[str, Any]]]] = {
    AccessDenied: _access_denied,
    StaleDraft: lambda error: (
        status.HTTP_409_CONFLICT,
        {"detail": str(error), "revision": error.current_revision},
    ),
    GraphFormatError: lambda error: (
        status.HTTP_400_BAD_REQUEST,
        {"detail": "the graph is not in a format Trellis reads", "errors": error.errors},
    ),
    InvalidGraph: lambda error: (
        status.HTTP_400_BAD_REQUEST,
        {"detail": str(error), "problems": [problem.to_json() for problem in error.problems]},
    ),
    MembershipError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": str(error)}),
    RunOptionError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": str(error)}),
    RunNotActive: lambda error: (status.HTTP_409_CONFLICT, {"detail": str(error)}),
    SpecError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": f"the module is refused: {error}"}),
    ArchiveError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": f"the archive is refused: {error}"}),
    PackageTooLarge: lambda error: (status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, {"detail": str(error)}),
    VersionExists: lambda error: (status.HTTP_409_CONFLICT, {"detail": str(error)}),
    GalleryError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": str(error)}),
    ModuleNotFound: lambda error: (status.HTTP_404_NOT_FOUND, {"detail": str(error)}),
    PipelineDeleted: lambda error: (status.HTTP_410_GONE, {"detail": str(error)}),
    VersionNotFound: lambda error: (status.HTTP_404_NOT_FOUND, {"detail": str(error)}),
    TargetError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": str(error), error.field: [error.message]}),
    DatasetError: lambda error: (status.HTTP_400_BAD_REQUEST, {"detail": str(error)}),
    UploadTooLarge: lambda error: (status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, {"detail": str(error)}),
    UnknownDownloadFormat: lambda error: (status.HTTP_404_NOT_FOUND, {"detail": str(error)}),
    ArtifactMissing: lambda error: (status.HTTP_404_NOT_FOUND, {"detail": str(error)}),
}


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    for error_type, respond in ERROR_RESPONSES.items():
        if isinstance(error, error_type):
            code, body = respond(error)
            return Response(body, status=code)
    return drf_exception_handler(error, context)
