from django.urls import path

from saferhub.web.insights import partner_figures, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("partner-figures/", partner_figures.partner_figures, name="partner-figures"),
    path(
        "partner-figures/template.csv",
        partner_figures.breakdowns_template,
        name="partner-figures-template",
    ),
]
