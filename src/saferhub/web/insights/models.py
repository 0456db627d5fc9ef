"""Stored copies of the public data behind the crime dashboard.

The readers in `saferhub.sources` validate the files; these tables keep what they read,
so the dashboard page needs no files. Counts are aggregates of public data: no personal
data lives here.
"""

from __future__ import annotations

from django.db import models


class CrimeRelease(models.Model):
    """One MPS file that was imported, and which of its months were kept."""

    file = models.CharField(max_length=200)
    level = models.CharField(max_length=8, choices=[("borough", "Borough"), ("ward", "Ward")])
    first_month = models.DateField()
    last_month = models.DateField()
    first_used = models.DateField(null=True, blank=True)  # null: a newer file replaced every month
    last_used = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.file} ({self.level})"


class UnchangeableCount(Exception):
    pass


class CrimeCountQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise UnchangeableCount(
            "Crime counts are replaced by importing the files again, never changed in place."
        )


class CrimeCount(models.Model):
    """Crimes recorded in one area, category and month (the canonical MPS row).

    Written once, with its release, and never changed: a release's identity then names its
    counts, so the statistics keep a reading of them until another import
    (app/crime_database.py). Changing one would leave that reading stale, so it is refused.
    """

    release = models.ForeignKey(CrimeRelease, on_delete=models.CASCADE, related_name="counts")
    area_code = models.CharField(max_length=9, blank=True)
    area_name = models.CharField(max_length=100)
    area_type = models.CharField(max_length=8)
    borough = models.CharField(max_length=100)
    major_category = models.CharField(max_length=100)
    minor_category = models.CharField(max_length=100)
    month = models.DateField()
    count = models.PositiveIntegerField()

    objects = CrimeCountQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["area_type", "month"])]

    def __str__(self) -> str:
        return f"{self.area_name}, {self.minor_category}, {self.month:%b %Y}: {self.count}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise UnchangeableCount(
                "Crime counts are replaced by importing the files again, never changed in place."
            )
        super().save(*args, **kwargs)


class StoredCounts(models.Model):
    """Every stored crime count as one Arrow value (IPC stream, the canonical columns in the
    order stored), written by the same store as the rows, in the same transaction. The
    statistics read this one row after an import rather than tens of thousands; the rows stay
    for anything that reads them by SQL."""

    data = models.BinaryField()

    def __str__(self) -> str:
        return f"stored crime counts ({len(self.data):,} bytes)"


class PopulationEstimate(models.Model):
    """Residents and households of one borough: the denominators of rates."""

    area_code = models.CharField(max_length=9, unique=True)
    area_name = models.CharField(max_length=100)
    population = models.FloatField()
    households = models.FloatField()
    year = models.PositiveSmallIntegerField()
    file = models.CharField(max_length=200)

    class Meta:
        ordering = ["area_name"]

    def __str__(self) -> str:
        return f"{self.area_name} ({self.year})"


class SeriesValue(models.Model):
    """One partner-supplied monthly figure (docs/formats/measure-series.md)."""

    area_code = models.CharField(max_length=9)
    area_name = models.CharField(max_length=100)
    month = models.DateField()
    measure = models.CharField(max_length=100)
    value = models.FloatField()
    file = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "month", "measure"], name="insights_one_value_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_name}, {self.measure}, {self.month:%b %Y}: {self.value:g}"


class BreakdownValue(models.Model):
    """One partner-supplied count in a category (docs/formats/partner-breakdowns.md)."""

    area_code = models.CharField(max_length=9, blank=True)  # blank: national figures
    area_name = models.CharField(max_length=100)
    month = models.DateField()
    measure = models.CharField(max_length=100)
    category = models.CharField(max_length=100)
    value = models.PositiveIntegerField()
    file = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_name", "month", "measure", "category"],
                name="insights_one_breakdown_value",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.area_name}, {self.measure}, {self.category}, {self.month:%b %Y}: {self.value}"
        )
