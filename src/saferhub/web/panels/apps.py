from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "saferhub.web.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"
