"""The complaint this row points at now belongs to ``carebridge.complaints`` (it was ``desk.Complaint``).

State only: the column and its foreign key still point at the same table, ``desk_complaint``.
"""

import django.db.models.deletion
from django.db import migrations, models

STATE = [
    migrations.AlterField(
        model_name="recoverycase",
        name="complaint",
        field=models.OneToOneField(
            on_delete=django.db.models.deletion.PROTECT, related_name="survey_case", to="complaints.complaint"
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("surveys", "0004_transitions_on_core_base"),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[])]
