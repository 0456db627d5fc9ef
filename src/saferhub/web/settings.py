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
  SAFERHUB_SESSION_HOURS  absolute session lifetime (default 8)
  SAFERHUB_IDLE_MINUTES   sign out after this long without a request (default 30)
  SAFERHUB_REQUIRE_2FA    two-factor sign-in for everyone (default on in production only)
  SAFERHUB_SIGNIN_FAILURES    failed sign-ins, per username or per address, before a lockout (5)
  SAFERHUB_LOCKOUT_MINUTES    how long a lockout lasts (default 15)
  SAFERHUB_EMAIL_HOST, SAFERHUB_EMAIL_PORT, SAFERHUB_EMAIL_USER, SAFERHUB_EMAIL_PASSWORD,
  SAFERHUB_EMAIL_USE_TLS, SAFERHUB_EMAIL_FROM   SMTP for password-reset and notification emails
  SAFERHUB_SITE_URL       the address links in notification emails start with
  SAFERHUB_DEBUG          "true" for Django's debug pages (development only)
  SAFERHUB_DEMO           "true" to say on every page and report that the data are synthetic
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
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

# Secrets that appear in tutorials, templates and Django's own startproject output.
KNOWN_DEFAULT_SECRETS = {
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "secret-key",
    "secretkey",
    "password",
    "saferhub",
    "development",
    "insecure",
}
MIN_SECRET_LENGTH = 50
KEY_GENERATION_HINT = (
    'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
)


def _production_secret() -> str:
    secret = _required("SAFERHUB_SECRET_KEY", KEY_GENERATION_HINT)
    lowered = secret.lower()
    if lowered in KNOWN_DEFAULT_SECRETS or lowered.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SAFERHUB_SECRET_KEY is a well-known default, so anyone could forge sessions. "
            + KEY_GENERATION_HINT
        )
    if len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 5:
        raise ImproperlyConfigured(
            f"SAFERHUB_SECRET_KEY is too short or too simple: it needs at least "
            f"{MIN_SECRET_LENGTH} random characters (it has {len(secret)}). " + KEY_GENERATION_HINT
        )
    return secret


if PRODUCTION:
    SECRET_KEY = _production_secret()
    ALLOWED_HOSTS = _list("SAFERHUB_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "SAFERHUB_ALLOWED_HOSTS must be set in production. "
            "Give the host names the app is served on, separated by commas."
        )
    if any("*" in host for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "SAFERHUB_ALLOWED_HOSTS must not contain '*' in production: a wildcard lets "
            "forged Host headers through (for example into password-reset links). "
            "List the exact host names, separated by commas."
        )
    if _flag("SAFERHUB_DEBUG", False):
        raise ImproperlyConfigured(
            "SAFERHUB_DEBUG is on in production: debug pages show settings and personal data. "
            "Remove SAFERHUB_DEBUG from the production environment."
        )
    if not os.environ.get("DATABASE_URL", "").strip():
        raise ImproperlyConfigured(
            "DATABASE_URL must be set in production: without it SaferHub would keep records "
            "in a local SQLite file meant for the demo. Set it to the PostgreSQL URL, e.g. "
            "postgres://saferhub:PASSWORD@db.internal:5432/saferhub"
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
    # Django's backend, but the database file and its -wal/-shm are readable by the owner only.
    DATABASES["default"]["ENGINE"] = "saferhub.web.db.sqlite3"
    # WAL lets page reads go on while an import writes. Writers take turns: a page view
    # waits (busy timeout, seconds) for an import's short write transaction to finish
    # rather than fail with "database is locked"; kept under the web server's 60 s timeout.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "saferhub.web.accounts",
    "saferhub.web.notifications",
    "saferhub.web.people",
    "saferhub.web.audit",
]
# Programme apps register here when present; each owns its models, urls and templates.
OPTIONAL_APPS = ["insights", "needs", "iom", "panels", "asb", "boardplan", "boardpack"]
for _app in OPTIONAL_APPS:
    if (PACKAGE_DIR / _app / "apps.py").exists():
        INSTALLED_APPS.append(f"saferhub.web.{_app}")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, so everything below sees only app responses.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saferhub.web.headers.PrivateResponseMiddleware",
    # django-csp's, with the policy built once (headers.py).
    "saferhub.web.headers.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, handing views the user itself (accounts/signed_in.py).
    "saferhub.web.accounts.signed_in.SignedInUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "saferhub.web.accounts.timeouts.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saferhub.web.access.AccessPolicyMiddleware",
    "saferhub.web.accounts.two_factor.TwoFactorMiddleware",
    # Last, so it sees the lockout flag the sign-in view sets and answers with its page.
    "axes.middleware.AxesMiddleware",
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
                "saferhub.web.accounts.two_factor.pending",
                "saferhub.web.demo.banner",
                "saferhub.web.panels.registry.panel_context",
            ],
            "libraries": {"govuk": "saferhub.web.govuk"},
            "builtins": [
                "django.contrib.humanize.templatetags.humanize",
                "saferhub.web.text_filters",
                "saferhub.web.links",
            ],
        },
    }
]

# NCSC password guidance: length and a deny-list, no composition rules (no "one capital,
# one symbol"), no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "saferhub.web.accounts.passwords.DenyListValidator"},
]

# The lockout backend goes first so a locked-out user is refused before the password is
# even checked; ModelBackend also refuses switched-off accounts on every request.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "saferhub.web.accounts.backends.SignedInUserBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SAFERHUB_SIGNIN_FAILURES", "5"))
# Either the username or the address reaching the limit locks sign-in out: per-user stops
# guessing one password from many addresses, per-address stops one machine trying many users.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAFERHUB_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "saferhub.web.audit.context.client_ip"
AXES_LOCKOUT_CALLABLE = "saferhub.web.accounts.lockout.locked_out"
AXES_VERBOSE = False
# Successful sign-ins are already in the audit log; a second record of addresses and
# browsers would only be more personal data to keep.
AXES_DISABLE_ACCESS_LOG = True

# Two-factor sign-in (TOTP with recovery codes) for everyone. Off in the demo and in tests
# so their printed and factory sign-ins work with a password alone.
REQUIRE_2FA = _flag("SAFERHUB_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "SaferHub"

# Passwords are reset by email; the link lasts an hour.
PASSWORD_RESET_TIMEOUT = 3600
DEFAULT_FROM_EMAIL = os.environ.get("SAFERHUB_EMAIL_FROM", "saferhub@localhost")
# Where links in notification emails point (no request to take it from when cron sends them).
SITE_URL = os.environ.get("SAFERHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("SAFERHUB_EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("SAFERHUB_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SAFERHUB_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SAFERHUB_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _flag("SAFERHUB_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
elif ENV == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    # The demo prints reset emails in its terminal.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if ENV == "test":
    # Hashing dominates test run time; the algorithm is not what the tests check.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

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

# Django's database sessions, read with a prepared read (accounts/sessions.py).
SESSION_ENGINE = "saferhub.web.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SAFERHUB_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Enforced on the server (accounts/timeouts.py): the cookie's own age can be replayed.
SESSION_IDLE_SECONDS = int(os.environ.get("SAFERHUB_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = _list("SAFERHUB_CSRF_TRUSTED_ORIGINS")
# No inline script or style anywhere: every script is a file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Server-drawn SVG charts (matplotlib) colour their shapes with style="" attributes.
        # Attributes carry no selectors, so allowing them cannot read the page; style
        # elements and script stay limited to files from this site.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no SaferHub page uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
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

# --- The audit log: database roles, alerts and the off-box copy (docs/deployment.md) ---
#   SAFERHUB_MIGRATE_DATABASE_URL  the database owner's connection, used only by `migrate` and
#                                  `setup_database_roles`; DATABASE_URL is then the app role's
#   SAFERHUB_ALERT_REFUSALS        refused requests by one user that raise an alert (default 10)
#   SAFERHUB_ALERT_MINUTES         ... within this many minutes (default 5)
#   SAFERHUB_AUDIT_LOG             stdout | stderr | /absolute/file: copy each audit entry
#                                  there as a JSON line


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name} is '{raw}'. Set it to a whole number of 1 or more.")
    return int(raw)


MIGRATE_DATABASE = None
if os.environ.get("SAFERHUB_MIGRATE_DATABASE_URL", "").strip():
    MIGRATE_DATABASE = dj_database_url.parse(os.environ["SAFERHUB_MIGRATE_DATABASE_URL"].strip())
    _app_db = DATABASES["default"]
    if any(MIGRATE_DATABASE[k] != _app_db[k] for k in ("ENGINE", "NAME", "HOST", "PORT")):
        raise ImproperlyConfigured(
            "SAFERHUB_MIGRATE_DATABASE_URL must name the same database, host and port as "
            "DATABASE_URL, with the owner's user name and password."
        )

AUDIT_ALERT_REFUSALS = _positive_int("SAFERHUB_ALERT_REFUSALS", 10)
AUDIT_ALERT_MINUTES = _positive_int("SAFERHUB_ALERT_MINUTES", 5)
AUDIT_LOG = os.environ.get("SAFERHUB_AUDIT_LOG", "").strip()
if AUDIT_LOG in {"stdout", "stderr"}:
    _audit_handler = {
        "class": "logging.StreamHandler",
        "stream": f"ext://sys.{AUDIT_LOG}",
        "formatter": "json_lines",
    }
elif AUDIT_LOG:
    if not Path(AUDIT_LOG).is_absolute():
        raise ImproperlyConfigured(
            f"SAFERHUB_AUDIT_LOG is '{AUDIT_LOG}'. Set it to stdout, stderr or an absolute "
            "file path such as /var/log/saferhub/audit.jsonl."
        )
    # WatchedFileHandler reopens the file after logrotate moves it.
    _audit_handler = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": AUDIT_LOG,
        "formatter": "json_lines",
    }
else:
    _audit_handler = {"class": "logging.NullHandler"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_lines": {"()": "saferhub.web.audit.stream.JsonLinesFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}, "audit": _audit_handler},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # INFO only when a destination is set, so no work is done for a copy nobody keeps.
        "saferhub.audit": {
            "handlers": ["audit"],
            "level": "INFO" if AUDIT_LOG else "WARNING",
            "propagate": False,
        },
        # Security alerts: WARNING to the console (the journal under systemd) for a SIEM.
        "saferhub.security": {"level": "WARNING"},
    },
}

# --- Grants of sight (need-to-know) ------------------------------------------------------
# How long an agency's involvement asked for by hand may last, and the default offered, in
# months; and how many days after an IOM spell or a panel case ends its agencies still see
# the person (to finish the work the programme handed them). See docs/security.md.
GRANT_INVOLVEMENT_DEFAULT_MONTHS = int(os.environ.get("SAFERHUB_INVOLVEMENT_DEFAULT_MONTHS", "12"))
GRANT_INVOLVEMENT_MAX_MONTHS = int(os.environ.get("SAFERHUB_INVOLVEMENT_MAX_MONTHS", "12"))
GRANT_PROGRAMME_GRACE_DAYS = int(os.environ.get("SAFERHUB_PROGRAMME_GRACE_DAYS", "28"))
if not 0 < GRANT_INVOLVEMENT_DEFAULT_MONTHS <= GRANT_INVOLVEMENT_MAX_MONTHS:
    raise ImproperlyConfigured(
        "SAFERHUB_INVOLVEMENT_DEFAULT_MONTHS must be between 1 and SAFERHUB_INVOLVEMENT_MAX_MONTHS."
    )
if GRANT_PROGRAMME_GRACE_DAYS < 0:
    raise ImproperlyConfigured("SAFERHUB_PROGRAMME_GRACE_DAYS must be 0 or more days.")

# The London borough the partnership covers: the area of figures counted from the app's own
# records (e.g. ASB tools and powers) when no partner file names one.
PARTNERSHIP_AREA = os.environ.get("SAFERHUB_PARTNERSHIP_AREA", "Barnet")
