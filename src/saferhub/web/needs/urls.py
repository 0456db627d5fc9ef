from django.urls import path

from saferhub.web.needs import views

app_name = "needs"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("load/", views.load, name="load"),
]
