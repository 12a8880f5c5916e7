"""Unit-test helpers: the registry of built-in modules, and running one module by name."""

from typing import Any

import pytest

from modules.registry import ModuleRegistry, build_registry


@pytest.fixture(scope="session")
def registry() -> ModuleRegistry:
    return build_registry()


def run(registry: ModuleRegistry, name: str, inputs: dict[str, Any] | None = None, **parameters: Any) -> dict:
    """Run the latest version of module `name` on loaded inputs and parameters, as a step would."""
    return registry.get(name).run(inputs or {}, parameters)
