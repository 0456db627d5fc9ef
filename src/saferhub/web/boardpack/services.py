"""Building a board pack in the background: queue it, run it, record its progress.

The page posts a request; `request_build` stores it and, once the request's transaction
commits, starts `run` in a thread of the web server. The thread builds the pack
(`saferhub.app.board_pack`), renders every format, stores the files, and reports its
progress on the build row as it goes, which the progress page polls. The thread opens its
own database connection and closes it when done. A worker that dies leaves a row whose
heartbeat stops: `PackBuild.is_stale` shows it as failed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import OperationalError, connections, transaction
from django.utils import timezone

from saferhub.app.board_pack import (
    PackRequest,
    available_formats,
    build_pack,
    preview_fragment,
    render_pack,
)
from saferhub.errors import SaferHubError
from saferhub.web.boardpack.models import PackBuild, PackFile, Status
from saferhub.web.demo import marked

logger = logging.getLogger(__name__)

PREVIEW = "preview"  # the stored page fragment, beside the download formats
# Building the sections takes about the first 60% of the time; drawing the files the rest.
BUILT_AT = 60
LOCKED_ATTEMPTS = 50
LOCKED_WAIT_SECONDS = 0.1


def download_formats() -> tuple[str, ...]:
    return tuple(f for f in ("pdf", "xlsx", "docx") if f in available_formats())


def request_build(user, request: PackRequest) -> PackBuild:
    build = PackBuild.objects.create(requested_by=user, options=request.to_dict())
    transaction.on_commit(lambda: start(build.pk))
    return build


def start(pk: int) -> None:
    """Run the build in a thread (tests replace this to run it in line)."""
    threading.Thread(target=run, args=(pk,), name=f"board-pack-{pk}", daemon=True).start()


def _retrying(write: Callable[[], object]) -> None:
    """Run one of the build's few writes, trying again for a few seconds if SQLite says the
    table is locked: a page reading the build's progress at that moment can make a write
    fail at once rather than wait, and a failed write would leave the build stuck."""
    for attempt in range(LOCKED_ATTEMPTS):
        try:
            write()
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCKED_ATTEMPTS - 1:
                raise
            time.sleep(LOCKED_WAIT_SECONDS)


def _update(pk: int, **fields) -> None:
    _retrying(lambda: PackBuild.objects.filter(pk=pk).update(heartbeat=timezone.now(), **fields))


def run(pk: int) -> None:
    """The thread's work: build pack `pk`, then close the thread's database connection."""
    try:
        build_now(pk)
    finally:
        connections.close_all()  # this thread's connections only


def build_now(pk: int) -> None:
    """Build pack `pk`, store its files, and record how it went; never raises."""
    try:
        _build(pk)
    except SaferHubError as exc:
        message = f"{exc.message} {exc.hint}".strip() if exc.hint else exc.message
        _update(pk, status=Status.FAILED, error=message, finished=timezone.now())
    except Exception:
        logger.exception("Board pack %s failed", pk)
        _update(
            pk,
            status=Status.FAILED,
            error="The pack could not be built because of a fault in SaferHub. The fault has "
            "been logged; tell your administrator.",
            finished=timezone.now(),
        )


def _build(pk: int) -> None:
    build = PackBuild.objects.get(pk=pk)
    request = PackRequest.from_dict(build.options)
    _update(pk, status=Status.RUNNING, step="Starting")

    def progress(percent: int, step: str) -> None:
        _update(pk, progress=round(percent * BUILT_AT / 100), step=step)

    report = marked(build_pack(request, progress=progress))
    bodies = {PREVIEW: preview_fragment(report).encode("utf-8")}
    formats = download_formats()
    for index, fmt in enumerate(formats):
        done = BUILT_AT + round((100 - BUILT_AT) * index / len(formats))
        _update(pk, progress=done, step=f"Writing the {fmt.upper()} file")
        bodies[fmt] = render_pack(report, request, fmt)

    def store() -> None:
        with transaction.atomic():
            PackFile.objects.bulk_create(
                PackFile(build_id=pk, fmt=f, body=b) for f, b in bodies.items()
            )
            PackBuild.objects.filter(pk=pk).update(
                heartbeat=timezone.now(),
                status=Status.DONE,
                progress=100,
                step="Ready",
                finished=timezone.now(),
            )

    _retrying(store)
