"""Response headers every SaferHub page carries, on top of Django's and django-csp's.

Almost every page and download holds personal data, and a shared or public computer's
browser cache must not keep a copy. Marking *every* application response as not to be
stored is the simplest rule that cannot miss a page; static files are served before this
middleware runs (WhiteNoise) and keep their long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivateResponseMiddleware:
    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
