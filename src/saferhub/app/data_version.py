"""A number that changes on every write to the data the statistics read: the cache key.

The version is one row in the database (`people.DataVersion`), replaced by a fresh
random token in the same transaction as the write, so every process serving the app
sees it change when the write commits, and a rolled-back write leaves it as it was
(its token, and anything cached under it, is never seen again). Write services call
`bump_data_version()`; as a safety net every save or delete of a model in the
statistics' apps replaces it too (`watch`, connected once at start), and bulk inserts
(saferhub.web.bulk_insert) replace it themselves. Cached results are keyed by the token,
so a write makes every cached figure stale at once, and nothing has to know which
figures a write touched.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

CACHE_SECONDS = 600
# The apps whose tables the statistics read. Not accounts: a sign-in saves the user, and
# must not throw every cached figure away.
WATCHED_APPS = frozenset({"people", "iom", "panels", "needs", "insights"})


def current(areas: Iterable[str] = WATCHED_APPS) -> str:
    """The version of the data of `areas` (app labels) now, as one text."""
    from saferhub.web.people.models import DataVersion

    wanted = sorted(areas)
    tokens = dict(DataVersion.objects.filter(area__in=wanted).values_list("area", "token"))
    return ",".join(tokens.get(area, "") for area in wanted)


def bump_data_version(*areas: str) -> None:
    """Mark cached figures built from `areas` (app labels; all when none are given)
    stale, in the caller's transaction."""
    from saferhub.web.people.models import DataVersion

    for area in areas or sorted(WATCHED_APPS):
        token = secrets.token_hex(16)
        if not DataVersion.objects.filter(area=area).update(token=token):
            DataVersion.objects.update_or_create(area=area, defaults={"token": token})


def cached(
    name: str,
    parts: tuple[Any, ...],
    compute: Callable[[], T],
    areas: Iterable[str] = WATCHED_APPS,
) -> T:
    """`compute()`, or its result cached under `name`, `parts` and the version of the
    data of `areas`, so a write elsewhere leaves it cached."""
    from django.core.cache import cache

    identity = "|".join([name, current(areas), *map(repr, parts)])
    key = f"saferhub-{name}-" + hashlib.sha256(identity.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, timeout=CACHE_SECONDS)
    return value


def watch(sender: Any, **kwargs: Any) -> None:
    """Signal receiver for post_save/post_delete: bump when a watched app's row changes."""
    if sender._meta.app_label in WATCHED_APPS and sender._meta.model_name != "dataversion":
        bump_data_version(sender._meta.app_label)


def connect() -> None:
    """Bump the version on every save or delete of a watched model (called once at start)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(watch, dispatch_uid="saferhub-data-version-save")
    post_delete.connect(watch, dispatch_uid="saferhub-data-version-delete")
