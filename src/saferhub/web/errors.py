"""Error pages in the service's own look, never a traceback."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "404.html", {"bad_request": True}, status=400)


def server_error(request):
    # No context processors: whatever broke must not break the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render())
