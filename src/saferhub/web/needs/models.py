"""The probation caseload behind the needs analysis page.

An extract is loaded whole (docs/formats/caseload-extract.md) and kept as it was read:
one `CaseloadEntry` per person. Entries are personal data (a CRN, date of birth,
needs), so the model is audited; the page shows analysts and other partners only the
suppressed version, without CRNs.
"""

from __future__ import annotations

from django.db import models

from saferhub.web.audit.personal import PersonalData


class CaseloadExtract(models.Model):
    """One caseload extract that was loaded; the page shows the latest."""

    file_name = models.CharField(max_length=200)
    area = models.CharField(max_length=100)
    as_of = models.DateField()
    as_of_given = models.BooleanField(
        help_text="False: the as-of date is the latest assessment date in the extract."
    )
    people = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.area}, as of {self.as_of:%d %b %Y})"


class CaseloadEntry(PersonalData):
    """One person on a loaded caseload, with the values the reader validated."""

    extract = models.ForeignKey(CaseloadExtract, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    crn = models.CharField(max_length=7)
    setting = models.CharField(max_length=16)
    sentence_type = models.CharField(max_length=40)
    gender = models.CharField(max_length=16)
    ethnicity = models.CharField(max_length=40)
    date_of_birth = models.DateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField()
    assessment_date = models.DateField(null=True, blank=True)
    needs = models.JSONField(default=dict, help_text="Need code: true, false or null.")
    registrations = models.JSONField(default=dict, help_text="Registration code: true or false.")
    tier = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["extract", "crn"]
        constraints = [
            models.UniqueConstraint(fields=["extract", "crn"], name="needs_one_entry_per_crn")
        ]
        verbose_name_plural = "caseload entries"

    def __str__(self) -> str:
        return f"{self.crn} ({self.setting})"
