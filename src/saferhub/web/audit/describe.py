"""An audit entry's detail in words: labelled rows, with "old → new" for each change.

The detail is stored as JSON for the hash chain; the log page shows it as a description
list a person can read, never as a Python or JSON dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Keys whose plain humanised form would read badly.
LABELS = {
    "person_ids": "People shown (record numbers)",
    "not_shown": "Not shown (no need to know)",
    "shown": "People shown",
    "ip": "IP address",
    "user_id": "User number",
    "from_person": "From person record",
    "to_person": "To person record",
    "as_of": "As of",
}
EMPTY = "(empty)"


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def label_for(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").strip().capitalize()


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{label_for(str(k))}: {_text(v)}" for k, v in value.items()) or EMPTY
    return str(value)


def describe(detail: Mapping[str, Any] | None) -> list[Row]:
    rows: list[Row] = []
    for key, value in (detail or {}).items():
        if key == "changes" and isinstance(value, Mapping):
            for field, change in value.items():
                if isinstance(change, list | tuple) and len(change) == 2:
                    old, new = change
                    rows.append(Row(label_for(str(field)), f"{_text(old)} → {_text(new)}"))
                else:
                    rows.append(Row(label_for(str(field)), _text(change)))
            continue
        rows.append(Row(label_for(str(key)), _text(value)))
    return rows
