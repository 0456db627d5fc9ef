"""Sessions end after a spell without activity, and at a fixed time after signing in.

The times are kept in the server-side session, not the cookie, so a copied cookie cannot
outlive them. Both are settings: SESSION_IDLE_SECONDS and SESSION_ABSOLUTE_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from saferhub.web.audit.log import record

SIGNED_IN_AT = "saferhub_signed_in_at"
LAST_SEEN_AT = "saferhub_last_seen_at"
# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a 30-minute idle limit.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


def expiry_reason(session, now: float) -> str | None:
    """Why this session has expired, or None while it is still good."""
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if signed_in is not None and now - signed_in > settings.SESSION_ABSOLUTE_SECONDS:
        hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
        return f"You were signed out because you signed in more than {hours} hours ago."
    if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
        minutes = settings.SESSION_IDLE_SECONDS // 60
        return f"You were signed out after {minutes} minutes without activity."
    return None


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        reason = expiry_reason(session, now)
        if reason:
            record(request, "session-expired", summary=reason[:300])
            logout(request)
            messages.info(request, reason + " Sign in again to continue.")
            return
        session.setdefault(SIGNED_IN_AT, now)
        if now - session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now
