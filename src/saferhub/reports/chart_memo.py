"""Drawn charts kept by their inputs, so a page rebuilt with the same figures reuses them.

A chart's image is a pure function of what it is given (title, labels, the values of each
series, axis label, number format, kind): `charts.py` draws the same bytes for the same
inputs. Drawing is the slowest part of a statistics page (about a tenth of a second a
chart), and a write elsewhere in the data marks every cached page stale even when most
charts' numbers did not move. Keying the drawn image by those inputs, not by the data
version, lets the rebuilt page reuse every unchanged chart and redraw only the changed.

The memo is bounded (least recently used out first), so a long-running process keeps a
few megabytes of charts at most, and guarded by its own lock, so a request that finds its
chart does not wait for another request's drawing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

Key = tuple[Hashable, ...]


def values_key(values: Iterable[object]) -> tuple[tuple[type, object], ...]:
    """`values` as a hashable key that tells 1 from 1.0 (equal as dict keys).

    A table shows 1 as "1" and 1.0 as "1.00" when it has no number format, so they are
    different charts. NaN is not equal to itself, so it is keyed by name: a chart with a
    gap must find itself again.
    """
    return tuple((type(value), "nan" if value != value else value) for value in values)


def series_key(series: Mapping[str, Sequence[object]]) -> Key:
    """A series mapping as a key: its names in order, each with its values."""
    return tuple((name, values_key(values)) for name, values in series.items())


class Memo(Generic[T]):
    """A bounded, thread-safe least-recently-used map from a chart's inputs to its image."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("A memo must hold at least one chart.")
        self.size = size
        self._entries: OrderedDict[Key, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> T | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Key, value: T) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
