"""Request validation and the JSON shapes of the workspace gallery."""

import json
from typing import Any

from django.conf import settings
from rest_framework import serializers

from designer.gallery.models import Module, ModuleVersion, VersionStatus
from designer.gallery.publishing import PackageTooLarge
from modules.registry import version_order


class _TrueUnlessFalse(serializers.BooleanField):
    default_empty_html = True  # a form that leaves the box out means "yes", as JSON does


def _small_enough(upload: Any) -> Any:
    limit = settings.MODULE_PACKAGE_MAX_BYTES
    if upload.size > limit:
        raise PackageTooLarge(f"{upload.name} is {upload.size} bytes; uploads may be at most {limit} bytes")
    return upload


class PublishSerializer(serializers.Serializer[Any]):
    spec = serializers.JSONField(help_text="The module spec (module.json's content), as JSON or JSON text.")
    code = serializers.CharField(trim_whitespace=False, help_text="Python defining the entry function.")
    bundle = serializers.FileField(required=False, help_text="A zip of helper files, importable in the step.")
    make_default = _TrueUnlessFalse(default=True)

    def validate_spec(self, spec: Any) -> dict[str, Any]:
        if isinstance(spec, str):  # a multipart form sends it as text
            try:
                spec = json.loads(spec)
            except json.JSONDecodeError as error:
                raise serializers.ValidationError(f"not JSON: {error}") from None
        if not isinstance(spec, dict):
            raise serializers.ValidationError("must be a JSON object")
        return spec

    def validate_bundle(self, bundle: Any) -> Any:
        return _small_enough(bundle)


class PackageUploadSerializer(serializers.Serializer[Any]):
    package = serializers.FileField(help_text="A zip with module.json, the code and helper files.")
    make_default = _TrueUnlessFalse(default=True)

    def validate_package(self, package: Any) -> Any:
        return _small_enough(package)


class ModulePatchSerializer(serializers.Serializer[Any]):
    default_version = serializers.CharField(max_length=32)


class VersionStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=VersionStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class UpgradeCheckSerializer(serializers.Serializer[Any]):
    module = serializers.CharField()
    current_version = serializers.CharField()
    target_version = serializers.CharField()
    parameters = serializers.DictField(required=False, default=dict)
    connected_inputs = serializers.DictField(
        child=serializers.CharField(), required=False, default=dict, help_text="Input port -> the type it is given."
    )
    connected_outputs = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        default=dict,
        help_text="Output port -> the types of the inputs it feeds.",
    )


def _user(user: Any) -> str | None:
    return user.get_username() if user else None


def version_json(version: ModuleVersion, with_code: bool = False) -> dict[str, Any]:
    body = {
        "version": version.version,
        "status": version.status,
        "status_reason": version.status_reason,
        "status_changed_by": _user(version.status_changed_by),
        "status_changed_at": version.status_changed_at.isoformat() if version.status_changed_at else None,
        "published_by": _user(version.published_by),
        "published_at": version.published_at.isoformat(),
        "has_bundle": bool(version.bundle_digest),
        "spec": version.spec,
    }
    return body | {"code": version.code} if with_code else body


def module_json(module: Module, with_code: bool = False) -> dict[str, Any]:
    versions = sorted(module.versions.all(), key=lambda v: version_order(v.version))
    return {
        "id": module.pk,
        "name": module.name,
        "display_name": module.display_name,
        "category": module.category,
        "description": module.description,
        "default_version": module.default_version,
        "versions": [version_json(version, with_code) for version in versions],
    }


class PipelineModuleSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The module's name: lower-case letters, digits and _.")
    display_name = serializers.CharField(required=False, default="", allow_blank=True)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    group = serializers.JSONField(help_text="The group's inner graph: nodes, edges, inputs and outputs.")
