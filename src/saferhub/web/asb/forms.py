"""ASB forms: they validate input and name the field at fault; services do the writing."""

from __future__ import annotations

from django import forms

from saferhub.rules.asb import ThresholdConfig
from saferhub.web.asb.models import Category, ToolKind
from saferhub.web.date_input import DateInputField
from saferhub.web.versioning import VersionedForm


def _category() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Category",
        choices=[("", "Select"), *Category.choices],
        error_messages={"required": "Choose the category: personal, nuisance or environmental."},
    )


class CaseForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the problem",
        max_length=300,
        error_messages={"required": "Enter a summary of the problem."},
    )
    category = _category()
    location = forms.CharField(label="Location", max_length=200, required=False)
    ward = forms.CharField(label="Ward", max_length=100, required=False)
    opened_on = DateInputField(
        label="Date opened",
        error_messages={"required": "Enter the date the case was opened, like 2026-11-26."},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Other agencies working the case",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies


class PersonForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = DateInputField(label="Date of birth", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("first_name") and data.get("last_name")):
            self.add_error("first_name", "Enter the person's first and last name.")
        return data


class ComplainantForm(PersonForm):
    household = forms.CharField(
        label="Or a household's address",
        max_length=300,
        required=False,
        help_text="For a household complaining together, leave the name blank.",
    )

    def clean(self):
        data = forms.Form.clean(self)
        named = data.get("first_name") and data.get("last_name")
        if not named and not data.get("household"):
            self.add_error(
                "first_name", "Enter the complainant's first and last name, or a household address."
            )
        return data


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        error_messages={"required": "Choose the agency that will work the case."},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class IncidentForm(forms.Form):
    occurred_on = DateInputField(
        label="Date of the incident",
        error_messages={"required": "Enter the date of the incident, like 2026-11-20."},
    )
    occurred_at = forms.TimeField(
        label="Time of the incident",
        required=False,
        help_text="24-hour clock, like 21:30.",
        error_messages={"invalid": "Enter the time like 21:30, or leave it blank."},
    )
    location = forms.CharField(
        label="Location", max_length=200, error_messages={"required": "Enter where it happened."}
    )
    ward = forms.CharField(label="Ward", max_length=100, required=False)
    category = _category()
    description = forms.CharField(label="What happened", widget=forms.Textarea, required=False)
    complainant = forms.ModelChoiceField(
        label="Who complained", queryset=None, required=False, empty_label="Nobody named"
    )
    reported_on = DateInputField(
        label="Date the complaint was made",
        error_messages={"required": "Enter the date the complaint was made."},
    )

    def __init__(self, *args, complainants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complainant"].queryset = complainants


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action", max_length=500, error_messages={"required": "Enter the action."}
    )
    owner_agency = forms.ModelChoiceField(
        label="Owner agency", queryset=None, error_messages={"required": "Choose the owner."}
    )
    due_date = DateInputField(label="Due date", error_messages={"required": "Enter the due date."})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies


class CloseForm(VersionedForm):
    reason = forms.CharField(
        label="Why the case is closing",
        max_length=300,
        error_messages={"required": "Enter why the case is closing."},
    )


class ReviewRequestForm(forms.Form):
    applicant = forms.ModelChoiceField(
        label="Who asked for the review",
        queryset=None,
        error_messages={"required": "Choose the complainant who asked for the review."},
    )
    requested_on = DateInputField(
        label="Date the review was asked for",
        error_messages={"required": "Enter the date the review was asked for."},
    )
    complaints = forms.ModelMultipleChoiceField(
        label="The complaints they cite",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to cite every complaint the applicant made on this case.",
    )

    def __init__(self, *args, complainants, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = complainants
        self.fields["complaints"].queryset = incidents
        self.fields["complaints"].label_from_instance = lambda i: (
            f"{i.occurred_on:%d %b %Y}, complained {i.reported_on:%d %b %Y}: "
            f"{i.location} ({i.complainant})"
        )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation", max_length=500, error_messages={"required": "Enter it."}
    )
    owner_agency = forms.ModelChoiceField(
        label="Owner agency", queryset=None, error_messages={"required": "Choose the owner."}
    )
    due_date = DateInputField(label="Due date", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies


class DecisionForm(VersionedForm):
    decision = forms.CharField(
        label="The panel's decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the panel's decision."},
    )
    completed_on = DateInputField(
        label="Date the review was completed",
        error_messages={"required": "Enter the date the review was completed."},
    )


class ToolUseForm(forms.Form):
    kind = forms.ChoiceField(
        label="Tool or power",
        choices=[("", "Select"), *ToolKind.choices],
        error_messages={"required": "Choose the tool or power used."},
    )
    agency = forms.ModelChoiceField(
        label="Agency that used it",
        queryset=None,
        error_messages={"required": "Choose the agency."},
    )
    person = forms.ModelChoiceField(
        label="Against whom", queryset=None, required=False, empty_label="Not a person on the case"
    )
    premises = forms.CharField(label="Or the premises or place", max_length=300, required=False)
    used_on = DateInputField(
        label="Date issued, served or granted",
        error_messages={"required": "Enter the date it was issued, served or granted."},
    )
    ends_on = DateInputField(label="Date it ends", required=False)
    outcome = forms.CharField(label="Outcome", max_length=300, required=False)

    def __init__(self, *args, agencies, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["person"].queryset = people


class SettingsForm(VersionedForm):
    complaints = forms.IntegerField(label="Complaints needed", min_value=1, max_value=50)
    window_months = forms.IntegerField(
        label="Months before the request the complaints fall in", min_value=1, max_value=36
    )
    report_within_months = forms.IntegerField(
        label="Months from an incident within which its complaint must be made",
        min_value=1,
        max_value=12,
    )
    community_individuals = forms.IntegerField(
        label="Individuals reporting the same issue (community limb)", min_value=1, max_value=500
    )
    community_window_months = forms.IntegerField(
        label="Months for the community limb", min_value=1, max_value=36
    )
    review_working_days = forms.IntegerField(
        label="Working days to complete a review", min_value=1, max_value=250
    )
    letter_template = forms.CharField(
        label="Letter to the applicant",
        widget=forms.Textarea,
        help_text="Words starting with $ are filled in: $applicant, $reference, $requested_on, "
        "$completed_on, $threshold, $decision, $recommendations.",
        error_messages={"required": "Enter the letter."},
    )

    def config(self) -> ThresholdConfig:
        data = self.cleaned_data
        return ThresholdConfig(**{k: data[k] for k in ThresholdConfig.__dataclass_fields__})
