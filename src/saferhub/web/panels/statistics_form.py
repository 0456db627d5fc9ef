"""The panel statistics page's form: which quarters, and the population for the rate."""

from __future__ import annotations

from django import forms

from saferhub.rules.periods import FinancialQuarter


class StatisticsForm(forms.Form):
    quarter = forms.CharField(
        label="Latest quarter", help_text="For example: 2023/24-Q2", max_length=12
    )
    quarters = forms.IntegerField(
        label="Number of quarters to show", min_value=1, max_value=12, initial=5
    )
    adult_women = forms.IntegerField(
        label="Female population aged 16 and over (optional)",
        help_text="For the volume of cases per 10,000 adult women.",
        min_value=1,
        required=False,
    )

    def clean_quarter(self):
        from saferhub.errors import ConfigurationError

        try:
            return FinancialQuarter.parse(self.cleaned_data["quarter"])
        except ConfigurationError as exc:
            raise forms.ValidationError(str(exc)) from None
