from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferhub.web.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from saferhub.web.audit import signals  # noqa: F401  (connects the write auditing)
