"""Sub-pipelines saved to the gallery: workspace modules of kind "pipeline", whose implementation
is a group's inner graph (with its exposed ports) instead of Python code.

They share the gallery's rows, names, versions and statuses with Python modules. A version never
changes; placing one on a canvas copies its inner graph into a group node that remembers the
module and version it came from (`group.from_module`), so a placed copy is pinned to its version
as a node is pinned to its module's (docs/decisions/0009-sub-pipelines.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from designer.gallery.models import Module, ModuleVersion, VersionStatus
from designer.gallery.publishing import GalleryError, VersionExists
from designer.pipelines.catalog import module_registry
from designer.pipelines.graph import GraphFormatError, read_graph
from designer.workspaces.models import Workspace
from modules.custom import SpecError, module_name

PIPELINE_KIND = "pipeline"
CATEGORY = "Sub-pipelines"


def is_pipeline_spec(spec: Any) -> bool:
    return isinstance(spec, dict) and spec.get("kind") == PIPELINE_KIND


def _checked_group(group: Any) -> dict[str, Any]:
    """The group's inner graph as the graph format reads it; GalleryError naming what is wrong."""
    try:
        graph = read_graph({"format_version": 2, "nodes": [{"id": "group", "group": group}], "edges": []})
    except GraphFormatError as error:
        raise GalleryError(f"the sub-pipeline is not a group of the graph format: {error}") from None
    if graph.group_problems:
        raise GalleryError("; ".join(problem.message for problem in graph.group_problems))
    if not graph.nodes:
        raise GalleryError("the sub-pipeline has no modules")
    checked: dict[str, Any] = graph.document["nodes"][0]["group"]
    return {key: value for key, value in checked.items() if key != "from_module"}


def _checked_name(workspace: Workspace, name: Any) -> tuple[str, Module | None]:
    try:
        name = module_name(name)
    except SpecError as error:
        raise GalleryError(str(error)) from None
    try:
        module_registry().get(name)
    except LookupError:
        pass
    else:
        raise GalleryError(f"'{name}' is the name of a built-in module; choose another name")
    module = Module.objects.filter(workspace=workspace, name=name).first()
    specs = module.versions.values_list("spec", flat=True) if module is not None else []
    if any(not is_pipeline_spec(spec) for spec in specs):
        raise GalleryError(f"'{name}' is a Python module of this workspace; choose another name")
    return name, module


def pipeline_module_publish(
    workspace: Workspace,
    name: Any,
    group: Any,
    user: AbstractBaseUser | None,
    display_name: str = "",
    description: str = "",
) -> ModuleVersion:
    """Publish a group's inner graph as the next version of the workspace's pipeline module `name`."""
    name, module = _checked_name(workspace, name)
    inner = _checked_group(group)
    numbers = [int(v) for v in module.versions.values_list("version", flat=True) if v.isdigit()] if module else []
    version = str(max(numbers, default=0) + 1)
    spec = {
        "kind": PIPELINE_KIND,
        "name": name,
        "version": version,
        "display_name": display_name.strip() or name.replace("_", " ").capitalize(),
        "category": CATEGORY,
        "description": description.strip(),
        "graph": inner,
    }
    fields = {"display_name": spec["display_name"], "category": CATEGORY, "description": spec["description"]}
    with transaction.atomic():
        if module is None:
            module = Module.objects.create(workspace=workspace, name=name, created_by=user, **fields)
        else:
            Module.objects.filter(pk=module.pk).update(**fields)
        if module.versions.filter(version=version).exists():
            raise VersionExists(f"module {name} version {version} was just published by someone else")
        published = ModuleVersion.objects.create(module=module, version=version, spec=spec, code="", published_by=user)
        Module.objects.filter(pk=module.pk).update(default_version=version)
    published.module.refresh_from_db()
    return published


def pipeline_modules_json(workspace: Workspace) -> list[dict[str, Any]]:
    """The workspace's pipeline modules and their usable versions, each with its inner graph (for the palette)."""
    listed = []
    for module in Module.objects.filter(workspace=workspace).prefetch_related("versions"):
        versions = [
            {"version": row.version, "status": row.status, "graph": row.spec["graph"]}
            for row in module.versions.all()
            if is_pipeline_spec(row.spec) and row.status != VersionStatus.DISABLED
        ]
        if versions:
            listed.append(
                {
                    "name": module.name,
                    "display_name": module.display_name,
                    "description": module.description,
                    "default_version": module.default_version,
                    "versions": versions,
                }
            )
    return listed
