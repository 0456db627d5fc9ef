from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "saferhub.web.needs"
    label = "needs"
    verbose_name = "Probation needs analysis"
