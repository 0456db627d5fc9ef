"""Loading the signed-in user on each request, with what every page asks of them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice


class SignedInUserBackend(ModelBackend):
    """Django's ModelBackend (it still refuses switched-off accounts), but the user comes
    with whether they have set up an authenticator app, in the one query every page makes
    to load them: the two-factor check on every page then costs no query of its own."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            confirmed_authenticator=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
            )
        )
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
