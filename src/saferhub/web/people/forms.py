"""Forms for people and their flags, involvements and shares, with field-level errors."""

from __future__ import annotations

from datetime import date

from django import forms

from saferhub.rules.need_to_know import INVOLVEMENT_REASONS, share_problem
from saferhub.web.accounts.models import Agency
from saferhub.web.date_input import DateInputField
from saferhub.web.people.models import Flag, FlagKind, Person, Share
from saferhub.web.versioning import VersionField


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, PNC ID, CRN or date of birth",
        help_text="For example: Smith, KOWALSKI, Craig, 12/345678A, X123456 or 28/02/1992",
        max_length=100,
        required=False,
    )


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "ethnicity",
            "address",
            "postcode",
            "ward",
        ]
        field_classes = {"date_of_birth": DateInputField}

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > self.today:
            raise forms.ValidationError("Date of birth must be in the past.")
        if dob and (self.today.year - dob.year) > 120:
            raise forms.ValidationError("Date of birth must be within the last 120 years.")
        return dob

    def clean(self):
        cleaned = super().clean()
        first, last, dob = (cleaned.get(k) for k in ("first_name", "last_name", "date_of_birth"))
        if first and last and dob and not self.instance.pk:
            same = Person.objects.filter(
                first_name__iexact=first.strip(), last_name__iexact=last.strip(), date_of_birth=dob
            )
            if same.exists() and not self.data.get("confirm_new"):
                raise forms.ValidationError(
                    "A person with this name and date of birth already exists. Search for them and "
                    "ask for your agency's involvement instead of creating a duplicate."
                )
        return cleaned


class FlagForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ["kind", "mappa_category", "mappa_level", "start", "end", "notes"]
        field_classes = {"start": DateInputField, "end": DateInputField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only of a MAPPA flag: the hint says so instead of "(optional)".
        self.fields["mappa_category"].needed_when = "kind"
        self.fields["mappa_category"].help_text = "Needed for a MAPPA flag; leave empty otherwise."
        self.fields["mappa_level"].help_text = "For a MAPPA flag only."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        if cleaned.get("kind") == FlagKind.MAPPA and not cleaned.get("mappa_category"):
            self.add_error("mappa_category", "Give the MAPPA category.")
        if cleaned.get("kind") != FlagKind.MAPPA and (
            cleaned.get("mappa_category") or cleaned.get("mappa_level")
        ):
            self.add_error("kind", "MAPPA category and level apply only to a MAPPA flag.")
        return cleaned


class PersonChangeForm(PersonForm):
    """The person form for an existing record, carrying the version it was loaded with."""

    version = VersionField()


class FlagChangeForm(FlagForm):
    version = VersionField()


class InvolvementForm(forms.Form):
    """Ask for your agency's involvement: a stated reason and dates; the service checks them."""

    reason = forms.ChoiceField(
        label="Why is your agency involved?",
        choices=[("", "Choose a reason"), *INVOLVEMENT_REASONS],
    )
    start = DateInputField(label="Start date", help_text="Today or earlier.")
    end = DateInputField(
        label="End date",
        help_text="Sight of the record stops after this date. Ask again if the work continues.",
    )


class ShareForm(forms.ModelForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label="Share with")

    class Meta:
        model = Share
        fields = ["agency", "reason", "start", "end"]
        field_classes = {"start": DateInputField, "end": DateInputField}
        widgets = {"reason": forms.Textarea}

    def clean(self):
        cleaned = super().clean()
        start, end, reason = cleaned.get("start"), cleaned.get("end"), cleaned.get("reason") or ""
        if start:
            problem = share_problem(start, end, reason)
            if problem:
                field = "reason" if "reason" in problem else "end"
                self.add_error(field, problem)
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter the note."},
    )
    visibility = forms.ChoiceField(
        label="Who may read it",
        choices=[
            ("agency", "My agency only"),
            ("partnership", "Every agency that may see this person"),
        ],
        initial="agency",
        help_text="Write for the partnership only what every agency involved may know.",
        error_messages={"required": "Choose who may read the note."},
    )
