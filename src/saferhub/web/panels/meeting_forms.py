"""The forms of panel meetings: a new meeting, an agency's research, and the minutes."""

from __future__ import annotations

from datetime import date

from django import forms

from saferhub.web.date_input import DateInputField
from saferhub.web.versioning import VersionedForm


class ResearchForm(VersionedForm):
    text = forms.CharField(
        label="Your agency's research",
        help_text="What your agency knows about the victim, the perpetrator and the children.",
        widget=forms.Textarea,
        max_length=5000,
    )


class MinutesForm(VersionedForm):
    chair = forms.CharField(label="Chair", max_length=150, required=False)
    minutes = forms.CharField(
        label="Minutes", widget=forms.Textarea, max_length=20000, required=False
    )


class MeetingForm(forms.Form):
    date = DateInputField(
        label="Meeting date",
    )
    chair = forms.CharField(label="Chair", max_length=150, required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < self.today:
            raise forms.ValidationError("A new meeting must be today or later.")
        return day
