"""The cache key of a step, and why two keys differ.

A key is the sha256 of a canonical JSON of everything that decides a step's outputs: the
module (name, version, a hash of its source file, or of a workspace module's code and bundle),
its parsed parameters, the digests of its inputs and the environment. The parts are kept beside
the key, so the runner can say which of them changed since the node last ran. Pure: no Django, no database.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from designer.pipelines.bindings import resolve_bindings
from modules.spec import ModuleSpec, ParameterError

# The packages whose versions can change what a module computes; a change is a cache miss.
ENVIRONMENT_PACKAGES = ("numpy", "pandas", "pyarrow", "scikit-learn")


@dataclass(frozen=True)
class KeyParts:
    """Everything a step's cache key is made of."""

    module: str
    version: str
    code: str
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # input port -> artifact digest
    environment: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # By hand, not dataclasses.asdict, whose deep copy costs more than the rest of a key;
        # the parts own their dicts (key_parts builds them), and stored JSON is never changed.
        return {
            "module": self.module,
            "version": self.version,
            "code": self.code,
            "parameters": dict(self.parameters),
            "inputs": dict(self.inputs),
            "environment": dict(self.environment),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KeyParts:
        return cls(
            module=str(data["module"]),
            version=str(data["version"]),
            code=str(data["code"]),
            parameters=dict(data.get("parameters", {})),
            inputs=dict(data.get("inputs", {})),
            environment=dict(data.get("environment", {})),
        )

    @cached_property  # asked several times per decision; the parts never change
    def key(self) -> str:
        return hashlib.sha256(canonical_json(self.to_json()).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def key_parts(
    spec: ModuleSpec,
    raw_parameters: Mapping[str, Any],
    input_digests: Mapping[str, str],
    pipeline_values: Mapping[str, Any] | None = None,
) -> KeyParts:
    """The parts of the key of a step running `spec` with these parameters and input artifacts.

    Fields bound to pipeline parameters count with their values in `pipeline_values` (the run's),
    so a changed value misses exactly the steps bound to it.
    """
    resolved = resolve_bindings(raw_parameters, pipeline_values or {})
    return KeyParts(
        module=spec.name,
        version=spec.version,
        code=spec.code_digest or code_hash(spec.source_file),
        parameters=_canonical_parameters(spec, resolved),
        inputs=dict(input_digests),
        environment=environment(),
    )


def _canonical_parameters(spec: ModuleSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    # Parsed, so 0.8 and "0.8" (or a left-out default) give the same key.
    try:
        parsed = spec.parse_parameters(raw)
    except ParameterError:
        parsed = dict(raw)  # an invalid step fails when it runs; its key just has to be stable
    return dict(json.loads(canonical_json(parsed)))


@lru_cache(maxsize=512)
def code_hash(source_file: str) -> str:
    """sha256 of the module's source file, read once per process; "unknown" without one."""
    if not source_file:
        return "unknown"
    try:
        return hashlib.sha256(Path(source_file).read_bytes()).hexdigest()
    except OSError:
        return "unknown"


@lru_cache(maxsize=1)
def environment() -> dict[str, str]:
    """Python major.minor and the versions of the packages in ENVIRONMENT_PACKAGES."""
    versions = {"python": ".".join(platform.python_version_tuple()[:2])}
    for package in ENVIRONMENT_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return versions


def explain(previous: KeyParts, current: KeyParts) -> list[str]:
    """Readable reasons why `current` differs from `previous`; empty when the keys are equal."""
    reasons: list[str] = []
    if previous.module != current.module:
        reasons.append(f"module {previous.module}→{current.module}")
    elif previous.version != current.version:
        reasons.append(f"module {previous.version}→{current.version}")
    elif previous.code != current.code:
        reasons.append("code changed")
    for name in sorted(previous.parameters.keys() | current.parameters.keys()):
        before, after = previous.parameters.get(name), current.parameters.get(name)
        if before != after:
            reasons.append(f"parameter {name} {_show(before)}→{_show(after)}")
    for port in sorted(previous.inputs.keys() | current.inputs.keys()):
        if previous.inputs.get(port) != current.inputs.get(port):
            reasons.append(f"input {port} changed")
    if previous.environment != current.environment:
        reasons.append("environment changed")
    return reasons


def _show(value: Any) -> str:
    if value is None:
        return "unset"
    return value if isinstance(value, str) else canonical_json(value)
