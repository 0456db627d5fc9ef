"""What an ASB service says when a step may not be taken now."""

from __future__ import annotations


class AsbError(Exception):
    """A step the user may not take now; `field` names where the form shows it."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
