"""Every command that opens the app's database starts Django the same way.

Before, three places called `django.setup()`, and a configuration error was exit code 4
from `saferhub manage` but 5 from `saferhub report marac` and `report iom`. Now one
function in `saferhub.commands.django_setup` gives one `Error:` line and exit code 4.
"""

from __future__ import annotations

import pytest
from tests.web.test_settings import production, saferhub

from saferhub.errors import ConfigurationError

COMMANDS = [
    ("manage", "check"),
    ("audit", "verify"),
    ("serve", "--port", "0"),
    ("report", "marac", "--quarter", "2023/24-Q2", "--format", "json", "--out", "{out}"),
    ("report", "iom", "--to", "2023-09", "--format", "json", "--out", "{out}"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_configuration_error_is_one_error_line_and_exit_code_4(tmp_path, command):
    env = production(tmp_path)
    del env["SAFERHUB_SECRET_KEY"]
    args = [a.replace("{out}", str(tmp_path / "report.json")) for a in command]
    result = saferhub(*args, env=env)
    assert result.returncode == ConfigurationError.exit_code == 4, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "SAFERHUB_SECRET_KEY must be set in production" in errors[0]
    assert "Traceback" not in result.stderr + result.stdout
