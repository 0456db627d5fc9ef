"""A result published for an audience: the result, who it is for, and what they may not see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from saferhub.rules.disclosure import Audience, Withheld

T = TypeVar("T")


@dataclass(frozen=True)
class Published(Generic[T]):
    result: T
    audience: Audience = Audience.PARTNERSHIP
    withheld: Withheld = field(default_factory=Withheld)

    def show(self, key: str, name: str, value: object) -> object:
        return self.withheld.show(key, name, value)
