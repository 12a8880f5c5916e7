"""Load a workspace, pipeline or run for a user, checking their role on the way.

Anything the user may not see is reported as not found, so ids of other workspaces leak nothing.
"""

from typing import Any

from designer.pipelines.models import Pipeline
from designer.workspaces.access import AccessDenied, User, require_role
from designer.workspaces.models import Role, Workspace


def workspace_for(user: User, workspace_id: Any, minimum: Role = Role.READER) -> tuple[Workspace, Role]:
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        raise AccessDenied(f"no workspace {workspace_id}", hidden=True)
    return workspace, require_role(user, workspace, minimum)


def pipeline_for(
    user: User, pipeline_id: Any, minimum: Role = Role.READER, deleted_ok: bool = False
) -> tuple[Pipeline, Role]:
    """The pipeline and the user's role; a deleted one only with `deleted_ok` (else PipelineDeleted)."""
    from designer.pipelines.lifecycle import PipelineDeleted

    pipeline = Pipeline.objects.select_related("workspace").filter(pk=pipeline_id).first()
    if pipeline is None:
        raise AccessDenied(f"no pipeline {pipeline_id}", hidden=True)
    role = require_role(user, pipeline.workspace, minimum)
    if pipeline.deleted_at is not None and not deleted_ok:
        raise PipelineDeleted(pipeline)
    return pipeline, role


def run_for(user: User, run_id: Any, minimum: Role = Role.READER) -> Any:
    from runner.models import Run

    run = Run.objects.select_related("pipeline__workspace", "version").filter(pk=run_id).first()
    if run is None:
        raise AccessDenied(f"no run {run_id}", hidden=True)
    require_role(user, run.pipeline.workspace, minimum)
    return run
