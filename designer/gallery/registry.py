"""A workspace's modules, added to a registry of the built-ins: specs built from the stored rows.

Building a spec only reads and checks JSON and code (modules.custom); nothing of the module's
code runs here, in the web process or in the worker: only in the step's own forked child.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from designer.gallery.models import ModuleVersion, VersionStatus
from designer.gallery.pipeline_modules import is_pipeline_spec
from modules.custom import SpecError, spec_from_json
from modules.ports import ZIP
from modules.registry import ModuleRegistry, version_order
from runner.artifacts import ArtifactStore

log = logging.getLogger(__name__)


@lru_cache(maxsize=128)  # content-addressed: a digest's bytes never change
def _bundle_bytes(store_root: str, digest: str) -> bytes | None:
    try:
        return ArtifactStore(Path(store_root)).path(digest, ZIP).read_bytes()
    except OSError:
        return None


def disabled_message(version: ModuleVersion) -> str:
    who = version.status_changed_by.get_username() if version.status_changed_by else "someone"
    why = f": {version.status_reason}" if version.status_reason else ""
    return f"{version.module.display_name} version {version.version} is disabled (by {who}){why}"


def _newer_active(versions: list[ModuleVersion]) -> dict[str, str | None]:
    """Each version -> the newest active version after it, if any (what "update available" offers)."""
    ordered = sorted(versions, key=lambda v: version_order(v.version))
    newest: str | None = None
    newer: dict[str, str | None] = {}
    for version in reversed(ordered):
        newer[version.version] = newest
        if version.status == VersionStatus.ACTIVE and newest is None:
            newest = version.version
    return newer


def _annotation(version: ModuleVersion, newer: str | None) -> dict[str, Any]:
    return {
        "source": "workspace",
        "status": version.status,
        "status_reason": version.status_reason,
        "default_version": version.module.default_version,
        "newer_version": newer,
        "published_by": version.published_by.get_username() if version.published_by else None,
        "published_at": version.published_at.isoformat(),
    }


def add_workspace_modules(registry: ModuleRegistry, workspace_id: int) -> None:
    """Register every version of the workspace's modules (disabled ones too, refused for use)."""
    rows = ModuleVersion.objects.filter(module__workspace_id=workspace_id).select_related(
        "module", "published_by", "status_changed_by"
    )
    by_module: dict[int, list[ModuleVersion]] = defaultdict(list)
    for row in rows:
        by_module[row.module_id].append(row)
    port_types = [port_type.name for port_type in registry.port_types()]
    for versions in by_module.values():
        newer = _newer_active(versions)
        for version in versions:
            if is_pipeline_spec(version.spec):
                continue  # a sub-pipeline: placed on a canvas as a group, never run as a module
            bundle = _bundle_bytes(str(settings.ARTIFACT_DIR), version.bundle_digest) if version.bundle_digest else None
            try:
                spec = spec_from_json(version.spec, version.code, port_types, bundle, version.bundle_digest)
                registry.register(spec)
            except (SpecError, ValueError) as error:  # e.g. a module package giving its port type was removed
                log.warning("workspace module %s is not usable: %s", version, error)
                continue
            registry.annotate(spec.name, spec.version, **_annotation(version, newer[version.version]))
            if version.status == VersionStatus.DISABLED:
                registry.refuse(spec.name, spec.version, disabled_message(version))
