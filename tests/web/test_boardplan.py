"""The board plan as real roles: add actions and updates, keep the forward plan; stale
forms are refused, bad input is named, every write is audited, and reading is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.web.audit.models import AuditEvent
from saferhub.web.boardplan import services
from saferhub.web.boardplan.models import ForwardPlanItem, PlanAction, PlanActionUpdate
from saferhub.web.versioning import StaleRecord
from tests.factories import AgencyFactory, UserFactory
from tests.factories_boardplan import ForwardPlanItemFactory, PlanActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return AgencyFactory(name="Council community safety")


@pytest.fixture
def analyst(council):
    return UserFactory(username="plan.analyst", role="analyst", agency=council)


@pytest.fixture
def viewer(council):
    return UserFactory(username="plan.viewer", role="viewer", agency=council)


def _today() -> date:
    return timezone.localdate()


def _date(name: str, day: date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _new_action(council, **overrides) -> PlanAction:
    values = {
        "title": "Publish the ASB reporting guide",
        "owner": "Community Safety Manager",
        "agency": council,
        "due_date": _today() + timedelta(days=60),
        "rag": "amber",
        "today": _today() - timedelta(days=30),
    }
    return services.create_action(**{**values, **overrides})


# --- Services ---------------------------------------------------------------------------


def test_a_new_action_starts_its_rag_history_with_a_first_update(council):
    action = _new_action(council)
    (first,) = action.updates.all()
    assert (first.rag, first.on) == ("amber", _today() - timedelta(days=30))


def test_an_update_sets_the_action_s_rag_and_history_is_in_date_order(council):
    action = _new_action(council)
    services.add_update(
        action=action,
        version=action.version,
        on=_today() - timedelta(days=10),
        text="Slipping",
        rag="red",
        today=_today(),
    )
    services.add_update(
        action=action,
        version=action.version,
        on=_today(),
        text="Back on",
        rag="green",
        today=_today(),
    )
    action.refresh_from_db()
    assert action.rag == "green"
    assert [u.rag for u in services.history(action)] == ["amber", "red", "green"]


def test_an_update_against_a_stale_page_is_refused_and_writes_nothing(council):
    action = _new_action(council)
    loaded_at = action.version
    services.add_update(
        action=action, version=loaded_at, on=_today(), text="First", rag="red", today=_today()
    )
    stale = PlanAction.objects.get(pk=action.pk)
    with pytest.raises(StaleRecord):
        services.add_update(
            action=stale,
            version=loaded_at,
            on=_today(),
            text="Second",
            rag="green",
            today=_today(),
        )
    assert PlanActionUpdate.objects.filter(action=action).count() == 2
    assert PlanAction.objects.get(pk=action.pk).rag == "red"


def test_an_edit_against_a_stale_version_is_refused(council):
    action = _new_action(council)
    services.edit_action(
        action=action,
        version=1,
        title="New",
        owner="o",
        agency=council,
        due_date=action.due_date,
        status="open",
        today=_today(),
    )
    with pytest.raises(StaleRecord):
        services.edit_action(
            action=PlanAction.objects.get(pk=action.pk),
            version=1,
            title="Older",
            owner="o",
            agency=council,
            due_date=action.due_date,
            status="open",
            today=_today(),
        )
    assert PlanAction.objects.get(pk=action.pk).title == "New"


def test_an_update_dated_before_the_last_one_is_refused(council):
    action = _new_action(council)
    with pytest.raises(services.BoardPlanError, match="on or after the last update"):
        services.add_update(
            action=action,
            version=action.version,
            on=_today() - timedelta(days=31),
            text="Late",
            rag="red",
            today=_today(),
        )


@pytest.mark.parametrize("rag", ["purple", "", "RED"])
def test_a_rag_outside_the_fixed_list_is_refused(council, rag):
    with pytest.raises(services.BoardPlanError, match="Red, Amber, Green"):
        _new_action(council, rag=rag)


def test_every_write_is_audited(council):
    before = AuditEvent.objects.count()
    action = _new_action(council)
    services.add_update(
        action=action, version=action.version, on=_today(), text="x", rag="red", today=_today()
    )
    item = services.create_item(meeting_date=_today(), title="Dashboard", kind="report")
    services.edit_item(
        item=item,
        version=1,
        meeting_date=_today(),
        title="Dashboard",
        kind="report",
        status="deferred",
    )
    events = list(AuditEvent.objects.order_by("id")[before:].values_list("object_type", "action"))
    assert events == [
        ("boardplan.PlanAction", "create"),
        ("boardplan.PlanActionUpdate", "create"),
        ("boardplan.PlanAction", "update"),
        ("boardplan.PlanActionUpdate", "create"),
        ("boardplan.ForwardPlanItem", "create"),
        ("boardplan.ForwardPlanItem", "update"),
    ]


# --- Pages ------------------------------------------------------------------------------


def test_an_analyst_adds_an_action_through_the_form(client, analyst, council):
    client.force_login(analyst)
    data = {
        "title": "Train housing staff",
        "owner": "Tenancy Services Manager",
        "agency": council.pk,
        "rag": "green",
        **_date("due_date", _today() + timedelta(days=90)),
    }
    response = client.post(reverse("boardplan:action-new"), data)
    action = PlanAction.objects.get(title="Train housing staff")
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert AuditEvent.objects.filter(object_type="boardplan.PlanAction", action="create").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the action."),
        ({"title": "x", "owner": "o", "rag": "green"}, "Enter the due date"),
        ({"title": "x", "owner": "o", "rag": "blue"}, "Select a valid choice"),
        (
            {
                "title": "x",
                "owner": "o",
                "rag": "green",
                "due_date_day": "1",
                "due_date_month": "1",
                "due_date_year": "2099",
            },
            "check the year",
        ),
        (
            {
                "title": "x",
                "owner": "o",
                "rag": "green",
                "due_date_day": "31",
                "due_date_month": "2",
                "due_date_year": "2027",
            },
            "must be a real date",
        ),
    ],
)
def test_bad_input_is_named_in_the_error_summary_not_a_500(client, analyst, council, data, message):
    client.force_login(analyst)
    response = client.post(reverse("boardplan:action-new"), {"agency": council.pk, **data})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message.replace("'", "&#x27;") in response.content.decode() or (
        message == "Select a valid choice" and "RAG status" in response.content.decode()
    )
    assert not PlanAction.objects.exists()


def test_an_update_through_the_page_changes_the_rag_and_shows_in_the_history(
    client, analyst, council
):
    action = _new_action(council)
    client.force_login(analyst)
    data = {
        "version": action.version,
        "rag": "red",
        "text": "Venue fell through",
        **_date("on", _today()),
    }
    response = client.post(reverse("boardplan:action-update", args=[action.pk]), data)
    assert response.status_code == 302
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Venue fell through" in page and "govuk-tag--red" in page


def test_a_stale_update_form_is_refused_with_the_difference_shown(client, analyst, council):
    action = _new_action(council)
    services.add_update(
        action=action,
        version=action.version,
        on=_today(),
        text="Other",
        rag="green",
        today=_today(),
    )
    client.force_login(analyst)
    data = {"version": 1, "rag": "red", "text": "Mine", **_date("on", _today())}
    response = client.post(reverse("boardplan:action-update", args=[action.pk]), data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert not PlanActionUpdate.objects.filter(text="Mine").exists()


@pytest.mark.parametrize("garbage", ["", "abc", "-1"])
def test_a_garbled_version_is_explained_not_a_500(client, analyst, council, garbage):
    action = _new_action(council)
    client.force_login(analyst)
    data = {"version": garbage, "rag": "red", "text": "x", **_date("on", _today())}
    response = client.post(reverse("boardplan:action-update", args=[action.pk]), data)
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not PlanActionUpdate.objects.filter(text="x").exists()


def test_a_viewer_reads_the_plan_but_may_not_change_it(client, viewer, council):
    action = _new_action(council)
    client.force_login(viewer)
    page = client.get(reverse("boardplan:overview"))
    assert page.status_code == 200 and action.title in page.content.decode()
    assert "Add an action" not in page.content.decode()
    assert client.get(reverse("boardplan:action-edit", args=[action.pk])).status_code == 403
    assert (
        client.post(
            reverse("boardplan:action-update", args=[action.pk]), {"rag": "red"}
        ).status_code
        == 403
    )
    assert PlanAction.objects.get(pk=action.pk).rag == "amber"


def test_reading_the_overview_and_an_action_is_audited(client, viewer, council):
    action = _new_action(council)
    client.force_login(viewer)
    client.get(reverse("boardplan:overview"))
    client.get(action.get_absolute_url())
    views = AuditEvent.objects.filter(action="view", user_id=viewer.pk)
    assert views.filter(summary="Viewed the board's action plan").exists()
    assert views.filter(object_type="boardplan.PlanAction", object_id=str(action.pk)).exists()


def test_the_overview_counts_by_rag_and_filters_by_rag_and_agency(client, viewer, council):
    other = AgencyFactory(name="Police")
    PlanActionFactory(title="Red one", rag="red", agency=council)
    PlanActionFactory(title="Late one", rag="amber", agency=other, due_date=_today() - timedelta(1))
    PlanActionFactory(title="Done one", rag="green", agency=council, status="done")
    client.force_login(viewer)
    page = client.get(reverse("boardplan:overview")).content.decode()
    assert "2 open actions: 1 Red, 1 Amber, 0 Green; 1 overdue." in page
    filtered = client.get(reverse("boardplan:overview"), {"rag": "red"}).content.decode()
    assert (
        "Red one" in filtered
        and "Late one" not in filtered.split('<h2 class="govuk-heading-m">Actions')[1]
    )
    by_agency = client.get(reverse("boardplan:overview"), {"agency": other.pk}).content.decode()
    assert "Red one" not in by_agency
    done = client.get(reverse("boardplan:overview"), {"status": "done"}).content.decode()
    assert "Done one" in done


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "rag", "dir": "desc"},
        {"sort": "'; drop"},
        {"agency": "x"},
        {"page": "999"},
        {"rag": "<script>"},
    ],
)
def test_odd_query_strings_never_break_the_overview(client, viewer, council, query):
    PlanActionFactory(agency=council)
    client.force_login(viewer)
    assert client.get(reverse("boardplan:overview"), query).status_code == 200


def test_the_forward_plan_groups_upcoming_items_by_meeting(client, viewer, council):
    soon, later = _today() + timedelta(days=20), _today() + timedelta(days=110)
    ForwardPlanItemFactory(title="Later item", meeting_date=later)
    ForwardPlanItemFactory(title="Soon item", meeting_date=soon)
    ForwardPlanItemFactory(title="Past item", meeting_date=_today() - timedelta(days=60))
    client.force_login(viewer)
    page = client.get(reverse("boardplan:forward")).content.decode()
    assert page.index("Soon item") < page.index("Later item") and "Past item" not in page
    assert "Past item" in client.get(reverse("boardplan:forward"), {"past": "1"}).content.decode()


def test_a_coordinator_adds_and_edits_a_forward_plan_item(client, council):
    client.force_login(UserFactory(username="plan.coord", role="coordinator", agency=council))
    meeting = _today() + timedelta(days=30)
    data = {"title": "Strategic assessment", "kind": "report", **_date("meeting_date", meeting)}
    assert client.post(reverse("boardplan:forward-new"), data).status_code == 302
    item = ForwardPlanItem.objects.get()
    edit = {**data, "version": item.version, "status": "deferred", "lead": "Analyst"}
    assert client.post(reverse("boardplan:forward-edit", args=[item.pk]), edit).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.lead, item.version) == ("deferred", "Analyst", 2)
    missing = client.post(reverse("boardplan:forward-new"), {"title": "x", "kind": "report"})
    assert "Enter the meeting date" in missing.content.decode()


def test_the_overview_is_linked_from_the_home_page_and_navigation(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert page.count(reverse("boardplan:overview")) >= 2


def test_a_meeting_date_decades_away_is_refused_by_name(client, analyst):
    client.force_login(analyst)
    data = {"title": "x", "kind": "report", **_date("meeting_date", date(2099, 3, 1))}
    page = client.post(reverse("boardplan:forward-new"), data).content.decode()
    assert "The meeting date must be between" in page
    assert not ForwardPlanItem.objects.exists()


def test_an_old_action_keeps_its_unchanged_due_date_when_edited(client, analyst, council):
    action = PlanActionFactory(agency=council, due_date=_today() - timedelta(days=6 * 365))
    client.force_login(analyst)
    form = {
        "version": action.version,
        "title": "Reworded",
        "owner": action.owner,
        "agency": council.pk,
        "status": "done",
        **_date("due_date", action.due_date),
    }
    assert client.post(reverse("boardplan:action-edit", args=[action.pk]), form).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Reworded", "done")
