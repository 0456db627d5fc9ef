"""A Community Safety MARAC case's link to the ASB case it is about, seen on need to know.

The link is a real one (`Case.asb_case`). Who may see what follows each side's own rules:
a referrer may link only an ASB case they may see (`web.asb.privacy.visible_cases`), a CS
MARAC case page shows its ASB case as a link only to those who may see that ASB case, and
an ASB case page lists its CS MARAC cases only to those who may see them
(`web.panels.privacy.panel_cases`). An unknown reference and an ASB case the user may not
see get the same answer, so the form never tells anyone that a hidden case exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from saferhub.rules.panels import FieldProblem, RecordError
from saferhub.web.asb.models import AsbCase
from saferhub.web.asb.privacy import visible_cases
from saferhub.web.panels.models import Case
from saferhub.web.panels.privacy import panel_cases
from saferhub.web.versioning import compare_and_swap

LINKED_PANEL = "asb_marac"  # only the Community Safety MARAC's cases are about ASB cases


def unknown_reference(reference: str) -> str:
    return (
        f"No ASB case you can see has the reference {reference}. Check the reference on the "
        "ASB case page, or leave this blank."
    )


def find_asb_case(user, reference: str) -> AsbCase:
    """The ASB case with `reference` (any letter case, spaces ignored) that `user` may see;
    RecordError naming the field when there is none."""
    text = (reference or "").strip()
    found = visible_cases(user).filter(reference__iexact=text).first() if text else None
    if found is None:
        raise RecordError(FieldProblem("asb_case_reference", unknown_reference(text)))
    return found


@transaction.atomic
def link_asb_case(*, case: Case, user, reference: str, version: int) -> Case:
    """Link `case` to the ASB case with `reference`, if `user` may see it. Versioned (a link
    changed since the form was loaded is not overwritten) and audited as an update."""
    if case.panel != LINKED_PANEL:
        raise RecordError(
            FieldProblem("asb_case_reference", "Only Community Safety MARAC cases link to ASB.")
        )
    asb_case = find_asb_case(user, reference)
    return compare_and_swap(
        case,
        version=version,
        audit={"asb_case": asb_case.reference},
        asb_case=asb_case,
        asb_case_reference="",
    )


@dataclass(frozen=True)
class AsbLink:
    """What a CS MARAC case page shows of its ASB case."""

    asb_case: AsbCase | None  # the case, when the viewer may see it
    linked: bool  # linked to an ASB case at all (seen or not)
    typed: str  # a reference typed before cases were linked, matching no ASB case


def asb_link_for(user, case: Case) -> AsbLink:
    if case.asb_case_id is None:
        return AsbLink(None, False, case.asb_case_reference)
    seen = visible_cases(user).filter(pk=case.asb_case_id).first()
    return AsbLink(seen, True, "")


@dataclass(frozen=True)
class LinkedCases:
    """What an ASB case page shows of the CS MARAC cases about it."""

    cases: list[Case]  # the ones the viewer may see
    hidden: int  # how many more are linked


def linked_panel_cases(user, asb_case: AsbCase) -> LinkedCases:
    linked = Case.objects.filter(asb_case=asb_case)
    seen = list(panel_cases(user, LINKED_PANEL).filter(asb_case=asb_case).order_by("pk"))
    return LinkedCases(seen, linked.count() - len(seen))
