from django.apps import AppConfig


class BoardPackConfig(AppConfig):
    name = "saferhub.web.boardpack"
    label = "boardpack"
    verbose_name = "Board packs"
