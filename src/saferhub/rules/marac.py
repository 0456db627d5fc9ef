"""Domestic Abuse MARAC rules: the four referral criteria, the repeat rule and people checks.

The criteria are SafeLives' (BRIEF: Domestic Abuse MARAC; seed 004 §4.1.11):

1. Visible high risk: the risk checklist score is at or above its threshold (default 14).
2. Professional judgement: the referrer's reasons are stated; an empty reason is refused.
3. Potential escalation: at least N incidents in the M months up to the referral
   (default 3 in 12; `EscalationRule` says exactly which days count).
4. Repeat: a new referral within 365 days of the victim's last MARAC referral
   (`RepeatRule` says exactly which referrals count).

People: a perpetrator can never be the victim, and a newly entered person is checked
against existing records for likely duplicates, which are offered to the coordinator
with their reason and never merged silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from saferhub.errors import ConfigurationError
from saferhub.rules.checklist import ChecklistResult
from saferhub.rules.panels import FieldProblem, RecordError


class Criterion(StrEnum):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    POTENTIAL_ESCALATION = "potential_escalation"
    REPEAT = "repeat"

    @property
    def label(self) -> str:
        return _CRITERION_LABELS[self]


_CRITERION_LABELS = {
    Criterion.VISIBLE_HIGH_RISK: "Visible high risk",
    Criterion.PROFESSIONAL_JUDGEMENT: "Professional judgement",
    Criterion.POTENTIAL_ESCALATION: "Potential escalation",
    Criterion.REPEAT: "Repeat",
}


# ---------------------------------------------------------------------------------------------
# Criterion 3: potential escalation


@dataclass(frozen=True, slots=True)
class EscalationRule:
    """At least `incidents` domestic abuse incidents in the `months` months up to the referral.

    The window is the `months` calendar months ending on the referral date: it runs from the
    day after the same date `months` months earlier, to the referral date, both inclusive.
    For a referral on 15 September 2023 and 12 months, incidents from 16 September 2022 to
    15 September 2023 count. (From 31 March, 1 month back is 28 or 29 February.)
    National guidance is 3 in 12 months; local variants are set here.
    """

    incidents: int = 3
    months: int = 12

    def __post_init__(self) -> None:
        for name in ("incidents", "months"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 120:
                raise ConfigurationError(
                    f"Escalation rule '{name}' is {value!r}; "
                    "it must be a whole number from 1 to 120."
                )

    def window(self, referral_date: date) -> tuple[date, date]:
        """The first and last days (inclusive) on which an incident counts."""
        return referral_date - relativedelta(months=self.months) + relativedelta(
            days=1
        ), referral_date

    def count(self, incident_dates: Iterable[date], referral_date: date) -> int:
        first, last = self.window(referral_date)
        return sum(1 for day in incident_dates if first <= day <= last)

    def is_met(self, incident_dates: Iterable[date], referral_date: date) -> bool:
        return self.count(incident_dates, referral_date) >= self.incidents

    @property
    def label(self) -> str:
        return f"{self.incidents} or more incidents in {self.months} months"


# ---------------------------------------------------------------------------------------------
# Criterion 4: repeat


@dataclass(frozen=True, slots=True)
class PreviousReferral:
    case_id: str
    referral_date: date
    perpetrator_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RepeatCheck:
    is_repeat: bool
    previous: PreviousReferral | None  # the most recent earlier referral that counts
    days_since: int | None
    reason: str
    same_day: tuple[PreviousReferral, ...] = ()  # referrals on the same date: likely duplicates


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """A referral is a repeat when the victim's last MARAC referral was at most `days` days before.

    Days are counted as the difference between the two referral dates: a previous referral
    on 1 March 2023 makes a referral on 29 February 2024 (365 days later) a repeat, and one on
    1 March 2024 (366 days later) not. A referral on the same date is not a repeat: it is
    shown as a possible duplicate instead.

    SafeLives' definition (quoted in seed 004, Principle 2) is abuse "between the same victim
    and perpetrator(s)", so by default the earlier referral must share a perpetrator; a
    partnership that counts any earlier referral of the victim sets `same_perpetrator=False`.
    When either referral has no recorded perpetrator, the victim alone decides.
    """

    days: int = 365
    same_perpetrator: bool = True

    def __post_init__(self) -> None:
        if (
            not isinstance(self.days, int)
            or isinstance(self.days, bool)
            or not 1 <= self.days <= 3660
        ):
            raise ConfigurationError(f"Repeat rule 'days' is {self.days!r}; use 1 to 3660.")

    def _counts(self, previous: PreviousReferral, perpetrator_ids: frozenset[str]) -> bool:
        if not self.same_perpetrator or not previous.perpetrator_ids or not perpetrator_ids:
            return True
        return bool(previous.perpetrator_ids & perpetrator_ids)

    def check(
        self,
        referral_date: date,
        previous: Iterable[PreviousReferral],
        perpetrator_ids: Iterable[str] = (),
    ) -> RepeatCheck:
        """Is this referral of the victim a repeat, given the victim's earlier referrals?"""
        current = frozenset(perpetrator_ids)
        earlier = [
            p for p in previous if p.referral_date < referral_date and self._counts(p, current)
        ]
        same_day = tuple(p for p in previous if p.referral_date == referral_date)
        if not earlier:
            return RepeatCheck(
                False, None, None, "No earlier MARAC referral of this victim.", same_day
            )
        last = max(earlier, key=lambda p: (p.referral_date, p.case_id))
        days = (referral_date - last.referral_date).days
        if days <= self.days:
            reason = (
                f"Referred {days} days after case {last.case_id} "
                f"({last.referral_date:%d %B %Y}), within {self.days} days."
            )
            return RepeatCheck(True, last, days, reason, same_day)
        reason = (
            f"The last referral, case {last.case_id} ({last.referral_date:%d %B %Y}), was "
            f"{days} days earlier: more than {self.days} days, so this is a new case."
        )
        return RepeatCheck(False, last, days, reason, same_day)


# ---------------------------------------------------------------------------------------------
# All four criteria


@dataclass(frozen=True, slots=True)
class CriterionFinding:
    criterion: Criterion
    met: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class CriteriaAssessment:
    findings: tuple[CriterionFinding, ...]

    @property
    def met(self) -> tuple[Criterion, ...]:
        return tuple(f.criterion for f in self.findings if f.met)

    @property
    def meets_any(self) -> bool:
        return bool(self.met)

    def finding(self, criterion: Criterion) -> CriterionFinding:
        return next(f for f in self.findings if f.criterion == criterion)


def assess_criteria(
    *,
    referral_date: date,
    checklist: ChecklistResult | None,
    professional_judgement: bool,
    professional_judgement_reason: str = "",
    incident_dates: Sequence[date] = (),
    incident_count: int | None = None,
    repeat: RepeatCheck | None = None,
    escalation: EscalationRule | None = None,
) -> CriteriaAssessment:
    """Which of the four SafeLives criteria a referral meets, each with its reasoning.

    Escalation is judged from `incident_dates`, or, when the referrer counted the incidents
    in the rule's window themselves, from `incident_count`.
    Raises RecordError when professional judgement is claimed without reasons, when an
    incident is dated after the referral, or when the count is negative.
    """
    escalation = escalation or EscalationRule()
    problems: list[FieldProblem] = []
    reason = (professional_judgement_reason or "").strip()
    if professional_judgement and not reason:
        problems.append(
            FieldProblem(
                "professional_judgement_reason",
                "Give the reasons for referring on professional judgement.",
            )
        )
    late = sorted(d for d in incident_dates if d > referral_date)
    if late:
        problems.append(
            FieldProblem(
                "incident_dates",
                f"An incident on {late[0]:%d %B %Y} is after the referral date "
                f"({referral_date:%d %B %Y}); check the dates.",
            )
        )
    if incident_count is not None and incident_count < 0:
        problems.append(
            FieldProblem("incidents_12m", "The number of incidents cannot be negative.")
        )
    if problems:
        raise RecordError(problems)

    findings = []
    if checklist is None:
        findings.append(CriterionFinding(Criterion.VISIBLE_HIGH_RISK, False, "No risk checklist."))
    else:
        findings.append(
            CriterionFinding(
                Criterion.VISIBLE_HIGH_RISK, checklist.visible_high_risk, checklist.explanation
            )
        )
    findings.append(
        CriterionFinding(
            Criterion.PROFESSIONAL_JUDGEMENT,
            professional_judgement,
            reason if professional_judgement else "Not claimed.",
        )
    )
    first, last = escalation.window(referral_date)
    count = (
        incident_count
        if incident_count is not None
        else escalation.count(incident_dates, referral_date)
    )
    findings.append(
        CriterionFinding(
            Criterion.POTENTIAL_ESCALATION,
            count >= escalation.incidents,
            f"{count} incident{'s' if count != 1 else ''} from {first:%d %B %Y} to "
            f"{last:%d %B %Y}; the rule is {escalation.label}.",
        )
    )
    findings.append(
        CriterionFinding(
            Criterion.REPEAT,
            bool(repeat and repeat.is_repeat),
            repeat.reason if repeat else "No repeat check made.",
        )
    )
    return CriteriaAssessment(tuple(findings))


# ---------------------------------------------------------------------------------------------
# People: the victim is not a perpetrator, and likely duplicates are offered, never merged


@dataclass(frozen=True, slots=True)
class PersonDetails:
    person_id: str | None  # None for someone being entered for the first time
    first_name: str
    last_name: str
    date_of_birth: date | None


def normalise_name(text: str) -> str:
    """Case-fold, strip accents, and treat hyphens, apostrophes and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[-\u2010-\u2015\u2019'.,]+", " ", plain.casefold())
    return " ".join(plain.split())


def _full(person: PersonDetails) -> str:
    return normalise_name(f"{person.first_name} {person.last_name}")


def _swapped(person: PersonDetails) -> str:
    return normalise_name(f"{person.last_name} {person.first_name}")


def same_person(a: PersonDetails, b: PersonDetails) -> bool:
    """The same record, or the same name and date of birth."""
    if a.person_id and b.person_id:
        return a.person_id == b.person_id
    return (
        _full(a) == _full(b) and a.date_of_birth is not None and a.date_of_birth == b.date_of_birth
    )


def perpetrator_problems(
    victim: PersonDetails | None, perpetrators: Sequence[PersonDetails]
) -> list[FieldProblem]:
    """Field problems when there is no victim or a perpetrator is the victim."""
    if victim is None:
        return [FieldProblem("victim", "Enter the victim: a referral is about one person.")]
    problems = []
    for index, perpetrator in enumerate(perpetrators, start=1):
        if same_person(victim, perpetrator):
            problems.append(
                FieldProblem(
                    "perpetrators",
                    f"Perpetrator {index} ({perpetrator.first_name} {perpetrator.last_name}) "
                    "is the victim; a person cannot be both on one referral.",
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """An existing record that may be the same person, and why we think so."""

    person_id: str
    reason: str
    similarity: float  # 0 to 1, name likeness; 1.0 for an exact name match


def _dob_swapped(a: date, b: date) -> bool:
    return a != b and a.year == b.year and a.month == b.day and a.day == b.month


def possible_duplicates(
    person: PersonDetails,
    existing: Iterable[PersonDetails],
    *,
    min_similarity: float = 0.85,
) -> list[DuplicateCandidate]:
    """Records that may be `person`, best first, each with its reason. Nothing is merged.

    A record is offered when the names match after normalising case, spaces, hyphens and
    accents (also with first and last names swapped), or are at least `min_similarity`
    alike (difflib's ratio), AND the dates of birth agree, have day and month swapped, or
    one is not recorded. The same name with a different date of birth is not offered: a
    shared name alone is common.
    """
    if not 0 < min_similarity <= 1:
        raise ConfigurationError(
            f"min_similarity is {min_similarity}; it must be above 0 and at most 1."
        )
    name, flipped = _full(person), _swapped(person)
    found: list[DuplicateCandidate] = []
    for other in existing:
        if other.person_id is None or other.person_id == person.person_id:
            continue
        other_name = _full(other)
        exact = other_name == name
        swapped = not exact and other_name == flipped
        similarity = (
            1.0
            if exact or swapped
            else max(
                SequenceMatcher(None, name, other_name).ratio(),
                SequenceMatcher(None, flipped, other_name).ratio(),
            )
        )
        if similarity < min_similarity:
            continue
        if exact:
            name_text = "same name"
        elif swapped:
            name_text = "same name with first and last names swapped"
        else:
            name_text = (
                f"similar name ({other.first_name} {other.last_name}, {similarity:.0%} alike)"
            )
        a, b = person.date_of_birth, other.date_of_birth
        if a is not None and a == b:
            dob_text = "same date of birth"
        elif a is not None and b is not None and _dob_swapped(a, b):
            dob_text = "date of birth with day and month swapped"
        elif a is None or b is None:
            if not exact:
                continue  # a loose name match with no date of birth says too little
            dob_text = "date of birth not recorded on one of the records"
        else:
            continue
        found.append(
            DuplicateCandidate(other.person_id, f"{name_text}; {dob_text}", round(similarity, 3))
        )
    rank = {"same date of birth": 0}
    return sorted(
        found,
        key=lambda c: (rank.get(c.reason.split("; ")[1], 1), -c.similarity, c.person_id),
    )
