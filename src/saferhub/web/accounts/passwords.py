"""Password rules in line with NCSC guidance: length and a deny-list, no composition rules.

Django's CommonPasswordValidator refuses the 20,000 passwords seen most often in breaches.
Breached passwords are mostly a common word dressed up ("Password2024!", "Saferhub123"),
so this validator also refuses a password whose letters alone are a common password or
a word tied to this service, and one made of a single repeated character or run.
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

# Words an attacker tries first against this particular service.
SERVICE_WORDS = frozenset(
    {
        "saferhub",
        "saferhubs",
        "community",
        "communitysafety",
        "partnership",
        "marac",
        "police",
        "probation",
        "council",
        "barnet",
        "welcome",
        "letmein",
        "password",
        "passw",
        "qwerty",
        "changeme",
    }
)


def _letters(password: str) -> str:
    return re.sub(r"[^a-z]", "", password.lower())


def _is_run(password: str) -> bool:
    """One character repeated, or a short pattern repeated ("abcabcabcabc", "121212121212")."""
    text = password.lower()
    return any(
        text == text[:size] * (len(text) // size) + text[: len(text) % size] for size in range(1, 4)
    )


class DenyListValidator:
    """Refuse breached-style passwords: a common word padded with digits and symbols."""

    def __init__(self) -> None:
        self._common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        letters = _letters(password)
        if _is_run(password) or letters in self._common or letters in SERVICE_WORDS:
            raise ValidationError(
                "This password is too easy to guess: it is a common word or pattern with "
                "numbers or symbols added. Use three or more random words instead.",
                code="password_deny_listed",
            )

    def get_help_text(self) -> str:
        return (
            "Your password cannot be a common word or pattern, even with numbers or symbols added."
        )
