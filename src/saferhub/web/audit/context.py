"""Who is acting right now, so writes made deep in the ORM can be attributed.

The middleware sets the actor for each request; commands set it for batch work.
A context variable (not a thread-local) keeps concurrent requests apart.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str  # username, or e.g. "system: saferhub demo"
    agency: str
    ip: str | None


_current: ContextVar[Actor | None] = ContextVar("saferhub_actor", default=None)
_request: ContextVar[object | None] = ContextVar("saferhub_request", default=None)


def current_actor() -> Actor | None:
    actor = _current.get()
    request = _request.get()
    if request is not None:
        # The user is only known after authentication middleware ran, so resolve late.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return Actor(user.pk, user.username, str(user.agency or ""), client_ip(request))
        return Actor(None, "anonymous", "", client_ip(request))
    return actor


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind a load balancer; deployments whose proxy
    # sets the header set SAFERHUB_TRUST_X_FORWARDED_FOR (see docs/deployment.md).
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The last entry is the one our proxy added; earlier ones the client can forge.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


@contextlib.contextmanager
def actor_for(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextlib.contextmanager
def acting_as(label: str, user_id: int | None = None, agency: str = ""):
    """Attribute writes made by a command (demo, import) to a named system actor."""
    token = _current.set(Actor(user_id, label, agency, None))
    request_token = _request.set(None)
    try:
        yield
    finally:
        _request.reset(request_token)
        _current.reset(token)
