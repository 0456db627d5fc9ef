"""Production refuses to start on an unsafe configuration, and says how to fix it.

Before this control a secret of `changeme` gave only a warning, `*` in the allowed hosts
passed, and a missing DATABASE_URL quietly used SQLite. Settings load once per process,
so each configuration is tried in a fresh one.
"""

from __future__ import annotations

import secrets

import pytest

from tests.web.test_settings import load_settings, production, saferhub


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SAFERHUB_SECRET_KEY": "changeme"}, "SAFERHUB_SECRET_KEY is a well-known default"),
        ({"SAFERHUB_SECRET_KEY": "secret"}, "SAFERHUB_SECRET_KEY is a well-known default"),
        (
            {"SAFERHUB_SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)},
            "SAFERHUB_SECRET_KEY is a well-known default",
        ),
        (
            {"SAFERHUB_SECRET_KEY": secrets.token_urlsafe(30)},
            "needs at least 50 random characters",
        ),
        ({"SAFERHUB_SECRET_KEY": "a" * 60}, "too short or too simple"),
        ({"SAFERHUB_ALLOWED_HOSTS": "*"}, "must not contain '*' in production"),
        (
            {"SAFERHUB_ALLOWED_HOSTS": "saferhub.example.org,*.example.org"},
            "must not contain '*' in production",
        ),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set in production"),
        ({"SAFERHUB_DEBUG": "true"}, "SAFERHUB_DEBUG is on in production"),
    ],
    ids=[
        "changeme secret",
        "secret secret",
        "django-insecure secret",
        "short secret",
        "repetitive secret",
        "wildcard host",
        "wildcard subdomain",
        "no database",
        "debug on",
    ],
)
def test_an_unsafe_production_configuration_is_refused(tmp_path, variables, message):
    env = production(tmp_path, **variables)
    if variables.get("DATABASE_URL") == "":
        del env["DATABASE_URL"]
    result = load_settings(env)
    assert result.returncode != 0, "settings loaded with an unsafe configuration"
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_cli_turns_a_refused_secret_into_a_one_line_hint(tmp_path):
    result = saferhub("manage", "check", env=production(tmp_path, SAFERHUB_SECRET_KEY="changeme"))
    assert result.returncode != 0
    assert "secrets.token_urlsafe(50)" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_documented_production_configuration_passes_check_deploy(tmp_path):
    """docs/deployment.md's variables, with two-factor sign-in on by default."""
    env = production(
        tmp_path,
        SAFERHUB_CSRF_TRUSTED_ORIGINS="https://saferhub.example.org",
        SAFERHUB_EMAIL_HOST="smtp.example.org",
        SAFERHUB_EMAIL_FROM="saferhub@example.org",
    )
    result = saferhub("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)" in result.stdout
    shown = saferhub(
        "manage",
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_2FA, settings.EMAIL_BACKEND)",
        env=env,
    )
    assert "True django.core.mail.backends.smtp.EmailBackend" in shown.stdout, shown.stderr
