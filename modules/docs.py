"""Reference pages for the built-in modules, generated from their specs.

    python -m modules.docs        # rewrite docs/modules/<slug>.md

A test fails when a committed page differs from what its spec says.
"""

from __future__ import annotations

import re
from pathlib import Path

from modules.registry import ModuleRegistry, build_registry
from modules.spec import ModuleSpec, Parameter, Port

PAGES_DIR = Path(__file__).resolve().parents[1] / "docs" / "modules"


def slug(spec: ModuleSpec) -> str:
    return re.sub(r"[^a-z0-9]+", "-", spec.display_name.lower()).strip("-")


def _port_rows(ports: tuple[Port, ...]) -> list[str]:
    rows = ["| port | type | description |", "| --- | --- | --- |"]
    for port in ports:
        optional = " (optional)" if port.optional else ""
        label = port.label or port.name
        rows.append(f"| `{port.name}`{optional} | {port.type} | {label}. {port.description}".rstrip() + " |")
    return rows


def _constraint(parameter: Parameter) -> str:
    parts = []
    if parameter.choices:
        parts.append("one of " + ", ".join(f"`{choice}`" for choice in parameter.choices))
    if parameter.minimum is not None:
        parts.append(f"≥ {parameter.minimum:g}")
    if parameter.maximum is not None:
        parts.append(f"≤ {parameter.maximum:g}")
    return "; ".join(parts)


def _parameter_rows(parameters: tuple[Parameter, ...]) -> list[str]:
    rows = ["| parameter | kind | default | allowed | description |", "| --- | --- | --- | --- | --- |"]
    for parameter in parameters:
        if parameter.default is not None:
            default = f"`{parameter.default}`"
        else:
            default = "required" if parameter.required else "optional"
        description = f"{parameter.label or parameter.name}. {parameter.description}".strip()
        rows.append(f"| `{parameter.name}` | {parameter.kind} | {default} | {_constraint(parameter)} | {description} |")
    return rows


def module_page(spec: ModuleSpec) -> str:
    lines = [
        f"# {spec.display_name}",
        "",
        f"`{spec.name}` version {spec.version} · {spec.category}",
        "",
        spec.description,
        "",
    ]
    for title, rows in (
        ("Inputs", _port_rows(spec.inputs) if spec.inputs else []),
        ("Outputs", _port_rows(spec.outputs) if spec.outputs else []),
        ("Parameters", _parameter_rows(spec.parameters) if spec.parameters else []),
    ):
        if rows:
            lines += [f"## {title}", "", *rows, ""]
    if not spec.deterministic:
        lines += ["Its results may differ between runs, so they are never reused from the cache.", ""]
    elif spec.nondeterministic_when is not None:
        lines += ["With some parameter values it always runs (see the description): those results are not reused.", ""]
    lines.append("_Generated from the module's spec by `python -m modules.docs`._")
    return "\n".join(lines) + "\n"


def builtin_pages(registry: ModuleRegistry) -> dict[str, str]:
    """File name -> page text, for every built-in module at its latest version."""
    latest: dict[str, ModuleSpec] = {}
    for spec in registry.all():  # ordered by version within a module, so the latest wins
        if _is_builtin(spec):
            latest[spec.name] = spec
    return {f"{slug(spec)}.md": module_page(spec) for spec in latest.values()}


def _is_builtin(spec: ModuleSpec) -> bool:
    return Path(spec.source_file).resolve().is_relative_to(Path(__file__).resolve().parent / "builtin")


def main() -> None:
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in builtin_pages(build_registry()).items():
        (PAGES_DIR / name).write_text(text)
        print(f"wrote docs/modules/{name}")


if __name__ == "__main__":
    main()
