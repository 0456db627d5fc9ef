"""The panel referral form, and the helpers panel-specific referral forms share. Each form
turns the pure rules' problems into errors beside the right field.

The forms of a case page are in `case_forms`, of meetings in `meeting_forms`, and the
statistics page's in `statistics_form`.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms

from saferhub.rules.checklist import Answer, Checklist
from saferhub.rules.demographics import ETHNICITIES, GENDERS
from saferhub.rules.marac import PersonDetails, RepeatRule, assess_criteria, same_person
from saferhub.rules.panels import (
    DA_MARAC,
    REFERRAL_FIELDS,
    FieldProblem,
    PanelConfig,
    RecordError,
    missing_fields,
)
from saferhub.web.accounts.models import Agency
from saferhub.web.date_input import DateInputField
from saferhub.web.panels.checklists import active_checklist
from saferhub.web.panels.models import Relationship

YES_NO_UNKNOWN = [("", "Select"), ("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
YES_NO = [("", "Select"), ("yes", "Yes"), ("no", "No")]
PERSON_BLOCKS = ("victim", "p1", "p2")
NEW_PERSON = "new"

# Where a problem from the rules is shown on the referral form.
PROBLEM_FIELDS = {
    "victim": "victim_first_name",
    "perpetrators": "p1_first_name",
    "relationship_to_victim": "p1_relationship",
    "children_in_household": "children_ages",
    "safe_contact": "safe_to_contact",
    "referring_agency": "referring_agency",
    "risk_checklist": "q01",
    "referral_criteria": None,
}


# The form fields that answer each mandatory referral field, so the form marks them
# required (no "(optional)" beside the label) when the panel's configuration says so.
ANSWERED_BY = {
    "victim": ("victim_first_name", "victim_last_name"),
    "perpetrators": ("p1_first_name", "p1_last_name"),
    "relationship_to_victim": ("p1_relationship",),
    "children_in_household": ("children_ages",),
    "safe_contact": ("safe_to_contact",),
    "referring_agency": ("referring_agency",),
}


def checklist() -> Checklist:
    return active_checklist()


def tri_state(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def parse_ages(text: str) -> list[int]:
    """'3, 7' → [3, 7]; 'none' or '0 children' style answers → []."""
    cleaned = text.strip().lower()
    if cleaned in {"none", "no", "no children", "n/a"}:
        return []
    parts = [p for p in re.split(r"[,;\s]+", cleaned) if p]
    if not parts or not all(p.isdigit() and int(p) <= 17 for p in parts):
        raise forms.ValidationError(
            "Give each child's age as a whole number from 0 to 17, separated by commas, "
            "or write 'none'."
        )
    return sorted(int(p) for p in parts)


def _person_fields(prefix: str, who: str, *, victim: bool) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {
        f"{prefix}_first_name": forms.CharField(
            label=f"{who}: first name", max_length=100, required=False
        ),
        f"{prefix}_last_name": forms.CharField(
            label=f"{who}: last name", max_length=100, required=False
        ),
        f"{prefix}_date_of_birth": DateInputField(
            label=f"{who}: date of birth",
            required=False,
        ),
        f"{prefix}_gender": forms.ChoiceField(
            label=f"{who}: gender", choices=GENDERS, required=False, initial="U"
        ),
        f"{prefix}_match": forms.CharField(required=False, widget=forms.HiddenInput),
    }
    if victim:
        fields[f"{prefix}_ethnicity"] = forms.ChoiceField(
            label="Victim: ethnicity",
            choices=[(c, label) for c, label, _ in ETHNICITIES],
            required=False,
            initial="NS",
        )
        fields[f"{prefix}_address"] = forms.CharField(
            label="Victim: address", max_length=300, required=False
        )
        fields[f"{prefix}_postcode"] = forms.CharField(
            label="Victim: postcode", max_length=10, required=False
        )
    else:
        fields[f"{prefix}_relationship"] = forms.ChoiceField(
            label=f"{who}: relationship to the victim",
            choices=[("", "Select"), *Relationship.choices],
            required=False,
        )
    return fields


class ReferralForm(forms.Form):
    """A referral to the DA MARAC, validated against the panel's configuration and rules.

    The duplicate and repeat checks need the database, so the view passes two functions:
    `find_candidates(first name, last name, date of birth)` → likely duplicates, and
    `previous_referrals(person pk)` → that victim's earlier referrals.
    """

    referral_date = DateInputField(
        label="Date of referral",
    )
    referring_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="Referring agency", required=False
    )
    victim_lgbt = forms.ChoiceField(
        label="Does the victim identify as LGBT+?", choices=YES_NO_UNKNOWN, required=False
    )
    victim_disabled = forms.ChoiceField(
        label="Does the victim have a disability?", choices=YES_NO_UNKNOWN, required=False
    )
    safe_to_contact = forms.ChoiceField(
        label="Is it safe to contact the victim?",
        choices=YES_NO[1:],
        required=False,
        widget=forms.RadioSelect,
    )
    contact_method = forms.CharField(
        label="How to contact the victim safely",
        help_text="Needed when it is safe to contact the victim. For example: mobile, "
        "weekdays 10am to 2pm only; never leave a message.",
        max_length=300,
        required=False,
    )
    children_ages = forms.CharField(
        label="Children in the household",
        help_text="Each child's age, separated by commas (for example: 3, 7), or 'none'.",
        max_length=100,
        required=False,
    )
    incidents_12m = forms.IntegerField(
        label="Domestic abuse incidents in the last 12 months",
        min_value=0,
        max_value=365,
        required=False,
    )
    professional_judgement = forms.BooleanField(
        label="I am referring on professional judgement", required=False
    )
    professional_judgement_reason = forms.CharField(
        label="Reasons for professional judgement",
        help_text="Needed when you refer on professional judgement.",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )

    def __init__(
        self,
        *args,
        today: date,
        agencies,
        find_candidates,
        previous_referrals,
        config: PanelConfig = DA_MARAC,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today, self.config, self.find_candidates = today, config, find_candidates
        self.previous_referrals = previous_referrals
        self.repeat = self.assessment = self.checklist_result = None
        self.fields["referring_agency"].queryset = agencies
        self.candidates: dict[str, list] = {}
        self._blocks: dict[str, list[str]] = {}
        for prefix, who in (("victim", "Victim"), ("p1", "Perpetrator 1"), ("p2", "Perpetrator 2")):
            fields = _person_fields(prefix, who, victim=prefix == "victim")
            self.fields.update(fields)
            self._blocks[prefix] = [name for name in fields if not name.endswith("_match")]
        for question in checklist().questions:
            self.fields[question.id] = forms.ChoiceField(
                label=question.label, choices=YES_NO_UNKNOWN, required=False
            )
        # Asked only when another answer calls for them (a GOV.UK conditional reveal), so
        # they are labelled by their hint, not "(optional)".
        self.fields["contact_method"].needed_when = "safe_to_contact"
        self.fields["professional_judgement_reason"].needed_when = "professional_judgement"
        # The order of the page, so the error summary lists problems as the user meets them.
        self.order_fields(
            [
                "referral_date",
                "referring_agency",
                *[n for p in PERSON_BLOCKS for n in self.fields if n.startswith(f"{p}_")],
                "victim_lgbt",
                "victim_disabled",
                "children_ages",
                "safe_to_contact",
                "contact_method",
                *checklist().question_ids,
                "incidents_12m",
                "professional_judgement",
                "professional_judgement_reason",
            ]
        )
        for name in config.mandatory_fields:
            for field_name in ANSWERED_BY.get(name, ()):
                field = self.fields[field_name]
                field.required = True
                field.error_messages["required"] = f"Enter {REFERRAL_FIELDS[name]}."

    # --- groups the template lays out -------------------------------------------------------

    def block(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self._blocks[prefix]]

    def checklist_fields(self) -> list[forms.BoundField]:
        return [self[q.id] for q in checklist().questions]

    # --- validation ------------------------------------------------------------------------

    def clean_referral_date(self):
        day = self.cleaned_data["referral_date"]
        if day > self.today:
            raise forms.ValidationError("The referral date cannot be in the future.")
        return day

    def clean_children_ages(self):
        text = self.cleaned_data.get("children_ages", "")
        return None if not text.strip() else parse_ages(text)

    def _add(self, problem: FieldProblem) -> None:
        field = PROBLEM_FIELDS.get(problem.field, problem.field)
        self.add_error(field if field in self.fields else None, problem.message)

    def _person(self, prefix: str) -> dict | None:
        data = {k: self.cleaned_data.get(f"{prefix}_{k}") for k in ("first_name", "last_name")}
        if not any(v and v.strip() for v in data.values()):
            return None
        data["date_of_birth"] = self.cleaned_data.get(f"{prefix}_date_of_birth")
        data["match"] = (self.cleaned_data.get(f"{prefix}_match") or "").strip()
        return data

    def _check_person(self, prefix: str, who: str, person: dict) -> None:
        for part in ("first_name", "last_name"):
            if not (person[part] or "").strip():
                self.add_error(f"{prefix}_{part}", f"Enter the {who}'s {part.replace('_', ' ')}.")
        dob = person["date_of_birth"]
        if dob and dob > self.today:
            self.add_error(f"{prefix}_date_of_birth", "Date of birth must be in the past.")
        if self.errors.get(f"{prefix}_first_name") or self.errors.get(f"{prefix}_last_name"):
            return
        candidates = self.find_candidates(person["first_name"], person["last_name"], dob)
        self.candidates[prefix] = candidates
        choice = person["match"]
        allowed = {str(c.person_id) for c in candidates}
        if choice and choice != NEW_PERSON and choice not in allowed:
            self.add_error(f"{prefix}_match", "Choose one of the records offered, or a new record.")
        elif candidates and not choice:
            self.add_error(
                f"{prefix}_match",
                f"We found records that may be this {who}. Choose the right one, or "
                "'None of these: create a new record'.",
            )

    def clean(self):
        cleaned = super().clean()
        victim = self._person("victim")
        perpetrators = [(p, self._person(p)) for p in ("p1", "p2")]
        perpetrators = [(p, data) for p, data in perpetrators if data]
        if victim:
            self._check_person("victim", "victim", victim)
        for prefix, data in perpetrators:
            self._check_person(prefix, "perpetrator", data)
            if not cleaned.get(f"{prefix}_relationship"):
                self.add_error(
                    f"{prefix}_relationship", "Give this perpetrator's relationship to the victim."
                )
        if len(perpetrators) == 2 and self._same(perpetrators[0][1], perpetrators[1][1]):
            self.add_error("p2_first_name", "Perpetrator 2 is the same person as perpetrator 1.")
        if victim:
            for prefix, data in perpetrators:
                if self._same(victim, data):
                    self.add_error(
                        f"{prefix}_first_name",
                        "This perpetrator is the victim; a person cannot be both on one referral.",
                    )
        values = {
            "victim": victim,
            "perpetrators": [d for _, d in perpetrators],
            "relationship_to_victim": [cleaned.get(f"{p}_relationship") for p, _ in perpetrators]
            or None,
            "children_in_household": cleaned.get("children_ages"),
            "safe_contact": cleaned.get("safe_to_contact"),
            "referring_agency": cleaned.get("referring_agency"),
            "risk_checklist": {
                q.id: cleaned.get(q.id) for q in checklist().questions if cleaned.get(q.id)
            }
            or None,
            # The criteria are judged from the answers (see _assess), never typed in.
            "referral_criteria": ["judged"],
        }
        for problem in missing_fields(self.config, values):
            answered_by = ANSWERED_BY.get(problem.field, ())
            if any(name in self.errors for name in answered_by):
                continue  # the field's own required check has said so already
            self._add(problem)
        if (
            cleaned.get("safe_to_contact") == "yes"
            and not (cleaned.get("contact_method") or "").strip()
        ):
            self.add_error("contact_method", "Say how to contact the victim safely.")
        if (
            cleaned.get("professional_judgement")
            and not (cleaned.get("professional_judgement_reason") or "").strip()
        ):
            self.add_error(
                "professional_judgement_reason",
                "Give the reasons for referring on professional judgement.",
            )
        if not self.errors and victim:
            self._assess(cleaned, victim, perpetrators)
        return cleaned

    def _assess(self, cleaned, victim: dict, perpetrators: list) -> None:
        existing = victim["match"] if victim["match"] not in ("", NEW_PERSON) else None
        previous = self.previous_referrals(int(existing)) if existing else []
        # A perpetrator entered as a new record cannot match an earlier referral's.
        perpetrator_ids = [
            d["match"] if d["match"] not in ("", NEW_PERSON) else f"new-{p}"
            for p, d in perpetrators
        ]
        self.repeat = RepeatRule().check(cleaned["referral_date"], previous, perpetrator_ids)
        self.checklist_result = checklist().score(self.checklist_answers())
        try:
            self.assessment = assess_criteria(
                referral_date=cleaned["referral_date"],
                checklist=self.checklist_result,
                professional_judgement=bool(cleaned.get("professional_judgement")),
                professional_judgement_reason=cleaned.get("professional_judgement_reason") or "",
                incident_count=cleaned.get("incidents_12m") or 0,
                repeat=self.repeat,
            )
        except RecordError as exc:
            for problem in exc.problems:
                self._add(problem)
            return
        if not self.assessment.meets_any:
            self.add_error(
                None,
                "This referral meets none of the four referral criteria (a risk checklist score "
                f"of {checklist().threshold} or more, professional judgement with reasons, "
                "potential escalation, or a repeat). Give your professional judgement "
                "and its reasons if you believe the MARAC should hear it.",
            )

    @staticmethod
    def _same(victim: dict, other: dict) -> bool:
        if victim["match"] not in ("", NEW_PERSON) and victim["match"] == other["match"]:
            return True
        return same_person(
            PersonDetails(None, victim["first_name"], victim["last_name"], victim["date_of_birth"]),
            PersonDetails(None, other["first_name"], other["last_name"], other["date_of_birth"]),
        )

    def checklist_answers(self) -> dict[str, str]:
        return {
            q.id: Answer.parse(self.cleaned_data[q.id]).value
            for q in checklist().questions
            if self.cleaned_data.get(q.id)
        }
