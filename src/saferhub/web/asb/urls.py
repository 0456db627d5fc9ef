from django.urls import path

from saferhub.web.asb import statistics, views

app_name = "asb"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/complainants/new/", views.complainant_new, name="complainant-new"),
    path("cases/<int:pk>/respondents/new/", views.respondent_new, name="respondent-new"),
    path("cases/<int:pk>/agencies/new/", views.agency_add, name="agency-add"),
    path("cases/<int:pk>/incidents/new/", views.incident_new, name="incident-new"),
    path("cases/<int:pk>/actions/new/", views.action_new, name="action-new"),
    path("cases/<int:pk>/close/", views.case_close, name="case-close"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("cases/<int:pk>/reviews/new/", views.review_new, name="review-new"),
    path("cases/<int:pk>/tools/new/", views.case_tool_new, name="case-tool-new"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path(
        "reviews/<int:pk>/recommendations/new/", views.recommendation_new, name="recommendation-new"
    ),
    path("reviews/<int:pk>/complete/", views.review_complete, name="review-complete"),
    path("settings/", views.review_settings, name="settings"),
    path("tools/", views.tools, name="tools"),
    path("tools/new/", views.tool_new, name="tool-new"),
    path("statistics/", statistics.statistics, name="statistics"),
]
