from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "saferhub.web.people"
    label = "people"
    verbose_name = "People"
