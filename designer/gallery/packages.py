"""Module packages: a zip holding `module.json`, the code file it names, and any helper files.

    module.json      the spec (name, display_name, category, inputs, outputs, parameters, …)
                     with "code": "main.py" (the default) naming the file that defines the entry
    main.py          the code
    helpers/…        anything else: the module's bundle, importable when the step runs

The files may also sit inside one top folder (what zipping a folder gives).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from modules.archives import ArchiveError, ArchiveLimits, make_archive, read_archive
from modules.custom import SpecError

SPEC_FILE = "module.json"
DEFAULT_CODE_FILE = "main.py"


@dataclass(frozen=True)
class Package:
    spec: dict[str, Any]
    code: str
    bundle: bytes | None  # a zip of the helper files, None when there are none


def _strip_top_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    if SPEC_FILE in files:
        return files
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        prefix = f"{tops.pop()}/"
        return {name.removeprefix(prefix): content for name, content in files.items()}
    return files


def _text_of(files: dict[str, bytes], name: str) -> str:
    try:
        return files[name].decode("utf-8")
    except UnicodeDecodeError:
        raise ArchiveError(f"member '{name}' is not UTF-8 text") from None


def package_read(data: bytes, limits: ArchiveLimits | None = None) -> Package:
    """The spec, code and helper files of a package; ArchiveError or SpecError saying what is wrong."""
    files = _strip_top_folder(read_archive(data, limits))
    if SPEC_FILE not in files:
        raise ArchiveError(f"the package has no {SPEC_FILE} at its top")
    try:
        spec = json.loads(_text_of(files, SPEC_FILE))
    except json.JSONDecodeError as error:
        raise SpecError(f"{SPEC_FILE} is not JSON: {error}") from None
    if not isinstance(spec, dict):
        raise SpecError(f"{SPEC_FILE} must hold a JSON object")
    code_file = spec.pop("code", DEFAULT_CODE_FILE)
    if not isinstance(code_file, str) or code_file not in files:
        raise SpecError(f"{SPEC_FILE}: code names {code_file!r}, which the package does not hold")
    code = _text_of(files, code_file)
    helpers = {name: content for name, content in files.items() if name not in (SPEC_FILE, code_file)}
    return Package(spec=spec, code=code, bundle=make_archive(dict(helpers)) if helpers else None)
