"""Choosing the borough and period of the dashboard."""

from __future__ import annotations

from django import forms

from saferhub.rules.periods import Month
from saferhub.sources.london import borough_names

RECENT_CHOICES = [("3", "3 months (a quarter)"), ("4", "4 months")]


class DashboardForm(forms.Form):
    area = forms.ChoiceField(label="Borough")
    to = forms.ChoiceField(
        label="Up to and including", help_text="The last month of the dashboard."
    )
    recent = forms.ChoiceField(label="Recent period", choices=RECENT_CHOICES)

    def __init__(self, *args, months: list[Month], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(name, name) for name in borough_names()]
        self.fields["to"].choices = [(m.key, m.label) for m in months]

    def clean_to(self) -> Month:
        return Month.parse(self.cleaned_data["to"])

    def clean_recent(self) -> int:
        return int(self.cleaned_data["recent"])
