"""Rebuild the living dictionary's search index, e.g. after a lexicon edit (``knowledge/domain/lexicon/``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebridge.core.models import Hospital
from carebridge.knowledge.services.indexing import reindex


class Command(BaseCommand):
    help = "Rebuild the knowledge base search index (all hospitals, or one with --hospital CODE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hospital", help="Hospital code; default all hospitals")

    def handle(self, *args: Any, **options: Any) -> None:
        hospital = None
        if options["hospital"]:
            hospital = Hospital.objects.filter(code=options["hospital"]).first()
            if hospital is None:
                raise CommandError(f"No hospital with code {options['hospital']!r}.")
        rows = reindex(hospital=hospital)
        self.stdout.write(f"{rows} index rows written")
