"""Escort transitions take the column length of every life cycle's record (``core.models.Transition``: 24);
the statuses themselves are unchanged, so every row stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("frontdesk", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="escorttransition",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("requested", "Requested (待派)"),
                    ("assigned", "Assigned (已派)"),
                    ("under_way", "Under way (陪送中)"),
                    ("done", "Done (已完成)"),
                    ("cancelled", "Cancelled (已取消)"),
                ],
                max_length=24,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="escorttransition",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("requested", "Requested (待派)"),
                    ("assigned", "Assigned (已派)"),
                    ("under_way", "Under way (陪送中)"),
                    ("done", "Done (已完成)"),
                    ("cancelled", "Cancelled (已取消)"),
                ],
                max_length=24,
                verbose_name="to",
            ),
        ),
    ]
