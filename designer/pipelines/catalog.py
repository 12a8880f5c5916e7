"""The module registries: this installation's (built-ins plus TRELLIS_MODULE_PACKAGES), and a
workspace's (that plus the workspace's own modules). A pipeline uses its workspace's registry."""

from functools import cache

from django.conf import settings

from modules.registry import ModuleRegistry, build_registry


@cache
def module_registry() -> ModuleRegistry:
    return build_registry(settings.MODULE_PACKAGES)


def workspace_registry(workspace_id: int | None) -> ModuleRegistry:
    """Every module a pipeline of this workspace may use; the installation's alone for None."""
    if workspace_id is None:
        return module_registry()
    from designer.gallery.registry import add_workspace_modules  # its models load only once apps are ready

    registry = module_registry().extended()
    add_workspace_modules(registry, workspace_id)
    return registry
