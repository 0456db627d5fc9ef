"""Board-plan forms: they validate input and name the field at fault; services write."""

from __future__ import annotations

from django import forms

from saferhub.rules.board_plan import due_date_problem
from saferhub.web.boardplan.models import ActionStatus, ItemKind, ItemStatus, Rag
from saferhub.web.date_input import DateInputField
from saferhub.web.people.access import today
from saferhub.web.versioning import VersionedForm

PRIORITY_HINT = (
    "The strategy priority or objective the action serves, for example "
    "'Tackling and reducing anti-social behaviour'."
)


def _rag(label: str = "RAG status") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Rag.choices,
        widget=forms.RadioSelect,
        help_text="Red: off track, needs the board's help. Amber: at risk. Green: on track.",
        error_messages={"required": "Choose the RAG status: Red, Amber or Green."},
    )


def _plausible(form: forms.Form, name: str, what: str):
    """The date if it is within five years of today; an old record's date left unchanged
    is kept, however far off it now is."""
    day = form.cleaned_data[name]
    problem = due_date_problem(day, today(), what)
    if problem and day != form.initial.get(name):
        raise forms.ValidationError(problem)
    return day


def _agency(required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        required=required,
        empty_label="Select",
        error_messages={"required": "Choose the agency that owns the action."},
    )


class ActionForm(forms.Form):
    """A new action; its first RAG starts the history."""

    title = forms.CharField(
        label="Action", max_length=200, error_messages={"required": "Enter the action."}
    )
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    priority = forms.CharField(
        label="Priority or objective", max_length=200, required=False, help_text=PRIORITY_HINT
    )
    owner = forms.CharField(
        label="Owner",
        max_length=120,
        help_text="The officer responsible, by name and role.",
        error_messages={"required": "Enter the owner of the action."},
    )
    agency = _agency()
    due_date = DateInputField(
        label="Due date",
        error_messages={"required": "Enter the due date, for example 31 3 2027."},
    )
    rag = _rag()

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_due_date(self):
        return _plausible(self, "due_date", "due date")


class ActionEditForm(VersionedForm, ActionForm):
    """Change an action. Its RAG changes only with a dated update, so it is not here."""

    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status: open, done or dropped."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rag"]


class UpdateForm(VersionedForm):
    on = DateInputField(
        label="Date of the update",
        error_messages={"required": "Enter the date of the update."},
    )
    rag = _rag("RAG status now")
    text = forms.CharField(
        label="Update",
        widget=forms.Textarea,
        max_length=2000,
        help_text="What has been done since the last update, and what happens next.",
        error_messages={"required": "Enter the update."},
    )


class ItemForm(forms.Form):
    meeting_date = DateInputField(
        label="Meeting date",
        help_text="The board meeting the item comes to.",
        error_messages={"required": "Enter the meeting date, for example 27 2 2027."},
    )
    title = forms.CharField(
        label="Item", max_length=200, error_messages={"required": "Enter the item."}
    )
    kind = forms.ChoiceField(
        label="Kind of item",
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of item."},
    )
    lead = forms.CharField(label="Lead officer", max_length=120, required=False)
    agency = _agency(required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = "None"

    def clean_meeting_date(self):
        return _plausible(self, "meeting_date", "meeting date")


class ItemEditForm(VersionedForm, ItemForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ItemStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status: planned, presented or deferred."},
    )
