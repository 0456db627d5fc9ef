"""Saying that the data are the demo's: the banner on every page, the notice on reports.

With SAFERHUB_DEMO on (`saferhub demo` sets it), or on the demo's own database, every page
shows a banner and every report and export says under its title that its data are
synthetic. Loading the demo is not here: see `saferhub.demo`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from django.conf import settings

from saferhub.reports.document import Report

DEMO_NOTICE = "Demonstration data: synthetic people and figures"


# Written by `saferhub demo` beside its database once the data are loaded: the day they are as of.
AS_OF_FILE = "demo-as-of.txt"


def is_demo() -> bool:
    """Whether the data are the demo's: SAFERHUB_DEMO is on, or this is the demo's own database
    (so `saferhub report marac` run on the demo's data says so too)."""
    if getattr(settings, "DEMO", False):
        return True
    database = settings.DATABASES["default"]
    return (
        database["ENGINE"].endswith("sqlite3")
        and Path(database["NAME"]).parent == Path(settings.DATA_DIR)
        and (Path(settings.DATA_DIR) / AS_OF_FILE).exists()
    )


def banner(request) -> dict[str, bool]:
    """Context processor: tells the base template to show the demonstration banner."""
    return {"demo_mode": is_demo()}


def marked(report: Report) -> Report:
    """The report, saying under its title that its data are synthetic when this is the demo."""
    if not is_demo():
        return report
    subtitle = f"{DEMO_NOTICE}. {report.subtitle}" if report.subtitle else f"{DEMO_NOTICE}."
    return dataclasses.replace(report, subtitle=subtitle)


def with_notice(document: dict) -> dict:
    """A JSON export, with the demonstration notice first when this is the demo."""
    return {"notice": DEMO_NOTICE, **document} if is_demo() else document
