from django.urls import path

from saferhub.web.people import edit_views, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", edit_views.edit_person, name="edit"),
    path("<int:pk>/notes/new/", views.add_note, name="add-note"),
    path("<int:pk>/flags/new/", views.add_flag, name="add-flag"),
    path("<int:pk>/flags/<int:flag>/", edit_views.edit_flag, name="edit-flag"),
    path("<int:pk>/involvements/new/", views.add_involvement, name="add-involvement"),
    path("<int:pk>/shares/new/", views.add_share, name="add-share"),
    path("involvements/requests/", views.involvement_requests, name="involvement-requests"),
    path("involvements/<int:pk>/decide/", views.decide_involvement, name="decide-involvement"),
    path("involvements/<int:pk>/end/", views.end_involvement, name="end-involvement"),
    path("shares/<int:pk>/end/", views.end_share, name="end-share"),
]
