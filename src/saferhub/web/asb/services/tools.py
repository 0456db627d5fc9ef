"""Recording uses of ASB tools and powers."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferhub.web.accounts.models import Agency
from saferhub.web.asb.models import (
    AsbCase,
    ToolUse,
)
from saferhub.web.asb.services.errors import AsbError
from saferhub.web.audit.log import record
from saferhub.web.people.models import Person


@transaction.atomic
def record_tool_use(
    request,
    *,
    kind: str,
    agency: Agency,
    used_on: date,
    today: date,
    ends_on: date | None = None,
    person: Person | None = None,
    premises: str = "",
    case: AsbCase | None = None,
    outcome: str = "",
) -> ToolUse:
    if used_on > today:
        raise AsbError("used_on", "The date must be today or in the past.")
    if ends_on is not None and ends_on < used_on:
        raise AsbError("ends_on", "The end date must be on or after the date it was used.")
    if person is None and not premises.strip():
        raise AsbError("person", "Say whom it was used against: a person on the case, or premises.")
    use = ToolUse.objects.create(
        kind=kind,
        agency=agency,
        officer=request.user if request is not None else None,
        used_on=used_on,
        ends_on=ends_on,
        person=person,
        premises=premises.strip(),
        case=case,
        outcome=outcome.strip(),
    )
    record(request, "create", use, summary=f"Recorded {use}")
    return use
