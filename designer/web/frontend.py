"""The built canvas bundle: which script and stylesheet tags the page shell writes, read from Vite's manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.templatetags.static import static

BUNDLE_FOLDER = "dist"


class FrontendNotBuilt(Exception):
    """The manifest is missing or names no entry: the frontend was not built."""


@dataclass(frozen=True)
class Bundle:
    scripts: list[str]
    stylesheets: list[str]


def _url(file: str) -> str:
    return static(f"{BUNDLE_FOLDER}/{file}")


def read_bundle(manifest_path: Path) -> Bundle:
    """The entry chunk's script and its stylesheets, as URLs under STATIC_URL."""
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError:
        raise FrontendNotBuilt(f"{manifest_path} does not exist") from None
    except (OSError, ValueError) as error:
        raise FrontendNotBuilt(f"{manifest_path} cannot be read: {error}") from error
    entries = [chunk for chunk in manifest.values() if isinstance(chunk, dict) and chunk.get("isEntry")]
    if not entries:
        raise FrontendNotBuilt(f"{manifest_path} names no entry chunk")
    entry = entries[0]
    return Bundle(scripts=[_url(entry["file"])], stylesheets=[_url(css) for css in entry.get("css", [])])
