"""The board pack: one document of the partnership board's papers, in every format.

A pack is a cover, then the sections asked for in the board's order: the executive
summary, the performance dashboard, the partners' sections, IOM, DA MARAC, the needs
analysis, the other panels, the action plan and the forward plan. Each section comes
from a provider (`saferhub.app.board_pack_sections`) that reads the application layer's
published results for the pack's audience; nothing here computes a figure.

Audiences: "restricted" is the partnership's version (every count, and never a list of
named cases: a pack is circulated); "public" hides counts of 1 to 4 and whatever would
give them away.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from saferhub.app.render import DOCUMENT_FORMATS, render_document, write_document
from saferhub.errors import ConfigurationError
from saferhub.reports.document import Cover, Report, Section
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month, Window
from saferhub.sources.london import require_borough

PERIODS = ("recent", "quarter", "half")
AUDIENCES = {"restricted": Audience.PARTNERSHIP, "public": Audience.PUBLIC}
AUDIENCE_TEXT = {
    "restricted": "Restricted: for partnership members only",
    "public": "Public: counts of 1 to 4, and figures that would reveal them, are hidden",
}
DEFAULT_AREA = "Barnet"
# Sections that can be built from crime files alone, without the app's database.
FILE_SECTIONS = frozenset({"summary", "dashboard"})

Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    return None


def long_date(day: date) -> str:
    """ "5 November 2023": the day without a leading zero, as the board writes it."""
    return f"{day.day} {day:%B %Y}"


def default_area() -> str:
    """The partnership's borough: the setting when Django is configured, else Barnet."""
    import os

    from django.conf import settings

    if settings.configured:
        return settings.PARTNERSHIP_AREA
    return os.environ.get("SAFERHUB_PARTNERSHIP_AREA", DEFAULT_AREA)


@dataclass(frozen=True)
class CrimeFiles:
    """Crime data read from files instead of the app's stored data (the CLI, the tests)."""

    mps: tuple[Path, ...]
    population: Path
    series: tuple[Path, ...] = ()
    not_after: Month | None = None  # figures for later months are refused (see report crime)


@dataclass(frozen=True)
class PackRequest:
    """What a pack is for: the area, the meeting, the last month, the period and audience."""

    area: str
    meeting: date
    to: Month
    period: str = "recent"
    recent_months: int = 3
    audience: str = "restricted"
    sections: tuple[str, ...] = ()  # empty: every section

    def __post_init__(self) -> None:
        object.__setattr__(self, "area", require_borough(self.area, "The area").name)
        if self.period not in PERIODS:
            raise ConfigurationError(
                f"'{self.period}' is not a period.", f"Choose one of: {', '.join(PERIODS)}."
            )
        if self.period == "recent" and self.recent_months not in (3, 4):
            raise ConfigurationError(
                f"The recent period must be 3 or 4 months, not {self.recent_months}."
            )
        if self.audience not in AUDIENCES:
            raise ConfigurationError(
                f"'{self.audience}' is not a pack audience.",
                f"Choose one of: {', '.join(AUDIENCES)}.",
            )
        if self.to.last_day >= self.meeting:
            raise ConfigurationError(
                f"The figures to {self.to.label} are not complete before the meeting on "
                f"{long_date(self.meeting)}.",
                "Choose a last month that ends before the meeting.",
            )
        from saferhub.app.board_pack_sections import SECTIONS

        unknown = [name for name in self.sections if name not in SECTIONS]
        if unknown:
            raise ConfigurationError(
                f"Unknown section{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
                f"Choose from: {', '.join(SECTIONS)}.",
            )
        # Always in the board's order, whatever order they were asked in.
        chosen = self.sections or tuple(SECTIONS)
        object.__setattr__(self, "sections", tuple(s for s in SECTIONS if s in chosen))

    @property
    def needs_database(self) -> bool:
        return not set(self.sections) <= FILE_SECTIONS

    @property
    def months(self) -> int:
        """Months in the period the dashboard compares with a year earlier."""
        return {"quarter": 3, "half": 6}.get(self.period, self.recent_months)

    @property
    def window(self) -> Window:
        return Window.ending(self.to, self.months)

    @property
    def published_for(self) -> Audience:
        return AUDIENCES[self.audience]

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "meeting": self.meeting.isoformat(),
            "to": self.to.key,
            "period": self.period,
            "recent_months": self.recent_months,
            "audience": self.audience,
            "sections": list(self.sections),
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PackRequest:
        return cls(
            area=values["area"],
            meeting=date.fromisoformat(values["meeting"]),
            to=Month.parse(values["to"]),
            period=values.get("period", "recent"),
            recent_months=int(values.get("recent_months", 3)),
            audience=values.get("audience", "restricted"),
            sections=tuple(values.get("sections", ())),
        )


@dataclass
class PackData:
    """The published results a pack's sections read, each loaded once and only if asked
    for: the summary reuses the dashboard the dashboard section published."""

    request: PackRequest
    crime_files: CrimeFiles | None = None
    # Partner breakdowns read from files (a pyarrow Table); None reads the stored ones.
    breakdowns: Any = None
    _loaded: dict[str, Any] = field(default_factory=dict)

    def once(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._loaded:
            self._loaded[name] = load()
        return self._loaded[name]


def build_pack(
    request: PackRequest,
    *,
    crime_files: CrimeFiles | None = None,
    breakdowns: Any = None,
    progress: Progress = _no_progress,
) -> Report:
    """The pack as one Report, telling `progress` (percent, step) as each section is built."""
    from saferhub.app.board_pack_sections import SECTIONS, SUMMARY, headlines, summary_sections

    data = PackData(request, crime_files, breakdowns)
    built: dict[str, list[Section]] = {}
    # The summary quotes the other sections, so it is written last and placed first.
    others = [name for name in request.sections if name != SUMMARY]
    steps = len(others) + (1 if SUMMARY in request.sections else 0)
    done = 0
    for name in others:
        progress(round(90 * done / steps), f"Building {SECTIONS[name].title}")
        built[name] = SECTIONS[name].provide(request, data)
        done += 1
    if SUMMARY in request.sections:
        progress(round(90 * done / steps), f"Building {SECTIONS[SUMMARY].title}")
        built[SUMMARY] = summary_sections(request, data, headlines(built))
    progress(90, "Putting the pack together")
    sections = tuple(s for name in request.sections for s in built[name])
    return Report(
        title=f"{request.area} Safer Communities Partnership Board",
        subtitle=f"Board pack for the meeting on {long_date(request.meeting)}",
        sections=sections,
        notes=_notes(request),
        cover=Cover(
            meeting=f"Safer Communities Partnership Board, {long_date(request.meeting)}",
            period=f"Figures to {request.to.label}; recent period {request.window.label}",
            audience=AUDIENCE_TEXT[request.audience],
            prepared_by=f"{request.area} Community Safety Partnership",
        ),
    )


def _notes(request: PackRequest) -> tuple[str, ...]:
    notes = [
        "Each section is published from the same figures as its own report in SaferHub.",
        "Named case lists are never included in a board pack.",
    ]
    if request.audience == "public":
        notes.append(
            "Public version: counts of 1 to 4 are shown as <5, and figures that would let a "
            "reader work them out as [c]."
        )
    return tuple(notes)


PACK_FORMATS = ("pdf", "xlsx", "docx", "html", "json")


def pack_json(report: Report, request: PackRequest) -> dict[str, Any]:
    return {"board_pack": request.to_dict(), **report.to_dict()}


def render_pack(report: Report, request: PackRequest, fmt: str) -> bytes:
    """The built pack in one format."""
    if fmt == "json":
        text = json.dumps(pack_json(report, request), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    if fmt not in DOCUMENT_FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a board pack format.",
            f"Choose one of: {', '.join(available_formats())}.",
        )
    return render_document(report, fmt)


def preview_fragment(report: Report) -> str:
    """The built pack as the HTML the board pack page shows."""
    from saferhub.reports.writers import render_html_fragment

    return render_html_fragment(report, heading_level=2)


def available_formats() -> tuple[str, ...]:
    """The pack formats, in the order the page offers them."""
    return PACK_FORMATS


def write_board_pack(
    request: PackRequest,
    fmt: str,
    out: str | Path,
    *,
    crime_files: CrimeFiles | None = None,
    breakdowns: Any = None,
    mark: Callable[[Report], Report] = lambda report: report,
) -> Path:
    """The service behind `saferhub report board-pack`: build the pack, write one file."""
    if fmt not in available_formats():
        raise ConfigurationError(
            f"'{fmt}' is not a board pack format.",
            f"Choose one of: {', '.join(available_formats())}.",
        )
    report = mark(build_pack(request, crime_files=crime_files, breakdowns=breakdowns))
    return write_document(render_pack(report, request, fmt), out)


def parse_sections(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """ "summary,dashboard" as a tuple of names; empty or None: every section."""
    if text is None:
        return ()
    parts = text.split(",") if isinstance(text, str) else list(text)
    return tuple(p.strip().lower() for p in parts if p.strip())
