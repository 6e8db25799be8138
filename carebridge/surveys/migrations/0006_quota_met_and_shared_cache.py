"""Invitations withdrawn once their stratum's quota is met; the table of the ``shared`` cache (the public
pages' rate limits) when it is a database cache (no Redis)."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_recoverycase_complaint_to_complaints_app"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exclusion",
            name="reason",
            field=models.CharField(
                choices=[
                    ("no_survey_consent", "No consent to surveys"),
                    ("deceased", "Deceased"),
                    ("do_not_contact", "On the do-not-contact list"),
                    ("recently_surveyed", "Surveyed within the minimum interval"),
                    ("in_treatment", "Still in treatment"),
                    ("outside_window", "Outside the timing window"),
                    ("no_contact_route", "No phone number for the channel"),
                    ("not_sampled", "Eligible but not drawn in the sample"),
                    ("quota_met", "The stratum's quota of responses was already met"),
                ],
                max_length=24,
                verbose_name="reason",
            ),
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
