from django.urls import path

from saferhub.web.asb import statistics
from saferhub.web.asb.views import cases, reviews, tools

app_name = "asb"
urlpatterns = [
    path("", cases.home, name="home"),
    path("cases/", cases.cases, name="cases"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/complainants/new/", cases.complainant_new, name="complainant-new"),
    path("cases/<int:pk>/respondents/new/", cases.respondent_new, name="respondent-new"),
    path("cases/<int:pk>/agencies/new/", cases.agency_add, name="agency-add"),
    path("cases/<int:pk>/incidents/new/", cases.incident_new, name="incident-new"),
    path("cases/<int:pk>/actions/new/", cases.action_new, name="action-new"),
    path("cases/<int:pk>/close/", cases.case_close, name="case-close"),
    path("actions/<int:pk>/done/", cases.action_done, name="action-done"),
    path("cases/<int:pk>/reviews/new/", reviews.review_new, name="review-new"),
    path("cases/<int:pk>/tools/new/", tools.case_tool_new, name="case-tool-new"),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path(
        "reviews/<int:pk>/recommendations/new/",
        reviews.recommendation_new,
        name="recommendation-new",
    ),
    path("reviews/<int:pk>/complete/", reviews.review_complete, name="review-complete"),
    path("settings/", reviews.review_settings, name="settings"),
    path("tools/", tools.tools, name="tools"),
    path("tools/new/", tools.tool_new, name="tool-new"),
    path("statistics/", statistics.statistics, name="statistics"),
]
