"""`request.user` as the signed-in user itself, with django-otp's two-factor fields.

Django's AuthenticationMiddleware and django-otp's OTPMiddleware each put a lazy stand-in on
`request.user`, so every question a page asks of the user (the menu, need-to-know, the
header: a few hundred on a person record) went through two stand-ins. Every view needs the
user anyway (the access policy asks first), so this middleware, in OTPMiddleware's place,
loads the user at once and hands out the user itself.
"""

from __future__ import annotations

from django.contrib.auth.middleware import get_user
from django_otp.middleware import OTPMiddleware


class SignedInUserMiddleware(OTPMiddleware):
    """OTPMiddleware (`user.otp_device`, `user.is_verified()`), without the stand-ins."""

    # SaferHub is served by a WSGI server only.
    async_capable = False

    def __call__(self, request):
        if getattr(request, "user", None) is not None:
            # get_user keeps the user on the request, so AuthenticationMiddleware's own
            # stand-in, if anything kept it, gives the same object without a query.
            request.user = self._verify_user_sync(request, get_user(request))
        return self.get_response(request)
