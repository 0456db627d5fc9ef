"""WSGI entry point for `saferhub serve` and any production WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
application = get_wsgi_application()
