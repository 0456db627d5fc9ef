"""Loading a caseload extract through the page."""

from __future__ import annotations

from pathlib import Path

from django import forms

from saferhub.web.date_input import DateInputField

MAX_UPLOAD_MB = 100


class ExtractForm(forms.Form):
    extract = forms.FileField(
        label="Caseload extract",
        help_text="A CSV or Excel (.xlsx) file in the caseload extract format.",
    )
    area = forms.CharField(
        label="Area", max_length=100, help_text="The area the caseload covers, e.g. Barnet."
    )
    as_of = DateInputField(
        label="Date the extract was taken",
        required=False,
        help_text="Ages are worked out on this date. Leave it empty to use the latest "
        "assessment date in the extract.",
    )

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_MB} MB.")
        return upload
