"""A number that changes on every write to the data the statistics read: the cache key.

Write services call `bump_data_version()` inside their transaction; as a safety net every
save or delete of a model in the statistics' apps bumps it too (`watch`, connected in the
apps' `ready`). Cached results are keyed by the version, so a write makes every cached
figure stale at once, and nothing has to know which figures a write touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

KEY = "saferhub-data-version"
CACHE_SECONDS = 600
# The apps whose tables the statistics read.
WATCHED_APPS = frozenset({"people", "iom", "panels", "needs", "insights", "accounts"})


def current() -> int:
    """The data version now; starts at 1 when the cache is empty."""
    from django.core.cache import cache

    cache.add(KEY, 1, timeout=None)
    return int(cache.get(KEY) or 1)


def bump_data_version() -> None:
    """Mark every cached figure stale. Safe to call inside or outside a transaction.

    Inside one it bumps once now (other requests stop using the old figures) and once more
    on commit (so figures computed from the uncommitted state are never kept).
    """
    from django.core.cache import cache
    from django.db import transaction

    def bump() -> None:
        cache.add(KEY, 1, timeout=None)
        try:
            cache.incr(KEY)
        except ValueError:  # evicted between add and incr
            cache.set(KEY, 2, timeout=None)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or its result cached under `name`, `parts` and the data version."""
    from django.core.cache import cache

    identity = "|".join([name, str(current()), *map(repr, parts)])
    key = f"saferhub-{name}-" + hashlib.sha256(identity.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, timeout=CACHE_SECONDS)
    return value


def watch(sender: Any, **kwargs: Any) -> None:
    """Signal receiver for post_save/post_delete: bump when a watched app's row changes."""
    if sender._meta.app_label in WATCHED_APPS:
        bump_data_version()


def connect() -> None:
    """Bump the version on every save or delete of a watched model (called once at start)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(watch, dispatch_uid="saferhub-data-version-save")
    post_delete.connect(watch, dispatch_uid="saferhub-data-version-delete")
