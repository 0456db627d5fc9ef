from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "saferhub.web.insights"
    label = "insights"
    verbose_name = "Crime performance dashboard"
