"""``manage.py sync_roles``: bring the role groups in line with ``carebridge.core.roles.ROLES``.

Creates missing groups and sets each group's permissions to exactly those listed (extra permissions
granted by hand are removed). Run it after deploying a release that changed the role table.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from carebridge.core import roles


class Command(BaseCommand):
    help = "Create the role groups and set exactly the permissions listed in carebridge/core/roles.py."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                roles.sync_roles(Group, Permission)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{len(roles.ROLES)} roles synchronised."))
