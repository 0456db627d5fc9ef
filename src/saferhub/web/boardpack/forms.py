"""Choosing a board pack: meeting, last month, period, audience and sections."""

from __future__ import annotations

from django import forms

from saferhub.app.board_pack import PackRequest
from saferhub.app.board_pack_sections import SECTION_LABELS
from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Month
from saferhub.web.date_input import DateInputField

PERIOD_CHOICES = [
    ("recent3", "The last 3 months"),
    ("recent4", "The last 4 months"),
    ("quarter", "The quarter"),
    ("half", "The half year (6 months)"),
]
AUDIENCE_CHOICES = [
    ("restricted", "Restricted: partnership members (every count)"),
    ("public", "Public: small counts hidden"),
]


class PackForm(forms.Form):
    meeting = DateInputField(label="Meeting date")
    to = forms.ChoiceField(label="Figures up to and including", help_text="The last month.")
    period = forms.ChoiceField(
        label="Period to compare with a year earlier", choices=PERIOD_CHOICES, initial="recent3"
    )
    audience = forms.ChoiceField(
        label="Audience", choices=AUDIENCE_CHOICES, initial="restricted", widget=forms.RadioSelect
    )
    sections = forms.MultipleChoiceField(
        label="Sections",
        choices=list(SECTION_LABELS.items()),
        initial=list(SECTION_LABELS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one section."},
    )

    def __init__(self, *args, months: list[Month], area: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["to"].choices = [(m.key, m.label) for m in months]

    def clean_to(self) -> Month:
        return Month.parse(self.cleaned_data["to"])

    def pack_request(self) -> PackRequest | None:
        """The request, or None with the reason added to the form's errors."""
        data = self.cleaned_data
        period = data["period"]
        try:
            return PackRequest(
                area=self.area,
                meeting=data["meeting"],
                to=data["to"],
                period="recent" if period.startswith("recent") else period,
                recent_months=4 if period == "recent4" else 3,
                audience=data["audience"],
                sections=tuple(data["sections"]),
            )
        except ConfigurationError as exc:
            self.add_error("to" if "month" in exc.hint.lower() else None, exc.message)
            return None
