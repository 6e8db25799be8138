"""Care-plan and touchpoint transitions take the columns of ``core.models.Transition``.

Every row is kept: the care-plan columns ``from_value``/``to_value`` are renamed (not dropped and
re-added) to ``from_status``/``to_status``, and the status columns of both tables widen to the base's 24
characters. The care plan's ``field`` column and the touchpoint's ``from_step``/``to_step`` stay.
"""

from django.db import migrations, models

TOUCHPOINT_STATUS = [
    ("scheduled", "Scheduled (待办)"),
    ("in_progress", "In progress (进行中)"),
    ("done", "Done (已完成)"),
    ("refused", "Refused by the patient (拒访)"),
    ("lost", "Lost to follow-up (失访)"),
    ("deceased", "Patient deceased (已故)"),
    ("skipped", "Skipped by policy (免访)"),
    ("expired", "Closed after its window (逾期关闭)"),
    ("cancelled", "Cancelled (已取消)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_queue_order_index"),
    ]

    operations = [
        migrations.RenameField(
            model_name="careplantransition", old_name="from_value", new_name="from_status"
        ),
        migrations.RenameField(model_name="careplantransition", old_name="to_value", new_name="to_status"),
        migrations.AlterField(
            model_name="careplantransition",
            name="from_status",
            field=models.CharField(blank=True, max_length=24, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="careplantransition",
            name="to_status",
            field=models.CharField(max_length=24, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="touchpointtransition",
            name="from_status",
            field=models.CharField(blank=True, choices=TOUCHPOINT_STATUS, max_length=24, verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="touchpointtransition",
            name="to_status",
            field=models.CharField(choices=TOUCHPOINT_STATUS, max_length=24, verbose_name="to"),
        ),
    ]
