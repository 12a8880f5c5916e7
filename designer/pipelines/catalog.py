"""The module registry of this installation: built-ins plus TRELLIS_MODULE_PACKAGES."""

from functools import cache

from django.conf import settings

from modules.registry import ModuleRegistry, build_registry


@cache
def module_registry() -> ModuleRegistry:
    return build_registry(settings.MODULE_PACKAGES)
