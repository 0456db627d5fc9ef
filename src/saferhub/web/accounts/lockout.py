"""What a locked-out visitor sees, and the audit entry a lockout leaves.

django-axes counts failed sign-ins per username and per address and refuses sign-in
(even with the right password) until the cool-off ends; this module only words it.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.web.audit.log import record


def locked_out(
    request: HttpRequest, response=None, credentials: dict | None = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


@receiver(user_locked_out)
def _audit_lockout(sender, request, username=None, ip_address=None, **kwargs):
    record(
        request,
        "sign-in-locked",
        summary=f"Sign-in locked out for {(username or '')[:100]}",
        detail={"username": (username or "")[:150]},
    )
