"""The probation needs analysis page, its downloads, and loading a caseload extract.

The page and the files render the same `NeedsAnalysis` through `saferhub.reports.needs`,
so every figure on screen is the one in the download. Who sees what:

- staff of a probation agency, and administrators, see the full version: small counts,
  and the people without an OASys assessment listed by CRN (viewing or downloading it
  is audited);
- everyone else allowed in (analysts, and partners' staff) sees the version for sharing
  beyond probation: disclosure control applied and no one listed.

Only probation staff (and administrators) may load an extract; to anyone else the
loading page does not exist.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from saferhub.app import needs as app
from saferhub.app.needs import read_caseload
from saferhub.errors import InputError
from saferhub.rules.disclosure import Audience
from saferhub.web.access import allow
from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.log import record
from saferhub.web.demo import marked, with_notice
from saferhub.web.needs.data import latest_extract, store
from saferhub.web.needs.forms import ExtractForm

READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
LOADERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
SHOWN_PROBLEMS = 20
EXPORTS = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def in_probation(user) -> bool:
    """Probation staff and administrators see the full version and may load extracts."""
    if user.role == Role.ADMINISTRATOR:
        return True
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind == AgencyKind.PROBATION and user.role != Role.ANALYST


def audience_for(request: HttpRequest) -> Audience:
    """Probation staff see the full version unless they ask for the public one; everyone
    else sees only the public one."""
    if in_probation(request.user) and request.GET.get("audience") != Audience.PUBLIC.value:
        return Audience.RESTRICTED
    return Audience.PUBLIC


@allow(*READERS)
def analysis(request: HttpRequest) -> HttpResponse:
    extract = latest_extract()
    audience = audience_for(request)
    full = audience is Audience.RESTRICTED
    context = {
        "extract": extract,
        "full": full,
        "can_load": in_probation(request.user),
        "audience": audience.value,
    }
    if extract is not None:
        context["report"] = app.stored_fragment(extract, audience, marked)
        if full:
            record(
                request,
                "view",
                extract,
                summary="Viewed the caseload needs analysis, with the people not assessed",
            )
    return render(request, "needs/analysis.html", context)


@allow(*READERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such download format.")
    extract = latest_extract()
    if extract is None:
        raise Http404("No caseload extract has been loaded.")
    audience = audience_for(request)
    full = audience is Audience.RESTRICTED
    published = app.stored_analysis(extract, audience)
    body = app.render(published, fmt, mark_report=marked, mark_json=with_notice)
    if full:
        record(
            request, "export", extract, summary=f"Downloaded the caseload needs analysis ({fmt})"
        )
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    version = "" if full else "-public"
    name = f"needs-analysis-{slugify(extract.area)}-{extract.as_of:%Y-%m-%d}{version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow(*LOADERS)
def load(request: HttpRequest) -> HttpResponse:
    if not in_probation(request.user):
        raise Http404("Loading a caseload extract is for probation staff.")
    problems: list[str] = []
    if request.method == "POST":
        form = ExtractForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["extract"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"extract{suffix}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    caseload = read_caseload(
                        path, as_of=form.cleaned_data["as_of"], name=Path(upload.name).name
                    )
                except InputError as error:
                    problems = [str(p) for p in error.problems]
                else:
                    store(
                        caseload,
                        area=form.cleaned_data["area"],
                        loaded_by=request.user.username,
                        request=request,
                    )
                    return redirect("needs:analysis")
            form.add_error("extract", "The extract has problems, so nothing was loaded.")
    else:
        previous = latest_extract()
        form = ExtractForm(initial={"area": previous.area if previous else ""})
    context = {
        "form": form,
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    if problems:
        status = 400
    return render(request, "needs/load.html", context, status=status)
