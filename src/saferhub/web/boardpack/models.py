"""A board pack built in the background, and the files it was rendered to.

Every format is rendered once, when the pack is built, and stored: the PDF, workbook and
Word files of one build then hold the same figures even if the data change before the
last is downloaded, and a download never waits for a PDF to draw. A pack holds only
aggregate, published figures (no casework lists), a few hundred kilobytes a format.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# A build whose worker has said nothing for this long has died (the server restarted, the
# thread crashed): it shows as failed, so nobody waits for it forever.
STALE_AFTER = timedelta(minutes=3)


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class PackBuild(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pack_builds"
    )
    options = models.JSONField(help_text="The PackRequest, as PackRequest.to_dict() gives it.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    heartbeat = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Board pack {self.pk} ({self.status})"

    @property
    def is_stale(self) -> bool:
        unfinished = self.status in (Status.QUEUED, Status.RUNNING)
        return unfinished and timezone.now() - self.heartbeat > STALE_AFTER

    @property
    def shown_status(self) -> str:
        return Status.FAILED if self.is_stale else self.status

    @property
    def shown_status_label(self) -> str:
        return Status(self.shown_status).label

    @property
    def meeting_label(self) -> str:
        """The meeting as the board writes it: "18 December 2026"."""
        from saferhub.app.board_pack import long_date

        return long_date(date.fromisoformat(self.options["meeting"]))

    @property
    def to_label(self) -> str:
        """The last month of figures: "October 2026"."""
        from saferhub.rules.periods import Month

        return Month.parse(self.options["to"]).label

    @property
    def shown_error(self) -> str:
        if self.is_stale:
            return "The build stopped before it finished. Build the pack again."
        return self.error


class PackFile(models.Model):
    build = models.ForeignKey(PackBuild, on_delete=models.CASCADE, related_name="files")
    fmt = models.CharField(max_length=8)
    body = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["build", "fmt"], name="one_file_per_format")]

    def __str__(self) -> str:
        return f"{self.build_id}.{self.fmt}"
