"""Helper code that a script brings along as a zip: extracted into the step's folder and importable.

Only ever called inside a step's own forked process, whose working folder is the step's own
(runner.execute): what the bundle adds to `sys.path` never reaches the worker or another step.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from modules.archives import ArchiveError, extract_archive
from modules.spec import ModuleError

BUNDLE_FOLDER = "script_bundle"


def install_bundle(data: bytes, what: str = "the script bundle") -> Path:
    """Extract the zip `data` into ./script_bundle (checked, see modules.archives) and put it on sys.path."""
    folder = Path.cwd() / BUNDLE_FOLDER
    folder.mkdir(exist_ok=True)
    try:
        extract_archive(data, folder)
    except ArchiveError as error:
        raise ModuleError(f"{what} is refused: {error}") from None
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()
    return folder
