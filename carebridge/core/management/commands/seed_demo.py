"""``manage.py seed_demo [--patients N] [--seed S] [--as-of YYYY-MM-DD]``: a deterministic demo hospital."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from carebridge.core.demo.bulk import analyse_changed
from carebridge.core.demo.steps import DemoContext, demo_exists, demo_today, finishers, steps


class Command(BaseCommand):
    help = "Load a realistic, deterministic demo hospital (same seed and --as-of → the same data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients", type=int, default=3000, help="patients of the main hospital (default 3000)"
        )
        parser.add_argument("--seed", type=int, default=20261123, help="random seed (default 20261123)")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="the demo's 'today', its clock at 09:30 local time (default: today, or yesterday before"
            " 09:30); encounters cover the 18 months before it",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (exit 0) when demo data exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["patients"] < 1:
            raise CommandError("--patients must be at least 1.")
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already loaded; nothing to do.")
                return
            raise CommandError("Demo data already exist in this database; use a fresh database.")
        context = DemoContext(
            seed=options["seed"],
            as_of=options["as_of"] or demo_today(),
            patients=options["patients"],
            rng=random.Random(options["seed"]),
            log=self.stdout.write,
        )
        if connection.vendor == "postgresql":
            # A bulk load of generated data: a commit need not wait for the WAL flush (a crash loses at
            # most the last few transactions of a load that is then re-run; nothing is corrupted). The
            # loader commits thousands of small transactions through the services (complaints, the desk).
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        started = time.perf_counter()
        for _order, name, step in steps():
            step_started = time.perf_counter()
            step(context)
            analyse_changed()  # the next steps' queries planned on the rows this one wrote
            self.stdout.write(f"  {name}: {time.perf_counter() - step_started:.1f}s")
        for _order, _name, finish in finishers():
            finish(context)
        self.stdout.write(
            self.style.SUCCESS(f"Demo hospital loaded in {time.perf_counter() - started:.1f}s.")
        )
