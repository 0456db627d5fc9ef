"""The cohort list, a member's page, and adding or taking someone off the programme."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from saferhub.rules.iom_tiers import TIER_ORDER, Tier
from saferhub.web.access import allow
from saferhub.web.iom import services
from saferhub.web.iom.forms import JoinForm, LeaveForm
from saferhub.web.iom.models import IomSettings, Offence
from saferhub.web.iom.services import COORDINATORS, IOM, READERS, WRITERS
from saferhub.web.iom.views import audit_member, membership_for, page
from saferhub.web.people.access import today
from saferhub.web.people.listing import not_shown_note, record_listing
from saferhub.web.tables import Sorting, paginate
from saferhub.web.versioning import StaleRecord

# The columns the cohort list sorts by: attribute paths on each built row.
COHORT_SORTS = {
    "name": ("membership.person.last_name", "membership.person.first_name"),
    "pnc": ("membership.pnc_id",),
    "tier": ("tier", "membership.person.last_name"),
    "management": ("membership.management", "membership.person.last_name"),
    "compliance": ("compliance.rate", "membership.person.last_name"),
}


@allow(*READERS, programme=IOM)
def cohort(request: HttpRequest) -> HttpResponse:
    day = today()
    plan = IomSettings.current().plan()
    tier = request.GET.get("tier") or None
    if tier not in {t.value for t in TIER_ORDER}:
        tier = None
    rows = services.cohort_rows(request.user, day, plan, tier)
    everyone = services.cohort_rows(request.user, day, plan) if tier else rows
    counts = {t.value: sum(1 for r in everyone if r.tier == t.value) for t in TIER_ORDER}
    statutory = sum(1 for r in everyone if r.membership.management == "Statutory")
    hidden = services.hidden_member_count(request.user, day)
    sorting = Sorting.from_request(request, COHORT_SORTS, "name")
    shown = paginate(request, sorting.sort_list(rows))
    record_listing(
        request,
        summary=f"Viewed the IOM cohort ({len(shown)} members shown)",
        person_ids=[r.membership.person_id for r in shown],
        hidden=hidden,
    )
    return page(
        request,
        "iom/cohort.html",
        {
            "rows": shown,
            "sorting": sorting,
            "day": day,
            "tier": tier,
            "counts": counts,
            "total": len(everyone),
            "statutory": statutory,
            "non_statutory": len(everyone) - statutory,
            "plan": [(t, plan.standards[t]) for t in TIER_ORDER],
            "can_add": request.user.role in COORDINATORS,
            "compliance_days": services.COMPLIANCE_DAYS,
            "not_shown": not_shown_note(hidden),
        },
    )


@allow(*READERS, programme=IOM)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, pk)
    day = today()
    plan = IomSettings.current().plan()
    last = min(day, membership.leave_date) if membership.leave_date else day
    changes = list(membership.tier_changes.select_related("recorded_by"))
    current = membership.tier_on(last)
    offences = Offence.objects.filter(
        pnc_id=membership.pnc_id, offence_date__gte=membership.join_date, offence_date__lte=last
    ).count()
    audit_member(request, membership, "Viewed an IOM member's record")
    return page(
        request,
        "iom/member.html",
        {
            "m": membership,
            "person": membership.person,
            "day": last,
            "changes": changes,
            "current": current,
            "standard": plan.standards[Tier(current)] if current else None,
            "weeks": services.weekly_compliance(membership, last, plan),
            "contacts": membership.contacts.select_related("agency")[:40],
            "referrals": membership.referrals.all(),
            "decisions": membership.person.iom_decisions.all(),
            "other_spells": membership.person.iom_memberships.exclude(pk=membership.pk),
            "offences_since_joining": offences,
            "can_write": request.user.role in WRITERS and membership.leave_date is None,
            "can_manage": request.user.role in COORDINATORS and membership.leave_date is None,
        },
    )


@allow(*COORDINATORS, programme=IOM)
def add(request: HttpRequest) -> HttpResponse:
    on = today()
    initial = {"join_date": on, "pnc_id": request.GET.get("pnc", "")}
    if request.GET.get("judgement"):
        initial["by_judgement"] = True
    form = JoinForm(
        request.POST or None,
        today=on,
        find_person=lambda pnc: services.find_visible_by_pnc(request.user, pnc),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        membership = services.add_member(person=form.person, user=request.user, **form.cleaned_data)
        messages.success(request, f"{membership.person} added to the IOM cohort.")
        return redirect("iom:member", pk=membership.pk)
    return page(
        request,
        "iom/form.html",
        {
            "form": form,
            "title": "Add someone to the IOM cohort",
            "intro": "A score supports professional judgement; it never decides on its own. "
            "Record why this person is being added.",
            "button": "Add to the cohort",
        },
    )


@allow(*COORDINATORS, programme=IOM)
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_for(request, pk)
    if membership.leave_date is not None:
        messages.info(request, "This spell has already ended.")
        return redirect("iom:member", pk=membership.pk)
    form = LeaveForm(
        request.POST or None,
        membership=membership,
        today=today(),
        initial={"leave_date": today(), "version": membership.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.leave(
                membership=membership,
                version=form.cleaned_data["version"],
                leave_date=form.cleaned_data["leave_date"],
                reason=form.cleaned_data["leave_reason"],
                user=request.user,
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except services.AlreadyDone as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{membership.person} has left the IOM cohort.")
            return redirect("iom:member", pk=membership.pk)
    audit_member(request, membership, "Opened the leave form for")
    return page(
        request,
        "iom/form.html",
        {
            "form": form,
            "title": f"Take {membership.person} off the programme",
            "intro": "The leave date is the last day on the programme. The reason is recorded "
            "with the decision.",
            "button": "Record leaving",
            "membership": membership,
        },
    )
