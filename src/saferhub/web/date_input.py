"""The GOV.UK date input: day, month and year boxes, read back as one date.

Use `DateInputField` for every date a user types. It also accepts one ISO date string
under the field's own name, so scripts and older bookmarks that post `2024-03-01` keep
working. Its errors name the field and say which part is missing or wrong, as the
GOV.UK pattern asks ("Date of birth must include a month").
"""

from __future__ import annotations

from datetime import date

from django import forms

PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """Three text boxes named `<name>_day`, `<name>_month` and `<name>_year`."""

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric"}
        super().__init__({part: forms.TextInput(attrs=numeric) for part in PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):  # one ISO date under the field's own name
            return data.get(name)
        return [data.get(f"{name}_{part}") for part in PARTS]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_):
        # The error summary links to the day box, the first of the three.
        return f"{id_}_day" if id_ else ""


class DateInputField(forms.DateField):
    widget = GovukDateInput

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return self._from_parts(*[str(v or "").strip() for v in value])
        if isinstance(value, str) and value.strip():
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise forms.ValidationError(self._real(), code="invalid") from None
        return super().to_python(value)

    def _label(self) -> str:
        return str(self.label or "Date")

    def _real(self) -> str:
        return f"{self._label()} must be a real date, for example 27 3 2024."

    def _from_parts(self, day: str, month: str, year: str) -> date | None:
        given = {"day": day, "month": month, "year": year}
        if not any(given.values()):
            return None
        missing = [part for part in PARTS if not given[part]]
        if missing:
            raise forms.ValidationError(
                f"{self._label()} must include a {' and '.join(missing)}.", code="incomplete"
            )
        if not all(v.isdigit() for v in given.values()):
            raise forms.ValidationError(self._real(), code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(
                f"{self._label()}: the year must have 4 numbers, for example 2024.",
                code="invalid",
            )
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self._real(), code="invalid") from None
