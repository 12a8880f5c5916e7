"""The built-in modules, registered in one place."""

from modules.builtin.data_input import sample_dataset
from modules.builtin.transform import select_columns, split_data
from modules.registry import ModuleRegistry

BUILTIN_MODULES = (sample_dataset, select_columns, split_data)


def register(registry: ModuleRegistry) -> None:
    for spec in BUILTIN_MODULES:
        registry.register(spec)
