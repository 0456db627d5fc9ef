"""The partner figures page: load a partner breakdowns file (CCTV, Prevent, hate crime, ASB
tools and powers) for the board pack, and see what is stored.

The file is checked in full first (`app.partner.load_breakdowns`): if anything in it is
wrong, nothing is stored and every problem is listed by row and column. A file replaces
the stored figures of the areas, months and measures it gives, and keeps the rest.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

from django import forms
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import get_valid_filename

from saferhub.app.partner import load_breakdowns
from saferhub.errors import InputError
from saferhub.rules.periods import Month
from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.insights.breakdowns import store_breakdowns
from saferhub.web.insights.models import BreakdownValue

LOADERS = (Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR)
MAX_UPLOAD_MB = 20
SHOWN_PROBLEMS = 50
TEMPLATE = "partner-breakdowns.csv"


class BreakdownsForm(forms.Form):
    breakdowns = forms.FileField(
        label="Partner figures file",
        help_text="A CSV file with the columns area, period, measure, category, value.",
    )

    def clean_breakdowns(self):
        upload = self.cleaned_data["breakdowns"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("Choose a .csv file.")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_MB} MB.")
        return upload


def _stored() -> list[dict]:
    """What is stored, a line per area and measure: how many figures, first and last month."""
    rows = (
        BreakdownValue.objects.values("area_name", "measure")
        .annotate(figures=Count("id"), first=Min("month"), last=Max("month"))
        .order_by("area_name", "measure")
    )
    return [
        {
            **row,
            "first": Month.of(row["first"]).label,
            "last": Month.of(row["last"]).label,
        }
        for row in rows
    ]


def _check(upload) -> tuple[object | None, list[str]]:
    """The validated table, or the problems; the file keeps its own name in every message."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (get_valid_filename(Path(upload.name).name) or "partner.csv")
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            return load_breakdowns([path]), []
        except InputError as error:
            return None, [str(p) for p in error.problems]


@allow(*LOADERS)
def partner_figures(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    if request.method == "POST":
        form = BreakdownsForm(request.POST, request.FILES)
        if form.is_valid():
            table, problems = _check(form.cleaned_data["breakdowns"])
            if table is not None:
                store_breakdowns(table, request=request)
                return redirect("insights:partner-figures")
            form.add_error("breakdowns", "The file has problems, so nothing was loaded.")
    else:
        form = BreakdownsForm()
    stored = _stored()
    record(request, "view", summary="Viewed the stored partner figures")
    context = {
        "form": form,
        "stored": stored,
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "insights/partner_figures.html", context, status=status)


@allow(*LOADERS)
def breakdowns_template(request: HttpRequest) -> HttpResponse:
    """The file to fill in: the header and a few example rows (no data of anyone's)."""
    body = resources.files("saferhub.data").joinpath("templates", TEMPLATE).read_bytes()
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE}"'
    return response
