"""A number that changes on every write to the data the statistics read: the cache key.

The version is one row in the database (`people.DataVersion`), replaced by a fresh
random token in the same transaction as the write, so every process serving the app
sees it change when the write commits, and a rolled-back write leaves it as it was
(its token, and anything cached under it, is never seen again). Write services call
`bump_data_version()`; as a safety net every save of a model in the statistics' apps
replaces it too (`watch`, connected once at start), so does every DELETE statement on
their tables (`watch_deletes`, on each database connection), and bulk inserts
(saferhub.web.bulk_insert) replace it themselves. Deletes are watched at the statement
rather than by a post_delete receiver, because any such receiver makes Django load and
delete each cascaded row one by one instead of in one statement. Cached results are
keyed by the token, so a write makes every cached figure stale at once, and nothing has
to know which figures a write touched.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

CACHE_SECONDS = 600
# The apps whose tables the statistics read. Not accounts: a sign-in saves the user, and
# must not throw every cached figure away.
WATCHED_APPS = frozenset({"people", "iom", "panels", "needs", "insights", "asb"})


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
    """post_save receiver, connected for each watched model: its app's data changed."""
    bump_data_version(sender._meta.app_label)


_DELETE = re.compile(r"\s*DELETE\s+FROM\s+[\"`]?(\w+)", re.IGNORECASE)


@cache
def _watched_tables() -> dict[str, str]:
    """Database table -> app label, for the watched apps' tables."""
    from django.apps import apps

    return {
        model._meta.db_table: model._meta.app_label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WATCHED_APPS and model._meta.model_name != "dataversion"
    }


def watch_deletes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    """Database execute wrapper: bump the version after a DELETE from a watched table, in
    the same transaction (cascaded rows are deleted in one statement, with no signal)."""
    result = execute(sql, params, many, context)
    found = _DELETE.match(sql) if isinstance(sql, str) else None
    area = _watched_tables().get(found.group(1)) if found else None
    if area is not None:
        bump_data_version(area)
    return result


def _wrap_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if watch_deletes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_deletes)


def connect() -> None:
    """Bump the version on every save, and every delete, of a watched model's rows
    (called once at start)."""
    from django.apps import apps
    from django.db.backends.signals import connection_created
    from django.db.models.signals import post_save

    # One receiver per watched model, never one for every sender: those would run on
    # every save in the app (sign-ins, audit events) for nothing.
    for model in apps.get_models():
        if model._meta.app_label in WATCHED_APPS and model._meta.model_name != "dataversion":
            post_save.connect(watch, sender=model, dispatch_uid=f"saferhub-dv-{model._meta.label}")
    connection_created.connect(_wrap_connection, dispatch_uid="saferhub-data-version-delete")
