"""The demo board's action plan and forward plan, dated from the demo's as-of day.

`saferhub demo` calls `load(extract_dir, people, as_of=...)` after the agencies and users
are in. A partnership keeps these plans in the app itself rather than importing them, so
there is no extract to read: this is a small, fixed set written here, with every date
counted from `as_of` so the plan always looks current. It goes through the same services
as the pages, so the RAG history and the audit trail are built as a user's would be.

Twelve actions under the five priorities of the Community Safety Strategy, each with two to
four dated updates; nine forward-plan items over the next four quarterly board meetings.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from saferhub.web.accounts.models import Agency, User
from saferhub.web.boardplan import services

ASB = "Tackling and reducing anti-social behaviour"
VAWG = "Early intervention and prevention of domestic abuse and violence against women and girls"
OFFENDING = (
    "Reducing offending including violence, vulnerability and exploitation, "
    "with a focus on acquisitive crime"
)
PREVENT = "Safeguard and support those vulnerable to radicalisation"
HATE = "Access to justice for those affected by hate crime"

COUNCIL = "Barnet Council Community Safety"
POLICE = "Metropolitan Police – North West BCU"
PROBATION = "Probation Service – Barnet"
YOUTH = "Barnet Youth Justice Service"
HOUSING = "Barnet Homes"
FAMILY = "Barnet Family Services"

# (title, priority, owner, agency, due in days from as-of, status,
#  updates: (days before as-of, RAG, text), oldest first; the first is the day it was agreed)
ACTIONS = [
    (
        "Publish a guide to reporting each kind of ASB to the right service",
        ASB,
        "Ruth Adeyemi, Community Safety Manager",
        COUNCIL,
        45,
        "open",
        [
            (200, "amber", "Agreed by the board. Draft guide to be written with housing."),
            (120, "green", "Draft written; comments in from police and Barnet Homes."),
            (30, "green", "Approved by the ASB group; goes online next month."),
        ],
    ),
    (
        "Raise awareness of the ASB case review and how to ask for one",
        ASB,
        "Tenancy Services Manager",
        HOUSING,
        -14,
        "open",
        [
            (210, "green", "Agreed by the board. Campaign planned for the spring."),
            (110, "amber", "Leaflet drafted; printing waits for the new housing newsletter."),
            (40, "red", "Campaign delayed: communications team short-staffed until the new year."),
        ],
    ),
    (
        "Increase visible patrols in the three wards with the most ASB",
        ASB,
        "Chief Inspector, Neighbourhoods",
        POLICE,
        120,
        "open",
        [
            (190, "amber", "Agreed by the board. Wards chosen from the quarter's figures."),
            (100, "green", "Joint police and council patrols running weekly in all three wards."),
        ],
    ),
    (
        "Keep Community Safety MARAC cases heard within four weeks of referral",
        ASB,
        "Ruth Adeyemi, Community Safety Manager",
        COUNCIL,
        200,
        "open",
        [
            (180, "red", "Agreed by the board: half of referrals waited more than four weeks."),
            (90, "amber", "Extra monthly meeting added; the waiting list is shrinking."),
            (25, "green", "All referrals this quarter heard within four weeks."),
        ],
    ),
    (
        "Deliver the pilot on domestic abuse in a cultural context",
        VAWG,
        "Head of Early Help",
        FAMILY,
        150,
        "open",
        [
            (220, "amber", "Agreed by the board. Community partners being chosen."),
            (130, "amber", "Two community organisations signed up; a third still in talks."),
            (60, "green", "Pilot launched with three partners; first sessions well attended."),
            (15, "green", "Mid-point review planned for the next board meeting."),
        ],
    ),
    (
        "Set up safe spaces for women and girls in two town centres",
        VAWG,
        "VAWG Strategy Lead",
        COUNCIL,
        90,
        "open",
        [
            (170, "red", "Agreed by the board. No venue yet in either town centre."),
            (80, "amber", "Venue agreed in one town centre; talks continue for the second."),
            (20, "amber", "First safe space opens next month; second still needs a venue."),
        ],
    ),
    (
        "Train frontline housing staff to recognise and refer domestic abuse",
        VAWG,
        "Tenancy Services Manager",
        HOUSING,
        30,
        "open",
        [
            (160, "green", "Agreed by the board. Course booked with the specialist service."),
            (70, "green", "60 of 110 frontline staff trained."),
            (10, "green", "95 of 110 trained; last sessions booked."),
        ],
    ),
    (
        "Target repeat burglary hotspots with crime prevention visits",
        OFFENDING,
        "Chief Inspector, Neighbourhoods",
        POLICE,
        -30,
        "open",
        [
            (200, "green", "Agreed by the board. Hotspots mapped from the last 12 months."),
            (110, "amber", "Visits behind plan: officers moved to the summer events."),
            (45, "red", "Only a third of planned visits made; board's help asked for."),
        ],
    ),
    (
        "Refresh the IOM cohort with a focus on acquisitive crime",
        OFFENDING,
        "Tom Whitfield, Senior Probation Officer",
        PROBATION,
        75,
        "open",
        [
            (150, "amber", "Agreed by the board. Selection criteria being redrafted."),
            (60, "green", "New criteria in use; the cohort is being reviewed case by case."),
        ],
    ),
    (
        "Map the risk of county-lines exploitation with youth justice",
        OFFENDING,
        "Youth Justice Service Manager",
        YOUTH,
        60,
        "open",
        [
            (140, "green", "Agreed by the board. Data-sharing agreement drafted."),
            (70, "amber", "Sharing agreement waiting for health's sign-off."),
            (20, "red", "Still no sign-off: the mapping cannot start without it."),
        ],
    ),
    (
        "Deliver Prevent awareness training to partner staff",
        PREVENT,
        "Prevent Coordinator",
        COUNCIL,
        100,
        "open",
        [
            (175, "amber", "Agreed by the board. Trainer booked; dates to be set."),
            (85, "green", "Four sessions held for schools, housing and health staff."),
            (25, "green", "Two more sessions booked; feedback strongly positive."),
        ],
    ),
    (
        "Open third-party hate crime reporting centres",
        HATE,
        "Community Safety Partnerships Officer",
        COUNCIL,
        -60,
        "done",
        [
            (230, "amber", "Agreed by the board. Libraries and a disability charity approached."),
            (140, "green", "Three centres trained and ready to take reports."),
            (65, "green", "Centres open; first reports received. Action complete."),
        ],
    ),
]

# (meeting number 1-4, title, kind, lead, agency, notes)
FORWARD = [
    (1, "Performance dashboard for the quarter", "report", "Sam Patel, Analyst", COUNCIL, ""),
    (1, "Action plan progress", "report", "Ruth Adeyemi, Community Safety Manager", COUNCIL, ""),
    (1, "Domestic abuse and VAWG annual report", "presentation", "Head of Early Help", FAMILY, ""),
    (2, "Strategic assessment", "report", "Sam Patel, Analyst", COUNCIL, "Draft for comment."),
    (2, "Refresh of the strategy's priorities", "decision", "Chair of the board", COUNCIL, ""),
    (3, "IOM performance review", "presentation", "Tom Whitfield", PROBATION, ""),
    (3, "Hate crime reporting centres: first year", "report", "", COUNCIL, ""),
    (4, "Annual report of the board", "decision", "Ruth Adeyemi", COUNCIL, "Constitutional."),
    (4, "Youth justice plan", "report", "Youth Justice Service Manager", YOUTH, ""),
]


def board_meetings(as_of: date, count: int = 4) -> list[date]:
    """The next `count` quarterly board meetings: a Friday about three weeks after `as_of`,
    then every three months, each moved to the Friday of its week."""
    first = as_of + timedelta(days=21)
    meetings = []
    for quarter in range(count):
        day = first + relativedelta(months=3 * quarter)
        meetings.append(day + timedelta(days=(4 - day.weekday()) % 7))
    return meetings


def load(extract_dir: Path, people: dict[str, int], as_of: date) -> dict[str, int]:
    agencies = {a.name: a for a in Agency.objects.filter(name__in=_agency_names())}
    if len(agencies) < len(_agency_names()):
        return {}  # a demo partnership without these agencies has no board plan
    author = User.objects.filter(username="marac.coordinator").first()
    updates = 0
    for title, priority, owner, agency, due_in, status, history in ACTIONS:
        agreed_ago, first_rag, first_text = history[0]
        agreed = as_of - timedelta(days=agreed_ago)
        action = services.create_action(
            title=title,
            priority=priority,
            owner=owner,
            agency=agencies[agency],
            due_date=as_of + timedelta(days=due_in),
            rag=first_rag,
            today=agreed,
            created_by=author,
            note=first_text,
        )
        updates += 1
        for days_ago, rag, text in history[1:]:
            services.add_update(
                action=action,
                version=action.version,
                on=as_of - timedelta(days=days_ago),
                text=text,
                rag=rag,
                today=as_of,
                author=author,
            )
            updates += 1
        if status != "open":
            services.edit_action(
                action=action,
                version=action.version,
                title=action.title,
                owner=action.owner,
                agency=action.agency,
                due_date=action.due_date,
                status=status,
                today=as_of,
                priority=action.priority,
            )
    meetings = board_meetings(as_of)
    for number, title, kind, lead, agency, notes in FORWARD:
        services.create_item(
            meeting_date=meetings[number - 1],
            title=title,
            kind=kind,
            lead=lead,
            agency=agencies[agency],
            notes=notes,
            created_by=author,
        )
    return {
        "board_actions": len(ACTIONS),
        "board_action_updates": updates,
        "forward_plan_items": len(FORWARD),
    }


def _agency_names() -> set[str]:
    return {a[3] for a in ACTIONS} | {f[4] for f in FORWARD}
