from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "saferhub.web.asb"
    label = "asb"
    verbose_name = "ASB cases, case reviews and tools and powers"
