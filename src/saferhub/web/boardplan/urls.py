from django.urls import path

from saferhub.web.boardplan import views

app_name = "boardplan"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("actions/new/", views.action_new, name="action-new"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path("forward/", views.forward, name="forward"),
    path("forward/new/", views.forward_new, name="forward-new"),
    path("forward/<int:pk>/edit/", views.forward_edit, name="forward-edit"),
]
