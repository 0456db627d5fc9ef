"""Link each CS MARAC case to its ASB case.

A case's typed ASB case reference becomes a link where exactly one ASB case has that
reference (the typed text, without surrounding spaces); the text is then cleared. A
reference that matches no ASB case stays as text, shown on the case page, until a user
links the case.
"""

import django.db.models.deletion
from django.db import migrations, models


def link(apps, schema_editor):
    Case = apps.get_model("panels", "Case")
    AsbCase = apps.get_model("asb", "AsbCase")
    typed = Case.objects.filter(asb_case__isnull=True).exclude(asb_case_reference="")
    for case in typed.only("pk", "asb_case_reference").iterator():
        matches = list(
            AsbCase.objects.filter(reference=case.asb_case_reference.strip()).values_list(
                "pk", flat=True
            )[:2]
        )
        if len(matches) == 1:
            # .update(): a data migration is not an edit, so the version is left as it is.
            Case.objects.filter(pk=case.pk).update(asb_case_id=matches[0], asb_case_reference="")


def unlink(apps, schema_editor):
    Case = apps.get_model("panels", "Case")
    for case in Case.objects.filter(asb_case__isnull=False).select_related("asb_case"):
        Case.objects.filter(pk=case.pk).update(asb_case_reference=case.asb_case.reference[:40])


class Migration(migrations.Migration):
    dependencies = [
        ("asb", "0001_asb_cases_reviews_tools"),
        ("panels", "0004_sirm_incidents_and_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="asb_case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="panel_cases",
                to="asb.asbcase",
            ),
        ),
        migrations.RunPython(link, unlink),
    ]
