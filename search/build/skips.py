"""The files a build could not index, remembered with their hashes so the next build does not read them again.

``index/skipped.json`` beside the generations (a skip is no part of any generation's data): the
schema version and data fingerprints it was made with, and per file its sha256, its sidecar's,
the reason and the message. A build with other data files or schema, or ``--rebuild``, reads every file again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import ChangedWhileRead
from ..schema import SCHEMA_VERSION, data_fingerprints
from .generation import writing

__all__ = ["SKIPPED_NAME", "TRANSIENT_REASONS", "remember_skips", "remembered_skips"]

SKIPPED_NAME = "skipped.json"
# Skips that say nothing about the bytes themselves: read again next time
TRANSIENT_REASONS = frozenset({ChangedWhileRead.reason})


def remembered_skips(index_dir: Path) -> dict[str, tuple[str, str, str, str]]:
    """Return file → (sha256, sidecar sha256, reason, message) of the last build's skips; {} when unusable."""
    try:
        data = json.loads((Path(index_dir) / SKIPPED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or damaged: every file is simply read again
    if (not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION
            or data.get("data") != data_fingerprints() or not isinstance(data.get("files"), dict)):
        return {}
    return {rel: tuple(skip) for rel, skip in data["files"].items()
            if isinstance(skip, list) and len(skip) == 4 and all(isinstance(v, str) for v in skip)}


def remember_skips(index_dir: Path, skips: dict[str, list[str]]) -> None:
    """Replace the remembered skips with ``skips`` (atomically; the caller holds the build lock)."""
    path = Path(index_dir) / SKIPPED_NAME
    body = {"schema_version": SCHEMA_VERSION, "data": data_fingerprints(), "files": dict(sorted(skips.items()))}
    text = json.dumps(body, ensure_ascii=False, indent=1) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return  # a build that changes nothing writes nothing
    except (OSError, ValueError):
        if not skips:
            return
    tmp = path.with_name(SKIPPED_NAME + ".tmp")
    with writing(Path(index_dir)):
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
