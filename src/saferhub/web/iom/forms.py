"""IOM forms. Each checks the record against the rules and shows problems beside the field."""

from __future__ import annotations

from datetime import date

from django import forms

from saferhub.rules.iom_tiers import TIER_ORDER
from saferhub.web.date_input import DateInputField
from saferhub.web.iom.models import (
    CONTACT_OUTCOME_CHOICES,
    OUTCOME_CHOICES,
    PATHWAY_CHOICES,
    TIER_CHOICES,
    ContactMethod,
    Management,
    Membership,
)
from saferhub.web.versioning import VersionedForm


def _not_future(value: date, today: date, label: str) -> None:
    if value > today:
        raise forms.ValidationError(f"The {label} cannot be in the future.")


class JoinForm(forms.Form):
    """Add someone to the cohort (by the matrix or by professional judgement)."""

    pnc_id = forms.CharField(label="PNC ID", max_length=40, help_text="For example 19/123456A.")
    join_date = DateInputField(
        label="Join date",
    )
    by_judgement = forms.BooleanField(
        label="Added by professional judgement (not by the selection matrix)", required=False
    )
    join_reason = forms.CharField(
        label="Reason for adding",
        max_length=500,
        widget=forms.Textarea,
        help_text="Recorded with the decision. Required for every addition.",
    )
    management = forms.ChoiceField(label="Management", choices=Management.choices)
    tier = forms.ChoiceField(label="Starting tier", choices=TIER_CHOICES)
    lead_practitioner = forms.CharField(
        label="Lead probation practitioner", max_length=100, required=False
    )
    police_officer = forms.CharField(label="IOM police officer", max_length=100, required=False)

    def __init__(self, *args, today: date, find_person, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.find_person = find_person
        self.person = None

    def clean_join_date(self):
        value = self.cleaned_data["join_date"]
        _not_future(value, self.today, "join date")
        return value

    def clean_pnc_id(self):
        value = self.cleaned_data["pnc_id"].strip().upper()
        self.person = self.find_person(value)
        if self.person is None:
            raise forms.ValidationError(
                f"No person you may see has the PNC ID {value}. Check it, or add the person first."
            )
        return value

    def clean(self):
        data = super().clean()
        join = data.get("join_date")
        if self.person is not None and join is not None:
            clash = overlapping_spell(self.person, join, None)
            if clash is not None:
                self.add_error("join_date", _overlap_message(clash))
        return data


def overlapping_spell(person, join: date, leave: date | None, exclude: int | None = None):
    """Another spell of this person that the new one would overlap, if any."""
    for spell in Membership.objects.filter(person=person).exclude(pk=exclude):
        ends_before = leave is not None and leave < spell.join_date
        starts_after = spell.leave_date is not None and join > spell.leave_date
        if not (ends_before or starts_after):
            return spell
    return None


def _overlap_message(spell: Membership) -> str:
    ends = (
        f"left on {spell.leave_date:%d %B %Y}" if spell.leave_date else "is still on the programme"
    )
    return (
        f"This person joined on {spell.join_date:%d %B %Y} and {ends}; "
        "a new spell cannot overlap it."
    )


class LeaveForm(VersionedForm):
    """Take a member off the programme, recording the date and reason."""

    leave_date = DateInputField(label="Leave date (last day on the programme)")
    leave_reason = forms.CharField(label="Reason", max_length=500, widget=forms.Textarea)

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.today = today

    def clean_leave_date(self):
        value = self.cleaned_data["leave_date"]
        _not_future(value, self.today, "leave date")
        if value < self.membership.join_date:
            raise forms.ValidationError(
                f"The leave date is before the join date ({self.membership.join_date:%d %B %Y})."
            )
        return value


class TierForm(VersionedForm):
    tier = forms.ChoiceField(label="New tier", choices=TIER_CHOICES)
    from_date = DateInputField(
        label="From",
    )
    reason = forms.CharField(label="Reason for the change", max_length=500, widget=forms.Textarea)

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.today = today

    def clean_from_date(self):
        value = self.cleaned_data["from_date"]
        _not_future(value, self.today, "date")
        m = self.membership
        if value < m.join_date or (m.leave_date is not None and value > m.leave_date):
            raise forms.ValidationError(
                "The date must be within the member's time on the programme."
            )
        if m.tier_changes.filter(from_date=value).exists():
            raise forms.ValidationError(
                "There is already a tier change on this date; record one change a day."
            )
        return value

    def clean(self):
        data = super().clean()
        tier, day = data.get("tier"), data.get("from_date")
        if tier and day and self.membership.tier_on(day) == tier:
            self.add_error("tier", f"The member is already {tier} on that date.")
        return data


class ContactForm(forms.Form):
    contact_date = DateInputField(
        label="Date",
    )
    outcome = forms.ChoiceField(label="Outcome", choices=CONTACT_OUTCOME_CHOICES)
    method = forms.ChoiceField(label="How", choices=ContactMethod.choices)
    notes = forms.CharField(label="Notes", max_length=500, required=False, widget=forms.Textarea)

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.today = today

    def clean_contact_date(self):
        value = self.cleaned_data["contact_date"]
        _not_future(value, self.today, "contact date")
        if not self.membership.on_programme(value):
            raise forms.ValidationError("The member was not on the programme on that date.")
        return value


class ReferralForm(forms.Form):
    pathway = forms.ChoiceField(label="Pathway", choices=PATHWAY_CHOICES)
    provider = forms.CharField(label="Provider", max_length=200)
    referral_date = DateInputField(
        label="Referral date",
    )
    notes = forms.CharField(label="Notes", max_length=500, required=False, widget=forms.Textarea)

    def __init__(self, *args, membership: Membership, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.today = today

    def clean_referral_date(self):
        value = self.cleaned_data["referral_date"]
        _not_future(value, self.today, "referral date")
        if value < self.membership.join_date:
            raise forms.ValidationError("The referral date is before the member joined.")
        return value


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(label="Outcome", choices=OUTCOME_CHOICES)
    outcome_date = DateInputField(
        label="Date of the outcome",
    )
    notes = forms.CharField(label="Notes", max_length=500, required=False, widget=forms.Textarea)

    def __init__(self, *args, referral, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.today = today

    def clean_outcome_date(self):
        value = self.cleaned_data["outcome_date"]
        _not_future(value, self.today, "outcome date")
        if value < self.referral.referral_date:
            raise forms.ValidationError(
                f"The outcome date is before the referral ({self.referral.referral_date:%d %B %Y})."
            )
        return value


class ContactPlanForm(VersionedForm):
    """The partnership's contact plan: contacts a week, minimum and maximum, per tier."""

    offence_free_months = forms.IntegerField(
        label="De-selection review after this many offence-free months", min_value=1, max_value=120
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        for tier in TIER_ORDER:
            standard = plan.standards[tier]
            for part, value in (("minimum", standard.minimum), ("maximum", standard.maximum)):
                self.fields[f"{tier.value.lower()}_{part}"] = forms.FloatField(
                    label=f"{tier.value}: {part} contacts a week",
                    min_value=0,
                    max_value=21,
                    initial=value,
                )

    def clean(self):
        data = super().clean()
        for tier in TIER_ORDER:
            low = data.get(f"{tier.value.lower()}_minimum")
            high = data.get(f"{tier.value.lower()}_maximum")
            if low is not None and high is not None and high < low:
                self.add_error(f"{tier.value.lower()}_maximum", "The maximum is below the minimum.")
        return data

    def plan_settings(self) -> dict[str, list[float]]:
        return {
            tier.value: [
                self.cleaned_data[f"{tier.value.lower()}_minimum"],
                self.cleaned_data[f"{tier.value.lower()}_maximum"],
            ]
            for tier in TIER_ORDER
        }
