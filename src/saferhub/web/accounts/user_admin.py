"""Administrators switch accounts off and on, and reset a lost authenticator.

Switching an account off takes effect on that user's very next request: Django's
ModelBackend refuses a switched-off user when it loads them from the session.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.web.access import allow
from saferhub.web.accounts.models import Role, User
from saferhub.web.audit.log import record
from saferhub.web.tables import Sorting, paginate


class AccountChangeRefused(Exception):
    """An administrator asked for a change that would lock out the partnership."""


def set_account_active(request: HttpRequest, *, user: User, active: bool) -> None:
    """Switch an account on or off, and audit who did it and what the account was before."""
    if user.pk == request.user.pk and not active:
        raise AccountChangeRefused(
            "You cannot switch off your own account. Ask another administrator."
        )
    with transaction.atomic():
        # The stored value, locked, not the page's copy: the event names what really changed.
        was = User.objects.select_for_update().values_list("is_active", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(is_active=active)
        record(
            request,
            "account-enabled" if active else "account-disabled",
            summary=f"{user.username} switched {'on' if active else 'off'}",
            detail={
                "user_id": user.pk,
                "username": user.username,
                "changes": {"is_active": [was, active]} if was != active else {},
            },
        )


def reset_two_factor(request: HttpRequest, *, user: User) -> None:
    """Remove a user's authenticator and recovery codes; they set up again at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(
            request,
            "2fa-reset",
            summary=f"Two-factor sign-in reset for {user.username}",
            detail={"user_id": user.pk, "username": user.username},
        )


# The columns the user list sorts by, and what each sorts on.
USER_SORTS = {
    "username": ("username",),
    "name": ("last_name", "first_name"),
    "agency": ("agency__name", "username"),
    "role": ("role", "username"),
}


@allow(Role.ADMINISTRATOR)
def users(request: HttpRequest) -> HttpResponse:
    sorting = Sorting.from_request(request, USER_SORTS, "username")
    page = paginate(request, sorting.apply(User.objects.select_related("agency")))
    with_authenticator = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=list(page)).values_list(
            "user_id", flat=True
        )
    )
    rows = [{"user": u, "two_factor": u.pk in with_authenticator} for u in page]
    return render(request, "accounts/users.html", {"rows": rows, "page": page, "sorting": sorting})


@allow(Role.ADMINISTRATOR)
@require_POST
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "on"
    try:
        set_account_active(request, user=user, active=active)
    except AccountChangeRefused as refused:
        messages.error(request, str(refused))
    else:
        state = "switched on" if active else "switched off and signed out"
        messages.success(request, f"{user.display_name}'s account is {state}.")
    return redirect("accounts:users")


@allow(Role.ADMINISTRATOR)
@require_POST
def reset_user_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if user.pk == request.user.pk:
        raise Http404
    reset_two_factor(request, user=user)
    messages.success(
        request, f"{user.display_name} will set up two-factor sign-in again when they next sign in."
    )
    return redirect("accounts:users")
