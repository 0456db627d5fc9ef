from django.urls import path

from saferhub.web.panels.views import actions, cases, meetings, statistics

app_name = "panels"
urlpatterns = [
    path("", cases.home, name="home"),
    path("refer/", cases.refer, name="refer"),
    path("cases/", cases.cases, name="cases"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/status/", cases.case_status, name="case-status"),
    path("cases/<int:pk>/listing/", cases.case_listing, name="case-listing"),
    path("cases/<int:pk>/idva/", cases.case_idva, name="case-idva"),
    path("cases/<int:pk>/victim/", cases.case_victim, name="case-victim"),
    path("cases/<int:pk>/actions/new/", actions.action_new, name="action-new"),
    path("actions/<int:pk>/", actions.action_update, name="action-update"),
    path("actions/overdue/", actions.overdue, name="overdue"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting-new"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="meeting-attendance"),
    path("meetings/<int:pk>/minutes/", meetings.minutes, name="meeting-minutes"),
    path("meetings/<int:pk>/agenda.xlsx", meetings.agenda_export, name="agenda-export"),
    path("meetings/<int:pk>/cases/<int:listing>/research/", meetings.research, name="research"),
    path("meetings/<int:pk>/cases/<int:listing>/heard/", meetings.hear, name="hear"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export.xlsx", statistics.statistics_export, name="statistics-export"),
]
