from django.apps import AppConfig


class IomConfig(AppConfig):
    name = "saferhub.web.iom"
    label = "iom"
    verbose_name = "Integrated Offender Management"
