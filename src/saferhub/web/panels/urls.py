"""Every panel's pages from one set of views: `/marac/` (the DA MARAC, namespace `panels`),
`/cs-marac/`, `/adults-at-risk/` and `/sirm/`, each in its own instance namespace of the
`panels` application (see `saferhub.web.panels.registry`)."""

from django.urls import path

from saferhub.web.panels.registry import on_panel
from saferhub.web.panels.views import (
    actions,
    asb_link,
    cases,
    general,
    incidents,
    meetings,
    statistics,
)

app_name = "panels"

# The engine's pages, the same for every panel.
SHARED = [
    ("", cases.home, "home"),
    ("cases/", cases.cases, "cases"),
    ("cases/<int:pk>/", cases.case, "case"),
    ("cases/<int:pk>/status/", cases.case_status, "case-status"),
    ("cases/<int:pk>/listing/", cases.case_listing, "case-listing"),
    ("cases/<int:pk>/actions/new/", actions.action_new, "action-new"),
    ("actions/<int:pk>/", actions.action_update, "action-update"),
    ("actions/overdue/", actions.overdue, "overdue"),
    ("meetings/", meetings.meetings, "meetings"),
    ("meetings/new/", meetings.meeting_new, "meeting-new"),
    ("meetings/<int:pk>/", meetings.meeting, "meeting"),
    ("meetings/<int:pk>/attendance/", meetings.attendance, "meeting-attendance"),
    ("meetings/<int:pk>/minutes/", meetings.minutes, "meeting-minutes"),
    ("meetings/<int:pk>/agenda.xlsx", meetings.agenda_export, "agenda-export"),
    ("meetings/<int:pk>/cases/<int:listing>/research/", meetings.research, "research"),
    ("meetings/<int:pk>/cases/<int:listing>/heard/", meetings.hear, "hear"),
]

# The DA MARAC's own pages: the SafeLives referral form, IDVAs, and its quarterly return.
DA_ONLY = [
    ("refer/", cases.refer, "refer"),
    ("cases/<int:pk>/idva/", cases.case_idva, "case-idva"),
    ("cases/<int:pk>/victim/", cases.case_victim, "case-victim"),
    ("statistics/", statistics.statistics, "statistics"),
    ("statistics/export.xlsx", statistics.statistics_export, "statistics-export"),
]

# The other panels: a referral form built from the panel's settings, and their statistics.
GENERAL = [
    ("refer/", general.refer, "refer"),
    ("statistics/", general.statistics, "statistics"),
]

# Serious violence incidents and the 24-hour SIRM clock live with the SIRM.
INCIDENTS = [
    ("incidents/", incidents.incidents, "incidents"),
    ("incidents/new/", incidents.incident_new, "incident-new"),
    ("incidents/<int:pk>/", incidents.incident, "incident"),
    ("incidents/<int:pk>/override/", incidents.incident_override, "incident-override"),
    ("incidents/<int:pk>/held/", incidents.incident_held, "incident-held"),
]

# The Community Safety MARAC's cases link to the ASB cases they are about.
ASB_LINK = [("cases/<int:pk>/asb-case/", asb_link.case_asb, "case-asb")]


def panel_patterns(panel: str) -> list:
    own = DA_ONLY if panel == "da_marac" else GENERAL
    extra = {"sirm": INCIDENTS, "asb_marac": ASB_LINK}.get(panel, [])
    return [
        path(route, on_panel(view, panel), name=name) for route, view, name in SHARED + own + extra
    ]


urlpatterns = panel_patterns("da_marac")
