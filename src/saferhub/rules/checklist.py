"""A configurable risk checklist: questions answered yes / no / not known, scored by counting "yes".

The question set is data, not code. A partnership loads the checklist it is licensed to
use from a JSON or CSV file (docs/formats/risk-checklist.md). The set shipped with
SaferHub is an *example*: 24 questions about common domestic-abuse risk factors, worded
by the project, so no published checklist's wording is copied here. The threshold for
visible high risk defaults to 14 "yes" answers, the first MARAC referral criterion.

The score supports professional judgement and never replaces it: a result always shows
how many questions were answered "not known" or left unanswered.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from saferhub.errors import ConfigurationError

DEFAULT_THRESHOLD = 14
DEFAULT_RESOURCE = "risk_checklist_default.json"
EXAMPLE_VERSION = "example-1"  # the shipped example's version, so pages can say it is one

_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "no": "No", "not_known": "Not known"}[self.value]

    @classmethod
    def parse(cls, value: Answer | str) -> Answer:
        """Read "yes", "no", "not known" or "not_known" in any case."""
        if isinstance(value, Answer):
            return value
        text = re.sub(r"[\s-]+", "_", str(value).strip().casefold())
        try:
            return cls(text)
        except ValueError:
            raise ConfigurationError(
                f"'{value}' is not an answer; use yes, no or not known."
            ) from None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    label: str
    help: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistResult:
    """The outcome of scoring one set of answers."""

    yes: tuple[str, ...]
    no: tuple[str, ...]
    not_known: tuple[str, ...]
    unanswered: tuple[str, ...]
    threshold: int

    @property
    def score(self) -> int:
        """The number of "yes" answers."""
        return len(self.yes)

    @property
    def visible_high_risk(self) -> bool:
        return self.score >= self.threshold

    @property
    def explanation(self) -> str:
        parts = [f"{self.score} 'yes' answers against a threshold of {self.threshold}"]
        if self.not_known:
            parts.append(f"{len(self.not_known)} not known")
        if self.unanswered:
            parts.append(f"{len(self.unanswered)} unanswered")
        return "; ".join(parts)


@dataclass(frozen=True)
class Checklist:
    """A named, versioned question set with its visible-high-risk threshold."""

    name: str
    version: str
    questions: tuple[Question, ...]
    threshold: int = DEFAULT_THRESHOLD
    source: str = ""  # where the definition came from, for error messages and provenance

    def __post_init__(self) -> None:
        where = self.source or f"Checklist '{self.name}'"
        if not isinstance(self.name, str) or not self.name.strip():
            raise ConfigurationError(f"{where}: 'name' must not be empty.")
        if not isinstance(self.version, str) or not self.version.strip():
            raise ConfigurationError(f"{where}: 'version' must not be empty.")
        questions = tuple(self.questions)
        if not questions:
            raise ConfigurationError(f"{where}: 'questions' must list at least one question.")
        seen: set[str] = set()
        for index, question in enumerate(questions, start=1):
            here = f"{where}: question {index}"
            if not isinstance(question.id, str) or not _ID_RE.match(question.id):
                raise ConfigurationError(
                    f"{here} has id {question.id!r}; an id is a letter then up to 31 letters, "
                    "digits, '-' or '_'."
                )
            if question.id in seen:
                raise ConfigurationError(f"{here} repeats the id '{question.id}'.")
            seen.add(question.id)
            if not isinstance(question.label, str) or not question.label.strip():
                raise ConfigurationError(f"{here} ('{question.id}') needs a label.")
        if (
            not isinstance(self.threshold, int)
            or isinstance(self.threshold, bool)
            or not 1 <= self.threshold <= len(questions)
        ):
            raise ConfigurationError(
                f"{where}: 'threshold' is {self.threshold!r}; it must be a whole number "
                f"from 1 to the number of questions ({len(questions)})."
            )
        object.__setattr__(self, "questions", questions)

    @property
    def is_example(self) -> bool:
        """True for the example set shipped with SaferHub rather than a licensed one."""
        return self.version == EXAMPLE_VERSION

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def score(self, answers: Mapping[str, Answer | str | None]) -> ChecklistResult:
        """Count the answers. Unknown question ids are refused; missing ones are 'unanswered'."""
        ids = self.question_ids
        unknown = sorted(set(answers) - set(ids))
        if unknown:
            raise ConfigurationError(
                f"Answers given for {', '.join(repr(u) for u in unknown)}, which "
                f"{'is' if len(unknown) == 1 else 'are'} not in the checklist '{self.name}'."
            )
        buckets: dict[Answer | None, list[str]] = {a: [] for a in Answer}
        buckets[None] = []
        for question_id in ids:
            raw = answers.get(question_id)
            answer = None if raw is None or str(raw).strip() == "" else Answer.parse(raw)
            buckets[answer].append(question_id)
        return ChecklistResult(
            yes=tuple(buckets[Answer.YES]),
            no=tuple(buckets[Answer.NO]),
            not_known=tuple(buckets[Answer.NOT_KNOWN]),
            unanswered=tuple(buckets[None]),
            threshold=self.threshold,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "threshold": self.threshold,
            "questions": [
                {"id": q.id, "label": q.label, **({"help": q.help} if q.help else {})}
                for q in self.questions
            ],
        }


def checklist_from_dict(data: Any, source: str) -> Checklist:
    """Build a checklist from the JSON shape in docs/formats/risk-checklist.md."""
    if not isinstance(data, dict):
        raise ConfigurationError(f"{source}: the file must hold one JSON object.")
    unexpected = sorted(set(data) - {"name", "version", "threshold", "questions"})
    if unexpected:
        raise ConfigurationError(f"{source}: unexpected key(s) {', '.join(unexpected)}.")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list):
        raise ConfigurationError(f"{source}: 'questions' must be a list.")
    questions = []
    for index, item in enumerate(raw_questions, start=1):
        if not isinstance(item, dict) or set(item) - {"id", "label", "help"}:
            raise ConfigurationError(
                f"{source}: question {index} must be an object with 'id', 'label' and "
                "optionally 'help'."
            )
        questions.append(
            Question(str(item.get("id", "")), str(item.get("label", "")), str(item.get("help", "")))
        )
    return Checklist(
        name=str(data.get("name", "")),
        version=str(data.get("version", "")),
        questions=tuple(questions),
        threshold=data.get("threshold", DEFAULT_THRESHOLD),
        source=source,
    )


def parse_checklist_json(text: str, source: str) -> Checklist:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    return checklist_from_dict(data, source)


def parse_checklist_csv(
    text: str, source: str, *, name: str, version: str, threshold: int = DEFAULT_THRESHOLD
) -> Checklist:
    """Read a CSV with columns id,label and optionally help; name and threshold come separately."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in reader.fieldnames or []]
    missing = [column for column in ("id", "label") if column not in headers]
    if missing:
        raise ConfigurationError(
            f"{source}: missing column(s) {', '.join(missing)}; the header row must have id,label."
        )
    questions = []
    for row in reader:
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        questions.append(Question(clean["id"], clean["label"], clean.get("help", "")))
    return Checklist(name, version, tuple(questions), threshold, source)


def default_checklist() -> Checklist:
    """The example 24-question checklist shipped with SaferHub (threshold 14).

    Reads a file packaged with the code, never a user's file: the definition is part of
    the release, like a constant that happens to live in JSON so partnerships can copy it.
    """
    text = resources.files("saferhub.rules").joinpath(DEFAULT_RESOURCE).read_text("utf-8")
    return parse_checklist_json(text, f"saferhub/rules/{DEFAULT_RESOURCE}")
