"""The errors a user can cause, each with its own CLI exit code.

Readers and rules raise these with a message that names the file, row and field
and says what to do. The CLI turns them into a one-line message and the exit
code below; the web app turns them into a form or page error. Neither shows a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SaferHubError(Exception):
    """Base class for errors caused by input or environment, never by a bug."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


def quoted(text: str, limit: int = 60) -> str:
    """A value from a file as a message shows it: short, on one line, control characters
    escaped, so a huge or crafted value can neither bury the message nor fake a line."""
    if len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file."""

    file: str
    row: int | None  # 1-based line number as a spreadsheet shows it; None for the file as a whole
    field: str | None
    message: str

    def __str__(self) -> str:
        where = quoted(self.file, 200)
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", column '{quoted(self.field)}'"
        # Each problem is one line however a reader quoted the file's values.
        return f"{where}: {quoted(self.message, 1000)}"


class InputError(SaferHubError):
    """An input file is malformed. Nothing was imported.

    Carries every problem found (up to a limit), so a user can fix a file in one pass.
    """

    exit_code = 3

    def __init__(self, problems: list[Problem] | Problem, hint: str | None = None) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        shown = self.problems[:20]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"... and {len(self.problems) - len(shown)} more problems")
        super().__init__(
            "\n".join(lines), hint or "Fix the file and import it again; nothing was imported."
        )


class ConfigurationError(SaferHubError):
    """A setting, catalogue or checklist definition is invalid."""

    exit_code = 4


class EnvironmentProblem(SaferHubError):
    """The machine is not as needed: a port in use, an unreadable database, a missing tool."""

    exit_code = 5


@dataclass
class ProblemCollector:
    """Gathers problems while a reader validates, then raises them all at once."""

    file: str
    limit: int = 200
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int | None, field_name: str | None, message: str) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(Problem(self.file, row, field_name, message))

    def raise_if_any(self, hint: str | None = None) -> None:
        if self.problems:
            raise InputError(self.problems, hint)
