from django.urls import path

from saferhub.web.people import duplicate_views, edit_views, hold_views, views

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
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/", duplicate_views.duplicate_detail, name="duplicate"),
    path("duplicates/<int:pk>/merge/", duplicate_views.merge_duplicate, name="merge-duplicate"),
    path(
        "duplicates/<int:pk>/dismiss/", duplicate_views.dismiss_duplicate, name="dismiss-duplicate"
    ),
    path("merges/", duplicate_views.merge_list, name="merges"),
    path("merges/<int:pk>/undo/", duplicate_views.undo_person_merge, name="undo-merge"),
    path("<int:pk>/legal-hold/new/", hold_views.place, name="place-hold"),
    path("legal-holds/", hold_views.holds, name="legal-holds"),
    path("legal-holds/<int:pk>/lift/", hold_views.lift, name="lift-hold"),
]
