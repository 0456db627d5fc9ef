"""Forms for the panels other than the DA MARAC, built from each panel's settings, and the
serious violence incident form that feeds the SIRM rule."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils import timezone

from saferhub.rules.panels import REFERRAL_FIELDS, PanelConfig, RecordError
from saferhub.rules.sirm import CRITERIA, MAX_AGE, IncidentFacts, Route
from saferhub.web.accounts.models import Agency
from saferhub.web.date_input import DateInputField
from saferhub.web.panels.forms import NEW_PERSON, _person_fields
from saferhub.web.versioning import VersionedForm

YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class PersonChoice:
    """The person block and its duplicate check, shared by the referral and incident forms."""

    person_prefix = "victim"

    def _setup_person(self, who: str, find_candidates) -> None:
        self.find_candidates = find_candidates
        fields = _person_fields(self.person_prefix, who, victim=True)
        for field in fields.values():
            field.label = str(field.label).replace("Victim", who)
        self.fields.update(fields)
        self._blocks = {self.person_prefix: [n for n in fields if not n.endswith("_match")]}
        self.candidates: dict[str, list] = {}

    def block(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self._blocks[prefix]]

    def _check_person(self, who: str) -> None:
        first = (self.cleaned_data.get(f"{self.person_prefix}_first_name") or "").strip()
        last = (self.cleaned_data.get(f"{self.person_prefix}_last_name") or "").strip()
        dob = self.cleaned_data.get(f"{self.person_prefix}_date_of_birth")
        if not first:
            self.add_error(f"{self.person_prefix}_first_name", f"Enter the {who}'s first name.")
        if not last:
            self.add_error(f"{self.person_prefix}_last_name", f"Enter the {who}'s last name.")
        if dob and dob > self.today:
            self.add_error(
                f"{self.person_prefix}_date_of_birth", "Date of birth must be in the past."
            )
        if not first or not last:
            return
        candidates = self.find_candidates(first, last, dob)
        self.candidates[self.person_prefix] = candidates
        choice = (self.cleaned_data.get(f"{self.person_prefix}_match") or "").strip()
        allowed = {str(c.person_id) for c in candidates}
        if choice and choice != NEW_PERSON and choice not in allowed:
            self.add_error(
                f"{self.person_prefix}_match", "Choose one of the records offered, or a new record."
            )
        elif candidates and not choice:
            self.add_error(
                f"{self.person_prefix}_match",
                f"We found records that may be this {who}. Choose the right one, or "
                "'None of these: create a new record'.",
            )


class PanelReferralForm(PersonChoice, forms.Form):
    """A referral to a panel whose criteria are a list to tick (not the DA MARAC's checklist)."""

    referral_date = DateInputField(label="Date of referral")
    referring_agency = forms.ModelChoiceField(
        label="Referring agency", queryset=Agency.objects.none(), required=False
    )
    criteria = forms.MultipleChoiceField(
        label="Which referral criteria are met?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    professional_judgement_reason = forms.CharField(
        label="Reasons for the referral (required for professional judgement)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    safe_to_contact = forms.ChoiceField(
        label="Is it safe to contact the person?", choices=YES_NO_UNKNOWN, required=False
    )
    contact_method = forms.CharField(
        label="How to contact them safely", max_length=300, required=False
    )
    asb_case_reference = forms.CharField(
        label="ASB case reference (if any)",
        help_text=(
            "The reference of the anti-social behaviour case this referral is about, as on "
            "the ASB case page, for example ASB000123. You can link only a case you can see."
        ),
        max_length=40,
        required=False,
    )

    def __init__(
        self,
        *args,
        config: PanelConfig,
        today: date,
        agencies,
        find_candidates,
        find_asb_case=None,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.config, self.today = config, today
        # reference -> the ASB case the referrer may see, or RecordError (web/panels/asb_links)
        self.find_asb_case = find_asb_case
        self.fields["referring_agency"].queryset = agencies
        self.fields["criteria"].choices = [(c.code, c.label) for c in config.referral_criteria]
        if config.code != "asb_marac":
            del self.fields["asb_case_reference"]
        self._setup_person("Person referred", find_candidates)
        for name, field_name in (
            ("referring_agency", "referring_agency"),
            ("safe_contact", "safe_to_contact"),
            ("referral_criteria", "criteria"),
        ):
            if name in config.mandatory_fields:
                self.fields[field_name].required = True
                self.fields[field_name].error_messages["required"] = (
                    f"Enter {REFERRAL_FIELDS[name]}."
                )

    def clean_referral_date(self):
        value = self.cleaned_data["referral_date"]
        if value > self.today:
            raise forms.ValidationError("The date of referral cannot be in the future.")
        return value

    def clean_asb_case_reference(self):
        reference = self.cleaned_data.get("asb_case_reference", "").strip()
        self.cleaned_data["asb_case"] = None
        if reference and self.find_asb_case is not None:
            try:
                self.cleaned_data["asb_case"] = self.find_asb_case(reference)
            except RecordError as exc:
                raise forms.ValidationError([p.message for p in exc.problems]) from None
        return reference

    def clean(self):
        cleaned = super().clean()
        self._check_person("person")
        if (
            "professional_judgement" in (cleaned.get("criteria") or [])
            and not (cleaned.get("professional_judgement_reason") or "").strip()
        ):
            self.add_error(
                "professional_judgement_reason", "Give the reasons for your professional judgement."
            )
        if (
            cleaned.get("safe_to_contact") == "yes"
            and not (cleaned.get("contact_method") or "").strip()
        ):
            self.add_error("contact_method", "Say how to contact the person safely.")
        return cleaned


class IncidentForm(PersonChoice, forms.Form):
    """A serious violence incident: when, who it is about, the ages and the criteria facts."""

    occurred_at = forms.DateTimeField(
        label="When did the incident happen?",
        help_text="Date and time, for example 2026-11-25 22:30.",
        widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M"),
    )
    reporting_agency = forms.ModelChoiceField(
        label="Agency reporting the incident", queryset=Agency.objects.none()
    )
    victim_age = forms.IntegerField(
        label="Victim's age", min_value=0, max_value=MAX_AGE, required=False
    )
    suspect_age = forms.IntegerField(
        label="Suspect's age", min_value=0, max_value=MAX_AGE, required=False
    )
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, now: datetime, agencies, find_candidates, **kw):
        super().__init__(*args, **kw)
        self.now, self.today = now, timezone.localdate(now)
        self.fields["reporting_agency"].queryset = agencies
        for code, label in CRITERIA.items():
            self.fields[code] = forms.BooleanField(
                label=f"Victim or suspect: {label.lower()}", required=False
            )
        self.fields["children_in_household"] = forms.BooleanField(
            label="Children live in the household", required=False
        )
        self._setup_person("Young person", find_candidates)

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > self.now:
            raise forms.ValidationError("The incident cannot be in the future.")
        return value

    def clean(self):
        cleaned = super().clean()
        self._check_person("young person")
        no_age = cleaned.get("victim_age") is None and cleaned.get("suspect_age") is None
        if no_age and "victim_age" not in self.errors:
            self.add_error("victim_age", "Enter the victim's or the suspect's age, or both.")
        return cleaned

    def facts(self) -> IncidentFacts:
        data = self.cleaned_data
        return IncidentFacts(
            victim_age=data.get("victim_age"),
            suspect_age=data.get("suspect_age"),
            children_in_household=bool(data.get("children_in_household")),
            **{code: bool(data.get(code)) for code in CRITERIA},
        )


class OverrideForm(VersionedForm):
    route = forms.ChoiceField(label="Send the case to", choices=[(r.value, r.label) for r in Route])
    override_reason = forms.CharField(
        label="Reason for changing the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for changing the decision."},
    )


class HeldForm(VersionedForm):
    held_at = forms.DateTimeField(
        label="When did the SIRM meet?",
        widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M"),
    )
