"""The call queue's order index covers open phone calls only.

Closed calls keep their old due dates, so an index over every phone call made the claim and the queue
page walk the whole history of finished calls before the first open one; the history grows every day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("followup", "0015_scorecard_live_month_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="touchpoint", name="touchpoint_queue_order_idx"),
        migrations.AddIndex(
            model_name="touchpoint",
            index=models.Index(
                condition=models.Q(("status__in", ["scheduled", "in_progress"]), ("step", "phone")),
                fields=["due_at", "tier_rank", "id"],
                name="touchpoint_open_queue_idx",
            ),
        ),
    ]
