"""The complaint this row points at now belongs to ``carebridge.complaints`` (it was ``desk.Complaint``).

State only: the column and its foreign key still point at the same table, ``desk_complaint``.
"""

import django.db.models.deletion
from django.db import migrations, models

STATE = [
    migrations.AlterField(
        model_name="callissue",
        name="complaint",
        field=models.ForeignKey(
            blank=True,
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="followup_issues",
            to="complaints.complaint",
            verbose_name="desk case",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("followup", "0004_transitions_on_core_base"),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[])]
