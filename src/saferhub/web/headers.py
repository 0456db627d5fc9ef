"""Response headers every SaferHub page carries, on top of Django's and django-csp's.

Almost every page and download holds personal data, and a shared or public computer's
browser cache must not keep a copy. Marking *every* application response as not to be
stored is the simplest rule that cannot miss a page; static files are served before this
middleware runs (WhiteNoise) and keep their long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
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


# Where django-csp keeps a view's own changes to the policy (its decorators) and a nonce.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace")
_PER_RESPONSE_RO = tuple(f"{name}_ro" for name in _PER_RESPONSE)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once.

    SaferHub's views change nothing in the policy (no decorators, no nonces: every script is
    a file), so its header is the same text on every response; django-csp built it anew
    twice a response, which cost more than any other middleware. A response that does carry
    its own changes, or a request that asked for a nonce, still goes through django-csp."""

    _headers: dict[str, str] | None = None

    def _own_changes(self, request: HttpRequest, response: HttpResponse) -> bool:
        return getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE + _PER_RESPONSE_RO
        )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if settings.DEBUG or self._own_changes(request, response):
            return super().process_response(request, response)
        if self._headers is None:
            # django-csp's own answer for a response with nothing of its own, kept.
            probe = super().process_response(request, HttpResponse())
            self._headers = {
                name: probe[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in probe
            }
        for name, exempt, config in (
            (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            value = self._headers.get(name)
            excluded = tuple(
                (getattr(settings, config, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            )
            if (
                value
                and name not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(excluded)
            ):
                response[name] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
