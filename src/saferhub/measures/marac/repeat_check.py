"""The stored repeat flags of the cases counted, checked against the repeat rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saferhub.rules.marac import PreviousReferral, RepeatRule


@dataclass(frozen=True, slots=True)
class Referral:
    """One MARAC referral with the repeat flag stored for it: what the repeat check reads.

    The check needs every referral of each victim, including those before the quarters
    reported, because a repeat looks back 365 days.
    """

    case_id: str
    victim_id: str
    referral_date: date
    is_repeat: bool
    perpetrator_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RepeatDisagreement:
    """A case whose stored repeat flag is not what the repeat rule says."""

    case_id: str
    stored: bool
    by_rule: bool
    reason: str  # the rule's own explanation

    @property
    def text(self) -> str:
        stored = "a repeat" if self.stored else "not a repeat"
        by_rule = "is" if self.by_rule else "is not"
        return f"Case {self.case_id} is recorded as {stored}, but it {by_rule} one: {self.reason}"


@dataclass(frozen=True, slots=True)
class RepeatFlagCheck:
    """The stored repeat flags of the cases counted, checked against the repeat rule."""

    checked: int
    disagreements: tuple[RepeatDisagreement, ...]
    rule: RepeatRule = field(default_factory=RepeatRule)

    @property
    def agrees(self) -> bool:
        return not self.disagreements

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "rule_days": self.rule.days,
            "same_perpetrator": self.rule.same_perpetrator,
            "disagreements": [
                {
                    "case_id": d.case_id,
                    "stored_is_repeat": d.stored,
                    "rule_is_repeat": d.by_rule,
                    "reason": d.reason,
                }
                for d in self.disagreements
            ],
        }


def check_repeat_flags(
    referrals: Iterable[Referral],
    case_ids: Iterable[str] | None = None,
    rule: RepeatRule | None = None,
) -> RepeatFlagCheck:
    """Check each stored repeat flag against the repeat rule (rules.marac.RepeatRule: the same
    victim referred within 365 days, 366 is a new case; SafeLives' definition).

    `referrals` is every referral of the victims concerned; only the cases in `case_ids`
    (by default all of them) are checked. The repeat figure counts stored flags, so a flag
    the rule disagrees with would change a published figure: the report names each one.
    """
    rule = rule or RepeatRule()
    every = list(referrals)
    wanted = None if case_ids is None else set(case_ids)
    by_victim: dict[str, list[Referral]] = {}
    for referral in every:
        by_victim.setdefault(referral.victim_id, []).append(referral)
    checked = 0
    disagreements = []
    for referral in sorted(every, key=lambda r: (r.referral_date, r.case_id)):
        if wanted is not None and referral.case_id not in wanted:
            continue
        checked += 1
        previous = [
            PreviousReferral(other.case_id, other.referral_date, other.perpetrator_ids)
            for other in by_victim[referral.victim_id]
            if other.case_id != referral.case_id
        ]
        result = rule.check(referral.referral_date, previous, referral.perpetrator_ids)
        if result.is_repeat != referral.is_repeat:
            disagreements.append(
                RepeatDisagreement(
                    referral.case_id, referral.is_repeat, result.is_repeat, result.reason
                )
            )
    return RepeatFlagCheck(checked, tuple(disagreements), rule)
