from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "saferhub.web.notifications"
    label = "notifications"
    verbose_name = "Notifications"
