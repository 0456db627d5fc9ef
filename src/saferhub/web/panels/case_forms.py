"""The forms of a panel case page: listing it for a meeting, its status, its IDVA, and
its actions."""

from __future__ import annotations

from datetime import date

from django import forms

from saferhub.rules.panels import listing_date_problem
from saferhub.web.accounts.models import Agency
from saferhub.web.date_input import DateInputField
from saferhub.web.panels.models import ActionStatus, RiskArea
from saferhub.web.versioning import VersionedForm, VersionField


class ListingForm(VersionedForm):
    meeting_date = DateInputField(
        label="Meeting date",
    )
    confirm_over_cap = forms.BooleanField(
        label="List the case anyway", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_meeting_date(self):
        day = self.cleaned_data["meeting_date"]
        problem = listing_date_problem(day, self.today)
        if problem:
            raise forms.ValidationError(problem.message)
        return day


class StatusForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    version = VersionField()
    reason = forms.CharField(label="Reason", max_length=300, required=False)


class IdvaForm(VersionedForm):
    idva_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="IDVA service")
    idva_name = forms.CharField(label="IDVA's name", max_length=150, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idva_agency"].queryset = agencies


class ActionForm(forms.Form):
    owner_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Owner agency")
    risk_addressed = forms.ChoiceField(
        label="Risk it addresses", choices=[("", "Select"), *RiskArea.choices]
    )
    description = forms.CharField(label="Action", max_length=500, widget=forms.Textarea)
    due_date = DateInputField(
        label="Due date",
    )

    def __init__(self, *args, agencies, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["owner_agency"].queryset = agencies

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < self.today:
            raise forms.ValidationError("The due date cannot be in the past.")
        return due


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    outcome = forms.CharField(
        label="Outcome",
        help_text="Needed when the action is done (what was done) or cancelled (why).",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
    completed_date = DateInputField(
        label="Date completed", required=False, help_text="Needed when the action is done."
    )

    def __init__(self, *args, today: date, agreed: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.agreed = today, agreed
        self.fields["outcome"].needed_when = "status"
        self.fields["completed_date"].needed_when = "status"

    def clean(self):
        cleaned = super().clean()
        status, completed = cleaned.get("status"), cleaned.get("completed_date")
        if status == ActionStatus.DONE:
            if not (cleaned.get("outcome") or "").strip():
                self.add_error("outcome", "Say what was done: the outcome.")
            if completed is None:
                self.add_error("completed_date", "Give the date the action was completed.")
            elif completed > self.today:
                self.add_error("completed_date", "The completion date cannot be in the future.")
            elif self.agreed and completed < self.agreed:
                self.add_error(
                    "completed_date", "The action cannot be completed before it was agreed."
                )
        elif status == ActionStatus.CANCELLED and not (cleaned.get("outcome") or "").strip():
            self.add_error("outcome", "Say why the action was cancelled.")
        return cleaned
