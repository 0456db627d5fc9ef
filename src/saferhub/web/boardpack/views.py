"""The board pack pages: choose a pack, watch it being built, preview and download it.

Analysts, coordinators and administrators build packs. A build is seen only by the person
who asked for it (and administrators): anyone else gets "not found", so the existence of
another's pack is not given away. Every build and download is audited. A pack holds
published, aggregate figures only: no list of named cases, whatever the audience.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString

from saferhub.app import board_plan
from saferhub.app.board_pack import default_area, long_date
from saferhub.rules.periods import Month
from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.boardpack import services
from saferhub.web.boardpack.forms import PackForm
from saferhub.web.boardpack.models import PackBuild, PackFile, Status
from saferhub.web.people.access import today

BUILDERS = (Role.ANALYST, Role.COORDINATOR, Role.ADMINISTRATOR)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMAT_NAMES = {"pdf": "PDF", "xlsx": "Excel workbook", "docx": "Word document"}


def _months() -> list[Month]:
    """The months a pack can end in: those with a dashboard, else the last two years."""
    from saferhub.app import crime

    options = crime.options()
    if options is not None and options.months:
        return options.months
    last = Month.of(today().replace(day=1) - timedelta(days=1))
    return [last - back for back in range(24)]


@allow(*BUILDERS)
def new(request: HttpRequest) -> HttpResponse:
    months = _months()
    area = default_area()
    if request.method == "POST":
        form = PackForm(request.POST, months=months, area=area)
        pack = form.pack_request() if form.is_valid() else None
        if pack is not None:
            build = services.request_build(request.user, pack)
            record(
                request,
                "create",
                build,
                summary=f"Asked for a board pack for the meeting on {long_date(pack.meeting)} "
                f"({pack.audience} version)",
                detail=pack.to_dict(),
            )
            return redirect("boardpack:build", pk=build.pk)
        status = 400
    else:
        # The next meeting on the forward plan is the one a pack is usually for.
        initial = {"to": months[0].key, "meeting": board_plan.next_meeting(today())}
        form = PackForm(months=months, area=area, initial=initial)
        status = 200
    recent = PackBuild.objects.filter(requested_by=request.user)[:5]
    return render(
        request,
        "boardpack/new.html",
        {"form": form, "area": area, "recent": recent},
        status=status,
    )


def _build_for(request: HttpRequest, pk: int) -> PackBuild:
    builds = PackBuild.objects.all()
    if request.user.role != Role.ADMINISTRATOR:
        builds = builds.filter(requested_by=request.user)
    build = builds.filter(pk=pk).first()
    if build is None:
        raise Http404("No such board pack.")
    return build


def _status(build: PackBuild) -> dict:
    return {
        "status": build.shown_status,
        "progress": 100 if build.shown_status == Status.DONE else build.progress,
        "step": build.step,
        "error": build.shown_error,
        "url": reverse("boardpack:build", args=[build.pk]),
    }


@allow(*BUILDERS)
def build(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build_for(request, pk)
    context = {"build": build, "state": _status(build), "options": build.options}
    if build.shown_status == Status.DONE:
        stored = {f.fmt: f for f in build.files.all()}
        preview = stored.get(services.PREVIEW)
        # The fragment was rendered by the report writer's autoescaping templates when the
        # pack was built, from published figures; it is stored, not typed by anyone.
        context["preview"] = SafeString(bytes(preview.body).decode("utf-8")) if preview else ""
        context["downloads"] = [
            {
                "url": reverse("boardpack:download", args=[build.pk, fmt]),
                "name": FORMAT_NAMES[fmt],
                "size": max(1, round(len(stored[fmt].body) / 1024)),
            }
            for fmt in FORMAT_NAMES
            if fmt in stored
        ]
        record(request, "view", build, summary=f"Viewed board pack {build.pk}")
    return render(request, "boardpack/build.html", context)


@allow(*BUILDERS)
def status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_status(_build_for(request, pk)))


@allow(*BUILDERS)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    build = _build_for(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format.")
    stored = PackFile.objects.filter(build=build, fmt=fmt).first()
    if build.shown_status != Status.DONE or stored is None:
        raise Http404("This board pack has no such file.")
    record(
        request,
        "export",
        build,
        summary=f"Downloaded board pack {build.pk} ({fmt})",
        detail={"format": fmt},
    )
    options = build.options
    suffix = "-public" if options.get("audience") == "public" else ""
    name = f"board-pack-{options.get('meeting', build.pk)}{suffix}.{fmt}"
    response = HttpResponse(bytes(stored.body), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
