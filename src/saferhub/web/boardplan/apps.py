from django.apps import AppConfig


class BoardPlanConfig(AppConfig):
    name = "saferhub.web.boardplan"
    label = "boardplan"
    verbose_name = "The board's action plan and forward plan"
