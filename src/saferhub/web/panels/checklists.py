"""Which risk checklist the referral form asks: the partnership's own, or the shipped example.

`saferhub manage load_checklist FILE` checks a partnership's licensed question set and
keeps a copy in the data directory; every referral form then asks it. Until one is
loaded, the form asks SaferHub's example questions and says so.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings

from saferhub.rules.checklist import (
    DEFAULT_THRESHOLD,
    Checklist,
    default_checklist,
    parse_checklist_csv,
    parse_checklist_json,
)

FILE_NAME = "risk-checklist.json"

_cache: dict[str, tuple[float, Checklist]] = {}


def installed_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def active_checklist() -> Checklist:
    """The loaded checklist, re-read when its file changes; the example when none is loaded."""
    path = installed_path()
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        return default_checklist()
    cached = _cache.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    checklist = parse_checklist_json(path.read_text("utf-8"), FILE_NAME)
    _cache[str(path)] = (stamp, checklist)
    return checklist


def read_checklist(
    path: Path,
    *,
    name: str = "",
    version: str = "",
    threshold: int = DEFAULT_THRESHOLD,
) -> Checklist:
    """Read and check a JSON or CSV definition (docs/formats/risk-checklist.md)."""
    text = path.read_text("utf-8-sig")
    if path.suffix.lower() == ".csv":
        return parse_checklist_csv(text, path.name, name=name, version=version, threshold=threshold)
    return parse_checklist_json(text, path.name)


def install(checklist: Checklist) -> Path:
    """Keep the checked definition in the data directory, replacing any earlier one whole."""
    target = installed_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a referral form never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(checklist.to_dict(), out, indent=2, ensure_ascii=False)
    os.replace(temporary, target)
    return target
