# Joins the improvement actions (issue 21) with the scorecard and standards branches (issues 15, 16).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0004_action_objectives"),
        ("performance", "0005_merge_scorecard_standards"),
    ]

    operations = []
