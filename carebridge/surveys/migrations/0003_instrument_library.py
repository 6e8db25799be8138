"""Install the instrument library (carebridge/surveys/library/*.json) as published version 1 of each.

Library instruments have no hospital. Item rows are derived by ``item_rows``, the same pure function
the publish service uses, so an installed version looks exactly like one published in the builder.
Re-running is harmless: an instrument that already has version 1 is left alone.
"""

from django.db import migrations
from django.utils import timezone

from carebridge.surveys.domain.instruments import content_hash
from carebridge.surveys.domain.library.documents import library_documents
from carebridge.surveys.domain.library.rows import item_rows


def install(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    InstrumentVersion = apps.get_model("surveys", "InstrumentVersion")
    Item = apps.get_model("surveys", "Item")
    now = timezone.now()
    for document in library_documents():
        meta, definition = document["instrument"], document["definition"]
        instrument, _created = Instrument.objects.get_or_create(
            hospital=None,
            code=meta["code"],
            defaults={
                "name": meta["name"],
                "name_en": meta["name_en"],
                "kind": meta["kind"],
                "respondent_class": meta["respondent_class"],
                "description": meta["description"],
            },
        )
        if InstrumentVersion.objects.filter(instrument=instrument, number=1).exists():
            continue
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            number=1,
            status="published",
            definition=definition,
            content_hash=content_hash(definition),
            published_at=now,
        )
        Item.objects.bulk_create(Item(version=version, **row) for row in item_rows(definition))


def uninstall(apps, schema_editor):
    Instrument = apps.get_model("surveys", "Instrument")
    codes = [document["instrument"]["code"] for document in library_documents()]
    for instrument in Instrument.objects.filter(hospital=None, code__in=codes):
        instrument.versions.all().delete()
        instrument.delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_role_permissions")]
    operations = [migrations.RunPython(install, uninstall)]
