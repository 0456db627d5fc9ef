"""Audit signing in and out."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from saferhub.web.audit.log import record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record(request, "sign-in", summary=f"{user.username} signed in")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, "sign-out", summary=f"{user.username} signed out")


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    # Only the username is kept: never the password attempt.
    record(
        request,
        "sign-in-failed",
        summary=f"Failed sign-in for {credentials.get('username', '')[:100]}",
    )
