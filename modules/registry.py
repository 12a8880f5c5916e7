"""The module registry: specs by name and version, and port types by name."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from modules.ports import BUILTIN_PORT_TYPES, PortType
from modules.spec import ModuleSpec


class ModuleNotFound(LookupError):
    def __init__(self, name: str, version: str | None, known_versions: Iterable[str] = ()) -> None:
        versions = sorted(known_versions, key=version_order)
        if version is None or not versions:
            message = f"no module named '{name}'"
        else:
            message = f"module '{name}' has no version {version} (known: {', '.join(versions)})"
        super().__init__(message)


class ModulePackageError(ImportError):
    """A package named in TRELLIS_MODULE_PACKAGES could not be loaded."""


def version_order(version: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


class ModuleRegistry:
    def __init__(self) -> None:
        self._modules: dict[str, dict[str, ModuleSpec]] = {}
        self._port_types: dict[str, PortType] = {}
        self._refusals: dict[str, str] = {}  # spec key -> why it may not be used (a disabled version)
        self._annotations: dict[str, dict[str, Any]] = {}  # spec key -> extra catalog fields

    def extended(self) -> ModuleRegistry:
        """A copy to add to (a workspace's modules), leaving this registry as it is."""
        copy = ModuleRegistry()
        copy._modules = {name: dict(versions) for name, versions in self._modules.items()}
        copy._port_types = dict(self._port_types)
        copy._refusals = dict(self._refusals)
        copy._annotations = {key: dict(fields) for key, fields in self._annotations.items()}
        return copy

    # Port types

    def register_port_type(self, port_type: PortType) -> None:
        self._port_types[port_type.name] = port_type

    def port_type(self, name: str) -> PortType:
        try:
            return self._port_types[name]
        except KeyError:
            raise LookupError(f"no port type named '{name}'") from None

    def port_types(self) -> list[PortType]:
        return sorted(self._port_types.values(), key=lambda port_type: port_type.name)

    def compatible(self, source_type: str, target_type: str) -> bool:
        """May an output of `source_type` feed an input of `target_type`?"""
        if source_type == target_type:
            return True
        target = self._port_types.get(target_type)
        return target is not None and source_type in target.accepts

    # Modules

    def register(self, spec: ModuleSpec) -> None:
        for port in (*spec.inputs, *spec.outputs):
            if port.type not in self._port_types:
                raise ValueError(f"module {spec.key}: port '{port.name}' has unknown type '{port.type}'")
        versions = self._modules.setdefault(spec.name, {})
        if spec.version in versions:
            raise ValueError(f"module {spec.key} is registered twice")
        versions[spec.version] = spec

    def get(self, name: str, version: str | None = None) -> ModuleSpec:
        """The spec of `name` at `version`, or its latest version when `version` is None."""
        versions = self._modules.get(name)
        if not versions:
            raise ModuleNotFound(name, version)
        if version is None:
            return versions[max(versions, key=version_order)]
        if version not in versions:
            raise ModuleNotFound(name, version, versions)
        return versions[version]

    def refuse(self, name: str, version: str, reason: str) -> None:
        """Keep the spec (pipelines that pin it still show its ports) but make using it a problem."""
        self._refusals[f"{name}@{version}"] = reason

    def refusal(self, name: str, version: str) -> str | None:
        return self._refusals.get(f"{name}@{version}")

    def annotate(self, name: str, version: str, **fields: Any) -> None:
        """Extra fields for this version's catalog entry (its source, status, newer version…)."""
        self._annotations.setdefault(f"{name}@{version}", {}).update(fields)

    def annotations(self, name: str, version: str) -> dict[str, Any]:
        return dict(self._annotations.get(f"{name}@{version}", {}))

    def all(self) -> list[ModuleSpec]:
        return sorted(
            (spec for versions in self._modules.values() for spec in versions.values()),
            key=lambda spec: (spec.category, spec.display_name, version_order(spec.version)),
        )

    def catalog(self) -> dict[str, Any]:
        """What the canvas needs: every module spec and the port compatibility table."""
        return {
            "modules": [spec.to_json() | self.annotations(spec.name, spec.version) for spec in self.all()],
            "port_types": [port_type.to_json() for port_type in self.port_types()],
        }

    def load_package(self, dotted_name: str) -> None:
        """Import a module package and let its `register(registry)` add its modules."""
        try:
            package = importlib.import_module(dotted_name)
        except ImportError as error:
            raise ModulePackageError(f"module package '{dotted_name}' cannot be imported: {error}") from error
        register = getattr(package, "register", None)
        if not callable(register):
            raise ModulePackageError(f"module package '{dotted_name}' has no register(registry) function")
        register(self)


def build_registry(extra_packages: Iterable[str] = ()) -> ModuleRegistry:
    """The built-in modules plus those of each extra package, in order."""
    registry = ModuleRegistry()
    for port_type in BUILTIN_PORT_TYPES:
        registry.register_port_type(port_type)
    for name, source in [("modules.builtin", "builtin"), *((package, "package") for package in extra_packages)]:
        known = {spec.key for spec in registry.all()}
        registry.load_package(name)
        for spec in registry.all():
            if spec.key not in known:
                registry.annotate(spec.name, spec.version, source=source)
    return registry
