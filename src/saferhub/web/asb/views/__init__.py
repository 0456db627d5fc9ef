"""ASB pages: each view declares its roles and programme, checks objects, and audits reads.

The pages are in `cases` (the overview, cases and what is added to them), `reviews` (case
reviews, the ASB Case Review) and `tools` (tools and powers); here are the helpers they
share.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import render

from saferhub.web.asb import services
from saferhub.web.asb.models import AsbCase, Review
from saferhub.web.asb.privacy import visible_cases


def case_for(request: HttpRequest, pk: int) -> AsbCase:
    """The case, if the user may see it; otherwise 'not found', so its existence is hidden."""
    case = visible_cases(request.user).select_related("lead_agency").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case")
    return case


def review_for(request: HttpRequest, pk: int) -> Review:
    review = (
        Review.objects.select_related("case", "applicant__person")
        .filter(pk=pk, case__in=visible_cases(request.user))
        .first()
    )
    if review is None:
        raise Http404("No such review")
    return review


def form_page(request, form, title: str, case: AsbCase | None = None, intro: str = ""):
    return render(
        request, "asb/form.html", {"form": form, "title": title, "case": case, "intro": intro}
    )


def show_error(form, error: services.AsbError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)
