"""Improvement actions hang off the scorecard: the objective they serve and the KPI they should move.

Depends on both the scorecard's and the actions' migrations, so it also joins the two branches."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_scorecards"),
        ("performance", "0003_action_role_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="improvementaction",
            name="objective",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="improvement_actions",
                to="performance.objective",
                verbose_name="scorecard objective",
            ),
        ),
        migrations.AddField(
            model_name="improvementaction",
            name="assignment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="improvement_actions",
                to="performance.kpiassignment",
                verbose_name="KPI to move",
            ),
        ),
    ]
