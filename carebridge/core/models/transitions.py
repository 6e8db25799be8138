"""The transition base: every life cycle (complaint, escort, care plan, touchpoint, wave, invitation, …)
records each change of state in a table of its own with these columns, written only by
:func:`carebridge.core.services.transitions.transition_apply`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Transition(models.Model):
    """One change of state: who (``actor``; empty for the system), when, from, to and why.

    A concrete table adds the foreign key to its subject and may redeclare ``from_status`` and
    ``to_status`` with the life cycle's choices (same column, same length).
    """

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        # A history is read in the order it happened; ``id`` breaks ties between rows of the same instant
        # (PostgreSQL returns rows in any order without it).
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
