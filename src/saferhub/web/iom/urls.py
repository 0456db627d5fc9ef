from django.urls import path

from saferhub.web.iom.views import analysis, cohort, records

app_name = "iom"

urlpatterns = [
    path("", cohort.cohort, name="cohort"),
    path("add/", cohort.add, name="add"),
    path("members/<int:pk>/", cohort.member, name="member"),
    path("members/<int:pk>/leave/", cohort.leave, name="leave"),
    path("members/<int:pk>/tier/", records.tier, name="tier"),
    path("members/<int:pk>/contacts/new/", records.contact, name="contact"),
    path("members/<int:pk>/referrals/new/", records.referral, name="referral"),
    path("referrals/<int:pk>/", records.outcome, name="outcome"),
    path("selection/", analysis.selection, name="selection"),
    path("deselection/", analysis.deselection, name="deselection"),
    path("board/", analysis.board, name="board"),
    path("settings/", analysis.settings_page, name="settings"),
]
