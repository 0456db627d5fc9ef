"""The one way the command line starts Django: `setup_django()`.

Every command that touches the app's database calls it, so a configuration error (a
missing secret, a bad DATABASE_URL) is the same `Error:` line and exit code 4 whichever
command met it, and a data folder that cannot be created is exit code 5.
"""

from __future__ import annotations

import os
from pathlib import Path

from saferhub.errors import ConfigurationError, EnvironmentProblem

SETTINGS_MODULE = "saferhub.web.settings"


def setup_django() -> None:
    """Configure Django from the environment, once; raise ConfigurationError if it cannot."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(str(exc)) from None
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # SQLite can't create the folder its file lives in.
        try:
            Path(settings.DATA_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise EnvironmentProblem(
                f"Cannot create the data folder {settings.DATA_DIR}: {exc.strerror}.",
                "Set SAFERHUB_DATA_DIR to a folder this user can write.",
            ) from None
