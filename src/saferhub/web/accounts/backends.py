"""Loading the signed-in user on each request, with what every page asks of them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.web.prepared import Prepared

# Built once: every page loads the signed-in user (see saferhub.web.prepared).
SIGNED_IN_USER = Prepared(
    lambda user_id: (
        get_user_model()
        ._default_manager.annotate(
            confirmed_authenticator=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
            )
        )
        .filter(pk=user_id)
    ),
    [("user_id", int)],
)


class SignedInUserBackend(ModelBackend):
    """Django's ModelBackend (it still refuses switched-off accounts), but the user comes
    with whether they have set up an authenticator app, in the one query every page makes
    to load them: the two-factor check on every page then costs no query of its own."""

    def get_user(self, user_id):
        try:
            user = SIGNED_IN_USER.first(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
