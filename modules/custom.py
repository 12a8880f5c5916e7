"""Workspace modules: a spec written as JSON plus Python code, turned into a ModuleSpec.

The JSON says what the designer needs (name, category, typed ports, typed parameters); the code
defines an entry function taking each input port and each parameter as a keyword argument. The
code is only checked here (it must compile and define the entry function with those arguments);
it runs only when the step runs, inside the step's own forked process (see `_runner`).
Pure: no Django. The Django side (designer.gallery) stores the JSON and the code per version.
"""

from __future__ import annotations

import ast
import hashlib
import json
import keyword
import linecache
import re
import traceback
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any, get_args

from modules.spec import JSON, ModuleError, ModuleSpec, Parameter, ParameterError, ParameterKind, Port
from modules.step_api import step_api_namespace

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}")
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
TITLE_LIMIT = 200  # display names and categories
DEFAULT_ENTRY = "main"
PARAMETER_KINDS: tuple[str, ...] = get_args(ParameterKind)
PORT_KEYS = {"name", "type", "label", "description", "optional"}
PARAMETER_KEYS = {
    "name",
    "kind",
    "label",
    "default",
    "required",
    "minimum",
    "maximum",
    "choices",
    "description",
    "of_input",
}


class SpecError(ValueError):
    """A module spec or its code is refused; the message names the field."""


def _text(
    document: Mapping[str, Any], key: str, where: str, required: bool = True, default: str = "", limit: int = 0
) -> str:
    value = document.get(key, default)
    if not isinstance(value, str) or (required and not value.strip()):
        raise SpecError(f"{where}{key}: must be {'non-empty ' if required else ''}text, got {value!r}")
    if limit and len(value.strip()) > limit:
        raise SpecError(f"{where}{key}: at most {limit} characters")
    return value.strip()


def _version(document: Mapping[str, Any]) -> str:
    value = document.get("version", "1")
    if not isinstance(value, str) or not VERSION_PATTERN.fullmatch(value):
        raise SpecError(f"version: {value!r} must be up to 32 letters, digits, '.', '-' or '_', such as \"2\"")
    return value


def _identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.isidentifier() or keyword.iskeyword(value) or value.startswith("_"):
        raise SpecError(f"{where}: {value!r} is not a usable name (letters, digits and _, not a Python keyword)")
    return value


def _unknown_keys(item: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise SpecError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _named_item(item: Any, where: str, allowed: set[str], shape: str) -> str:
    """The name of a port or parameter object, after checking it is one and has only known keys."""
    if not isinstance(item, Mapping):
        raise SpecError(f"{where}: {shape}")
    _unknown_keys(item, allowed, where)
    return _identifier(item.get("name"), f"{where}.name")


def _port(item: Any, where: str, port_types: Collection[str]) -> Port:
    name = _named_item(item, where, PORT_KEYS, "a port must be an object with a name and a type")
    port_type = item.get("type")
    if port_type not in port_types:
        raise SpecError(f"{where}.type: unknown port type {port_type!r} (known: {', '.join(sorted(port_types))})")
    optional = item.get("optional", False)
    if not isinstance(optional, bool):
        raise SpecError(f"{where}.optional: must be true or false")
    label, description = _text(item, "label", f"{where}.", False), _text(item, "description", f"{where}.", False)
    return Port(name, str(port_type), label, description, optional)


def _number_or_none(item: Mapping[str, Any], key: str, where: str) -> float | None:
    value = item.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise SpecError(f"{where}.{key}: must be a number")
    return value


def _parameter(item: Any, where: str) -> Parameter:
    name = _named_item(item, where, PARAMETER_KEYS, "a parameter must be an object with a name and a kind")
    kind = item.get("kind")
    if kind not in PARAMETER_KINDS:
        raise SpecError(f"{where}.kind: {kind!r} is not a parameter kind (known: {', '.join(PARAMETER_KINDS)})")
    choices = item.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(choice, str) for choice in choices):
        raise SpecError(f"{where}.choices: must be a list of text")
    if kind == "choice" and not choices:
        raise SpecError(f"{where}.choices: a choice parameter needs at least one choice")
    required = item.get("required", True)
    if not isinstance(required, bool):
        raise SpecError(f"{where}.required: must be true or false")
    of_input = item.get("of_input")
    parameter = Parameter(
        name=name,
        kind=kind,
        label=_text(item, "label", f"{where}.", False),
        required=required,
        minimum=_number_or_none(item, "minimum", where),
        maximum=_number_or_none(item, "maximum", where),
        choices=tuple(choices),
        description=_text(item, "description", f"{where}.", False),
        of_input=of_input if isinstance(of_input, str) and of_input else None,
    )
    return _with_default(parameter, item.get("default"), where)


def _with_default(parameter: Parameter, raw: JSON, where: str) -> Parameter:
    if raw is None or raw == "" or raw == []:
        return parameter
    try:
        default = replace(parameter, required=False).parse(raw)
    except ParameterError as error:
        raise SpecError(f"{where}.default: {error}") from None
    return replace(parameter, default=default)


def _list(document: Mapping[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise SpecError(f"{key}: must be a list")
    return value


def module_name(value: Any) -> str:
    """A workspace module's name: lower-case letters, digits and _, starting with a letter."""
    if not isinstance(value, str) or not NAME_PATTERN.fullmatch(value):
        raise SpecError(f"name: {value!r} must be lower-case letters, digits and _, starting with a letter")
    return value


def code_digest(code: str, entry: str, bundle_digest: str = "") -> str:
    """What the cache key knows of a workspace module's code: its script, entry and bundle."""
    canonical = json.dumps({"code": code, "entry": entry, "bundle": bundle_digest}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_code(code: str, entry: str, arguments: Collection[str], filename: str = "module.py") -> None:
    """The code compiles and defines `entry` taking every argument by name; SpecError otherwise."""
    try:
        tree = ast.parse(code, filename=filename)
    except SyntaxError as error:
        raise SpecError(f"code: syntax error on line {error.lineno}: {error.msg}") from None
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == entry]
    if not functions:
        raise SpecError(f"code: defines no top-level function {entry}(...)")
    signature = functions[-1].args
    if signature.kwarg is not None:
        return
    accepted = {arg.arg for arg in (*signature.posonlyargs, *signature.args, *signature.kwonlyargs)}
    missing = sorted(set(arguments) - accepted)
    if missing:
        raise SpecError(f"code: {entry}() must take argument(s) {', '.join(missing)} (its ports and parameters)")


def spec_from_json(
    document: Mapping[str, Any],
    code: str,
    port_types: Collection[str],
    bundle: bytes | None = None,
    bundle_digest: str = "",
) -> ModuleSpec:
    """The ModuleSpec of a workspace module version; SpecError naming the field when it does not fit.

    `bundle` is the zip of helper files (held in memory: a step may run as a user who cannot read
    the store), extracted and importable when the step runs; None with a digest means it is lost.
    """
    if not isinstance(document, Mapping):
        raise SpecError("the spec must be a JSON object")
    name = module_name(document.get("name"))
    entry = _identifier(document.get("entry", DEFAULT_ENTRY), "entry")
    inputs = tuple(_port(item, f"inputs[{i}]", port_types) for i, item in enumerate(_list(document, "inputs")))
    outputs = tuple(_port(item, f"outputs[{i}]", port_types) for i, item in enumerate(_list(document, "outputs")))
    parameters = tuple(_parameter(item, f"parameters[{i}]") for i, item in enumerate(_list(document, "parameters")))
    if not outputs:
        raise SpecError("outputs: a module needs at least one output port")
    deterministic = document.get("deterministic", True)
    if not isinstance(deterministic, bool):
        raise SpecError("deterministic: must be true or false")
    check_code(code, entry, [port.name for port in inputs] + [p.name for p in parameters], f"{name}.py")
    try:
        return ModuleSpec(
            name=name,
            version=_version(document),
            display_name=_text(document, "display_name", "", limit=TITLE_LIMIT),
            category=_text(document, "category", "", limit=TITLE_LIMIT),
            function=_runner(name, code, entry, [port.name for port in outputs], bundle, bool(bundle_digest)),
            description=_text(document, "description", "", required=False),
            inputs=inputs,
            outputs=outputs,
            parameters=parameters,
            deterministic=deterministic,
            runs_user_code=True,
            code_digest=code_digest(code, entry, bundle_digest),
        )
    except ValueError as error:  # names used twice
        raise SpecError(str(error)) from None


def _runner(name: str, code: str, entry: str, outputs: list[str], bundle: bytes | None, bundled: bool) -> Any:
    filename = f"{name}.py"

    def run_module(**arguments: Any) -> dict[str, Any]:
        # Imported here: these change the process they run in, which is only ever a step's own.
        from modules.builtin.python_script import prepare_script_process
        from modules.script_bundle import install_bundle

        prepare_script_process(lambda metric, value: print(f"metric {metric} = {value}"))
        if bundled and bundle is None:
            raise ModuleError(f"the helper files of module {name} are missing from the artifact store")
        if bundle is not None:
            install_bundle(bundle, f"the helper files of module {name}")
        function = _load_entry(code, entry, filename)
        try:
            result = function(**arguments)
        except ModuleError:
            raise
        except Exception as error:
            raise ModuleError(f"{entry}() failed: {_user_traceback(error, filename)}") from None
        return _outputs(result, outputs, entry)

    return run_module


def _load_entry(code: str, entry: str, filename: str) -> Any:
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": filename.removesuffix(".py"), **step_api_namespace()}
    try:
        exec(compile(code, filename, "exec"), namespace)
    except Exception as error:
        raise ModuleError(f"the module's code failed while loading: {_user_traceback(error, filename)}") from None
    return namespace[entry]


def _user_traceback(error: BaseException, filename: str) -> str:
    """The traceback from the module's own lines on, which is what its author can act on."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == filename]
    return f"{type(error).__name__}: {error}\n{''.join(traceback.format_list(frames))}".rstrip()


def _outputs(result: Any, outputs: list[str], entry: str) -> dict[str, Any]:
    """The entry may return a mapping by port name, a tuple in port order, or the one output's value."""
    if isinstance(result, Mapping):
        unknown = sorted(set(result) - set(outputs))
        if unknown:
            raise ModuleError(f"{entry}() returned unknown output(s) {', '.join(unknown)}; ports: {', '.join(outputs)}")
        return dict(result)
    if len(outputs) == 1:
        return {outputs[0]: result}
    if isinstance(result, tuple | list) and len(result) == len(outputs):
        return dict(zip(outputs, result, strict=True))
    raise ModuleError(f"{entry}() must return a dict by output port, or a tuple of {len(outputs)} values")
