"""The maintained patient–department link (issue 18.3) and its back-fill from the encounters: two
set-based statements, about a second per 100,000 patients."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    link = apps.get_model("patients", "PatientDepartment")._meta.db_table
    encounter = apps.get_model("patients", "Encounter")._meta.db_table
    patient = apps.get_model("patients", "Patient")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {link} (patient_id, department_id)"  # noqa: S608 - table names of the models
            f" SELECT DISTINCT patient_id, department_id FROM {encounter}"
        )
        cursor.execute(
            f"UPDATE {patient} SET seen_anywhere = %s"  # noqa: S608
            f" WHERE id IN (SELECT patient_id FROM {link})",
            [True],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbox_message"),
        ("patients", "0003_clearer_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="seen_anywhere",
            field=models.BooleanField(default=False, editable=False, verbose_name="seen in a department"),
        ),
        migrations.CreateModel(
            name="PatientDepartment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.department"
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="department_links",
                        to="patients.patient",
                    ),
                ),
            ],
            options={
                "verbose_name": "department that knows a patient",
                "verbose_name_plural": "departments that know a patient",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("department", "patient"), name="patient_department_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
