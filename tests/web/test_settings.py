"""Production settings fail fast with a hint, and pass Django's deployment checklist.

Settings load once per process, so each configuration is tried in a fresh process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from saferhub.errors import ConfigurationError


def environment(data_dir: Path, **variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["COLUMNS"] = "200"  # keeps Rich from wrapping the hint mid-command
    env["SAFERHUB_DATA_DIR"] = str(data_dir)
    env.update(variables)
    return env


def production(data_dir: Path, **variables: str) -> dict[str, str]:
    settings = {
        "SAFERHUB_ENV": "production",
        "SAFERHUB_SECRET_KEY": secrets.token_urlsafe(50),
        "SAFERHUB_ALLOWED_HOSTS": "saferhub.example.org",
        # Never connected to: the checks below do not touch the database.
        "DATABASE_URL": "postgres://saferhub@db.invalid:5432/saferhub",
    }
    return environment(data_dir, **(settings | variables))


def saferhub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "saferhub.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import saferhub.web.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_a_secret_key_stops_the_cli_with_how_to_make_one(tmp_path):
    env = production(tmp_path)
    del env["SAFERHUB_SECRET_KEY"]
    result = saferhub("manage", "check", "--deploy", env=env)
    assert result.returncode == ConfigurationError.exit_code
    assert "SAFERHUB_SECRET_KEY must be set in production" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SAFERHUB_SECRET_KEY": ""}, "SAFERHUB_SECRET_KEY must be set in production"),
        ({"SAFERHUB_SECRET_KEY": "   "}, "SAFERHUB_SECRET_KEY must be set in production"),
        ({"SAFERHUB_ALLOWED_HOSTS": ""}, "SAFERHUB_ALLOWED_HOSTS must be set in production"),
        ({"SAFERHUB_ALLOWED_HOSTS": " , "}, "SAFERHUB_ALLOWED_HOSTS must be set in production"),
        ({"SAFERHUB_ENV": "staging"}, "Set it to development, production or test"),
    ],
    ids=["empty secret", "blank secret", "no hosts", "blank hosts", "unknown environment"],
)
def test_an_unsafe_production_setting_is_refused_when_settings_load(tmp_path, variables, message):
    result = load_settings(production(tmp_path, **variables))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_saferhub_manage_check_deploy_is_clean_for_a_production_configuration(tmp_path):
    result = saferhub(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=production(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean_when_the_proxy_does_the_https_redirect(tmp_path):
    env = production(tmp_path, SAFERHUB_SECURE_SSL_REDIRECT="false")
    env["DJANGO_SETTINGS_MODULE"] = "saferhub.web.settings"
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_development_needs_no_variables(tmp_path):
    result = load_settings(environment(tmp_path))
    assert result.returncode == 0, result.stderr
