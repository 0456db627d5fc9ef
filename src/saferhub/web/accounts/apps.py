from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferhub.web.accounts"
    label = "accounts"
    verbose_name = "Agencies and users"

    def ready(self) -> None:
        from saferhub.app import data_version
        from saferhub.web.accounts import lockout, signals, timeouts  # noqa: F401

        data_version.connect()
