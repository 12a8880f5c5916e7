"""Publishing workspace modules, and changing what may change afterwards: statuses and the default.

A version's spec, code and bundle are written once, when it is published, and never again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from designer.gallery.models import Module, ModuleVersion, VersionStatus
from designer.pipelines.catalog import module_registry
from designer.workspaces.models import Workspace
from modules.custom import module_name, spec_from_json
from modules.ports import ZIP
from modules.registry import version_order
from runner.models import Artifact
from runner.store import artifact_store


class GalleryError(ValueError):
    """A gallery change that is refused (a name taken, a version that exists, a disabled default)."""


class VersionExists(GalleryError):
    pass


class PackageTooLarge(GalleryError):
    pass


def _next_version(module: Module | None) -> str:
    if module is None:
        return "1"
    numbers = [int(v) for v in module.versions.values_list("version", flat=True) if v.isdigit()]
    return str(max(numbers, default=0) + 1)


def _checked_name(document: dict[str, Any]) -> str:
    name = module_name(document.get("name"))
    try:
        module_registry().get(name)
    except LookupError:
        return name
    raise GalleryError(f"'{name}' is the name of a built-in module; choose another name")


def bundle_store(data: bytes) -> str:
    """Keep a bundle zip in the artifact store; its digest."""
    stored = artifact_store().write(data, ZIP)  # with fsync when TRELLIS_ARTIFACT_FSYNC is on
    Artifact.objects.get_or_create(digest=stored.digest, defaults={"port_type": ZIP.name, "size": stored.size})
    return stored.digest


def bundle_digests(workspace_id: int | None = None) -> QuerySet[ModuleVersion, str]:
    """Digests of the helper-file zips of published versions (in one workspace, or all): roots the
    artifact collection keeps, registered as the "module bundles" root provider (runner/housekeeping.py)."""
    versions = ModuleVersion.objects.exclude(bundle_digest="")
    if workspace_id is not None:
        versions = versions.filter(module__workspace_id=workspace_id)
    return versions.values_list("bundle_digest", flat=True)


def module_publish(
    workspace: Workspace,
    document: dict[str, Any],
    code: str,
    user: AbstractBaseUser | None,
    bundle: bytes | None = None,
    make_default: bool = True,
) -> ModuleVersion:
    """Publish a new module, or a new version of the workspace's module of that name.

    The version is the document's "version", or the next whole number. Raises SpecError (the
    spec or code does not fit), GalleryError or VersionExists; nothing is saved then.
    """
    name = _checked_name(document)
    module = Module.objects.filter(workspace=workspace, name=name).first()
    version = str(document.get("version") or _next_version(module))
    if module is not None and module.versions.filter(version=version).exists():
        raise VersionExists(f"module {name} already has a version {version}; versions never change once published")
    document = {**document, "version": version}
    port_types = [port_type.name for port_type in module_registry().port_types()]
    spec = spec_from_json(document, code, port_types)  # refuses a spec or code that does not fit
    digest = bundle_store(bundle) if bundle else ""
    try:
        with transaction.atomic():
            module = _module_for(workspace, spec, user, module)
            published = ModuleVersion.objects.create(
                module=module, version=version, spec=document, code=code, bundle_digest=digest, published_by=user
            )
            if make_default or not module.default_version:
                Module.objects.filter(pk=module.pk).update(default_version=version)
    except IntegrityError:
        raise VersionExists(f"module {name} version {version} was just published by someone else") from None
    published.module.refresh_from_db()
    return published


def _module_for(workspace: Workspace, spec: Any, user: AbstractBaseUser | None, module: Module | None) -> Module:
    """The module row, created or showing the newest version's name, category and description."""
    fields = {"display_name": spec.display_name, "category": spec.category, "description": spec.description}
    if module is None:
        return Module.objects.create(workspace=workspace, name=spec.name, created_by=user, **fields)
    Module.objects.filter(pk=module.pk).update(**fields)
    return module


def version_set_status(version: ModuleVersion, status: VersionStatus, user: AbstractBaseUser, reason: str = "") -> None:
    """Make a version active, deprecated or disabled; a disabled default gives way to the newest usable one."""
    with transaction.atomic():
        ModuleVersion.objects.filter(pk=version.pk).update(
            status=status, status_reason=reason.strip(), status_changed_by=user, status_changed_at=timezone.now()
        )
        module = version.module
        if status == VersionStatus.DISABLED and module.default_version == version.version:
            fallback = _usable_versions(module)
            if fallback:  # with none left, the module just leaves the palette
                Module.objects.filter(pk=module.pk).update(default_version=fallback[-1])


def _usable_versions(module: Module) -> list[str]:
    versions = module.versions.exclude(status=VersionStatus.DISABLED).values_list("version", flat=True)
    return sorted(versions, key=version_order)


def module_set_default(module: Module, version: str) -> None:
    found = module.versions.filter(version=version).first()
    if found is None:
        raise GalleryError(f"module {module.name} has no version {version}")
    if found.status == VersionStatus.DISABLED:
        raise GalleryError(f"{module.name} version {version} is disabled; enable it before making it the default")
    Module.objects.filter(pk=module.pk).update(default_version=version)
