"""The ways the needs analysis splits a caseload into groups (the tables' columns)."""

from __future__ import annotations

from dataclasses import dataclass

from saferhub.rules import needs as rules


@dataclass(frozen=True, slots=True)
class Dimension:
    """A way of splitting the caseload into groups, as table columns."""

    column: str  # the profile column holding each person's group
    label: str  # how a report names the split: "setting", "gender" …
    groups: tuple[str, ...]  # every group, in report order
    always: tuple[str, ...]  # shown even when empty; the others only when present


DIMENSIONS: dict[str, Dimension] = {
    d.column: d
    for d in (
        Dimension(
            "setting", "setting", tuple(s.label for s in rules.SETTINGS),
            tuple(s.label for s in rules.SETTINGS),
        ),
        Dimension("setting_group", "setting", rules.SETTING_GROUPS, rules.SETTING_GROUPS),
        Dimension("gender", "gender", rules.GENDER_LABELS, rules.CORE_GENDERS),
        Dimension("ethnicity", "ethnicity", rules.ETHNIC_GROUPS, rules.ETHNIC_GROUPS),
        Dimension(
            "ethnic_group", "ethnic group", rules.BROAD_ETHNIC_GROUPS, rules.BROAD_ETHNIC_GROUPS
        ),
        Dimension(
            "age_band", "age band", tuple(b.label for b in rules.AGE_BANDS), rules.CORE_AGE_BANDS
        ),
        Dimension(
            "sentence_type", "order or sentence", tuple(s.label for s in rules.SENTENCE_TYPES), ()
        ),
        Dimension("tier", "tier", (*rules.TIERS, "Not tiered"), ()),
    )
}  # fmt: skip
# Sentence and tier are counted apart from the needs profile (sentence_profile): only
# the caseload tables split by them, and they would multiply the profile's rows.
SENTENCE_GROUPINGS: tuple[str, ...] = ("sentence_type", "tier")
