"""Load the GB/T 2260 region table shipped in carebridge/core/data/regions_gb2260.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "regions_gb2260.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    # Parents sort before children (province 320000 < city 320100 < county 320102), so one pass works.
    Region.objects.bulk_create(
        [
            Region(code=r["code"], name=r["name"], level=r["level"], parent_id=r["parent"] or None)
            for r in rows
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
