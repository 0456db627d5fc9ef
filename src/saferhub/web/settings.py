"""SaferHub settings: the only place the environment is read.

Development needs nothing set: it uses SQLite under SAFERHUB_DATA_DIR and a random
throwaway secret. Production (SAFERHUB_ENV=production) fails fast, with a hint, on any
missing secret or unsafe setting.

Variables:
  SAFERHUB_ENV            development (default) | production | test
  SAFERHUB_SECRET_KEY     required in production
  DATABASE_URL            e.g. postgres://user@127.0.0.1:5432/saferhub; default SQLite file
  SAFERHUB_DATA_DIR       where the SQLite database and demo extracts live (default ./var)
  SAFERHUB_ALLOWED_HOSTS  comma-separated; required in production
  SAFERHUB_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://saferhub.example.gov.uk
  SAFERHUB_SECURE_SSL_REDIRECT   "false" when TLS ends at a proxy that already redirects
  SAFERHUB_SESSION_HOURS  session lifetime (default 8)
  SAFERHUB_DEBUG          "true" for Django's debug pages (development only)
  SAFERHUB_DEMO           "true" to say on every page and report that the data are synthetic
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENV = os.environ.get("SAFERHUB_ENV", "development").strip().lower()
if ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"SAFERHUB_ENV is '{ENV}'. Set it to development, production or test."
    )
PRODUCTION = ENV == "production"


def _required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production. {hint}")
    return value


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFERHUB_DATA_DIR", "var")).resolve()
# `saferhub demo` turns this on: every page and report then says its data are synthetic.
DEMO = _flag("SAFERHUB_DEMO", False)

if PRODUCTION:
    SECRET_KEY = _required(
        "SAFERHUB_SECRET_KEY",
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"',
    )
    ALLOWED_HOSTS = _list("SAFERHUB_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "SAFERHUB_ALLOWED_HOSTS must be set in production. "
            "Give the host names the app is served on, separated by commas."
        )
    DEBUG = False
else:
    # A fresh random key each process is safe for development: sessions just don't outlive it
    # unless a key is set.
    SECRET_KEY = os.environ.get("SAFERHUB_SECRET_KEY") or secrets.token_urlsafe(50)
    ALLOWED_HOSTS = _list("SAFERHUB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DEBUG = _flag("SAFERHUB_DEBUG", False)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'saferhub.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets page reads go on while the demo writes; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "saferhub.web.accounts",
    "saferhub.web.people",
    "saferhub.web.audit",
]
# Programme apps register here when present; each owns its models, urls and templates.
OPTIONAL_APPS = ["insights", "needs", "iom", "panels"]
for _app in OPTIONAL_APPS:
    if (PACKAGE_DIR / _app / "apps.py").exists():
        INSTALLED_APPS.append(f"saferhub.web.{_app}")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saferhub.web.access.AccessPolicyMiddleware",
]

ROOT_URLCONF = "saferhub.web.urls"
WSGI_APPLICATION = "saferhub.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferhub.web.access.navigation",
                "saferhub.web.demo.banner",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENV == "test":
    # Hashing dominates test run time; the algorithm is not what the tests check.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the package in development and tests, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_AGE = int(os.environ.get("SAFERHUB_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = _list("SAFERHUB_CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy, the client's address arrives in X-Forwarded-For; trust it only
# when the proxy overwrites that header (docs/deployment.md).
TRUST_X_FORWARDED_FOR = _flag("SAFERHUB_TRUST_X_FORWARDED_FOR", False)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("SAFERHUB_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if not SECURE_SSL_REDIRECT:
        # A proxy does the redirect; Django's own check can't see it.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
