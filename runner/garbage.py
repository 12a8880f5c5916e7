"""Deciding what a garbage collection of the artifact store deletes. Pure: no Django, no database.

The caller gathers the facts (the digests something still refers to, the Artifact records, the
files in the store) and carries out the answer (runner/housekeeping.py). Nothing written less than
the grace period ago is garbage: a step that wrote a file has not necessarily recorded it yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from runner.artifacts import StoredFile


@dataclass(frozen=True)
class Garbage:
    """What to delete, and what was seen."""

    records: frozenset[str] = frozenset()  # digests of Artifact records with no file left once `files` go
    files: tuple[StoredFile, ...] = ()  # artifact files nothing refers to, recorded or not
    unrecorded: tuple[StoredFile, ...] = ()  # of `files`, those no Artifact record names (left by a killed step)
    temporary: tuple[StoredFile, ...] = ()  # temporary files nobody wrote to within the grace period
    kept_files: int = 0
    kept_bytes: int = 0
    missing: frozenset[str] = frozenset()  # referenced digests whose file is not in the store
    young: int = 0  # unreferenced files spared because they were written recently


def garbage_find(
    roots: set[str],
    recorded: Iterable[str],
    files: Iterable[StoredFile],
    temporary: Iterable[StoredFile],
    written_before: float,
) -> Garbage:
    """The garbage among `files` and `recorded` digests, given the `roots` still referred to.

    `written_before` is a Unix time: a file modified at or after it is spared, referenced or not.
    """
    by_digest: dict[str, list[StoredFile]] = defaultdict(list)
    for found in files:
        by_digest[str(found.digest)].append(found)
    doomed: list[StoredFile] = []
    kept: list[StoredFile] = []
    young = 0
    for digest, found_files in by_digest.items():
        for found in found_files:
            if digest in roots:
                kept.append(found)
            elif found.modified >= written_before:
                kept.append(found)
                young += 1
            else:
                doomed.append(found)
    surviving = {str(found.digest) for found in kept}
    recorded_digests = set(recorded)
    return Garbage(
        records=frozenset(digest for digest in recorded_digests - roots if digest not in surviving),
        files=tuple(doomed),
        unrecorded=tuple(found for found in doomed if found.digest not in recorded_digests),
        temporary=tuple(found for found in temporary if found.modified < written_before),
        kept_files=len(kept),
        kept_bytes=sum(found.size for found in kept),
        missing=frozenset(roots - by_digest.keys()),
        young=young,
    )


def output_digests(outputs: Mapping[str, Any]) -> set[str]:
    """The digests named by step or cache-entry outputs, {port: {"type": ..., "digest": ...}}."""
    refs = (ref for ref in outputs.values() if isinstance(ref, Mapping))
    return {ref["digest"] for ref in refs if isinstance(ref.get("digest"), str)}
