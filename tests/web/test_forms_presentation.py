"""Forms speak plainly: GOV.UK date inputs, and errors that name their field once, in order."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.date_input import DateInputField
from saferhub.web.form_errors import field_errors, summary
from tests.factories import UserFactory
from tests.factories_panels import MemberAgencyFactory


class BirthForm(forms.Form):
    born = DateInputField(label="Date of birth")
    maybe = DateInputField(label="Date of leaving", required=False)
    children = forms.IntegerField(label="Number of children", min_value=0)
    name = forms.CharField(label="First name")


def errors_for(data: dict) -> dict[str, list[str]]:
    form = BirthForm(data)
    form.is_valid()
    return {f.name: field_errors(f) for f in form if f.errors}


def test_day_month_and_year_boxes_make_one_date():
    form = BirthForm(
        {"born_day": "28", "born_month": "2", "born_year": "1992", "children": "0", "name": "Amara"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == date(1992, 2, 28)
    assert form.cleaned_data["maybe"] is None


def test_one_iso_date_under_the_field_name_still_works():
    form = BirthForm({"born": "1992-02-28", "children": "1", "name": "Amara"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == date(1992, 2, 28)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("28", "", "1992"), "Date of birth must include a month."),
        (("", "", "1992"), "Date of birth must include a day and month."),
        (("31", "2", "1992"), "Date of birth must be a real date"),
        (("28", "Feb", "1992"), "Date of birth must be a real date"),
        (("28", "2", "92"), "the year must have 4 numbers"),
        (("", "", ""), "Enter the date of birth."),
    ],
)
def test_a_wrong_or_partial_date_says_what_is_wrong(parts, message):
    day, month, year = parts
    errors = errors_for(
        {"born_day": day, "born_month": month, "born_year": year, "children": "0", "name": "A"}
    )
    assert any(message in e for e in errors["born"]), errors


def test_the_date_input_renders_three_labelled_boxes_and_keeps_what_was_typed():
    from django.template.loader import render_to_string

    form = BirthForm({"born_day": "31", "born_month": "2", "born_year": "1992"})
    form.is_valid()
    html = render_to_string("core/field.html", {"field": form["born"]})
    for part in ("day", "month", "year"):
        assert f'name="born_{part}"' in html and f'id="id_born_{part}"' in html
    assert 'value="31"' in html and 'class="govuk-date-input"' in html
    assert "govuk-input--error" in html


def test_django_messages_are_replaced_by_ones_that_name_the_field():
    errors = errors_for({"born": "1992-02-28", "children": "-1", "name": ""})
    assert errors["children"] == ["Number of children must be 0 or more."]
    assert errors["name"] == ["Enter the first name."]
    assert not any(
        "This field" in e or "Ensure this value" in e for msgs in errors.values() for e in msgs
    )


def test_the_summary_lists_each_error_once_in_the_forms_order():
    form = BirthForm({"children": "x", "name": ""})
    form.is_valid()
    form.add_error("name", "Enter the first name.")  # the same message a second time
    items = summary(form)
    assert [i.text for i in items] == [
        "Enter the date of birth.",
        "Number of children must be a whole number, like 3.",
        "Enter the first name.",
    ]
    assert items[0].href == "#id_born_day"


@pytest.mark.django_db
def test_the_referral_form_summary_follows_the_page_and_names_every_field(client):
    police = MemberAgencyFactory(name="Police (forms)", kind=AgencyKind.POLICE)
    client.force_login(
        UserFactory(username="forms.referrer", agency=police, role=Role.PRACTITIONER)
    )
    response = client.post(
        "/marac/refer/",
        {
            "referral_date": timezone.localdate().isoformat(),
            "victim_first_name": "Amara",
            "victim_date_of_birth_day": "31",
            "victim_date_of_birth_month": "2",
            "victim_date_of_birth_year": "1991",
            "safe_to_contact": "yes",
            "incidents_12m": "-2",
            "professional_judgement": "on",
        },
    )
    items = summary(response.context["form"])
    texts = [i.text for i in items]
    assert len(texts) == len(set(texts))
    page_order = [i.href for i in items if i.href]
    fields = list(response.context["form"].fields)
    positions = [fields.index(h.removeprefix("#id_").removesuffix("_day")) for h in page_order]
    assert positions == sorted(positions), page_order
    assert "Victim: date of birth must be a real date, for example 27 3 2024." in texts
    assert "Say how to contact the victim safely." in texts
    assert "Domestic abuse incidents in the last 12 months must be 0 or more." in texts
    assert not any(t.startswith(("This field", "Ensure this value")) for t in texts)
    page = response.content.decode()
    # The follow-up questions are revealed by their answer, and say when they are needed.
    assert 'data-aria-controls="conditional-id_contact_method"' in page
    assert "Needed when it is safe to contact the victim" in page
    assert "How to contact the victim safely (optional)" not in page
