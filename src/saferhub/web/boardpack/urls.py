from django.urls import path

from saferhub.web.boardpack import views

app_name = "boardpack"
urlpatterns = [
    path("", views.new, name="new"),
    path("builds/<int:pk>/", views.build, name="build"),
    path("builds/<int:pk>/status.json", views.status, name="status"),
    path("builds/<int:pk>/<str:fmt>/", views.download, name="download"),
]
