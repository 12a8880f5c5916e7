"""What scripts written for the Azure ML designer expect, provided inside script steps only.

A script step runs in its own forked process, so the changes made here (pandas methods that
pandas has since removed, an `azureml.core` with `Run.get_context().log`) never reach the
worker or other steps.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd

MetricLogger = Callable[[str, float], None]


def _append(frame: pd.DataFrame, other: Any, ignore_index: bool = False, sort: bool = False) -> pd.DataFrame:
    """DataFrame.append, removed in pandas 2.0."""
    if isinstance(other, dict | pd.Series):
        other = pd.DataFrame([other])
    elif isinstance(other, list) and other and not isinstance(other[0], pd.DataFrame):
        other = pd.DataFrame(other)
    parts = [frame, *(other if isinstance(other, list) else [other])]
    combined: pd.DataFrame = pd.concat(parts, ignore_index=ignore_index, sort=sort)
    return combined


def _iteritems(self: Any) -> Iterator[tuple[Any, Any]]:
    """Series.iteritems and DataFrame.iteritems, removed in pandas 2.0."""
    return iter(self.items())


REMOVED_PANDAS_METHODS: dict[tuple[type, str], Any] = {
    (pd.DataFrame, "append"): _append,
    (pd.DataFrame, "iteritems"): _iteritems,
    (pd.Series, "iteritems"): _iteritems,
}


def restore_removed_pandas_methods() -> None:
    for (owner, name), method in REMOVED_PANDAS_METHODS.items():
        if not hasattr(owner, name):
            setattr(owner, name, method)


class _RunContext:
    """The part of azureml.core.Run that designer scripts use: logging metrics."""

    def __init__(self, log_metric: MetricLogger) -> None:
        self._log_metric = log_metric

    def log(self, name: str, value: float, description: str = "") -> None:
        self._log_metric(name, value)

    def log_row(self, name: str, **values: float) -> None:
        for key, value in values.items():
            self._log_metric(f"{name}.{key}", value)


class _AzuremlFinder(importlib.abc.MetaPathFinder):
    """Answers `azureml` and `azureml.core` with the shim; refuses every other azureml module by name."""

    def __init__(self, modules: dict[str, types.ModuleType]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "azureml" and not fullname.startswith("azureml."):
            return None
        if fullname not in self.modules:
            raise ImportError(
                f"{fullname} is not available in Trellis: scripts may use azureml.core.Run.get_context().log only"
            )
        return importlib.machinery.ModuleSpec(fullname, _ShimLoader(self.modules[fullname]), is_package=True)


class _ShimLoader(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def install_azureml_shim(log_metric: MetricLogger) -> None:
    context = _RunContext(log_metric)
    run_class = type("Run", (), {"get_context": staticmethod(lambda *args, **kwargs: context)})
    core = types.ModuleType("azureml.core")
    core.Run = run_class  # type: ignore[attr-defined]
    root = types.ModuleType("azureml")
    root.core = core  # type: ignore[attr-defined]
    for name in [name for name in sys.modules if name == "azureml" or name.startswith("azureml.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, _AzuremlFinder({"azureml": root, "azureml.core": core}))
