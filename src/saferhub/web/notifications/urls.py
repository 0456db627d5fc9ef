from django.urls import path

from saferhub.web.notifications import views

app_name = "notifications"
urlpatterns = [path("preferences/", views.preferences, name="preferences")]
