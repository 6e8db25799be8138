"""The search index of the living dictionary: weighted tokens per entry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.knowledge.choices import EntryKind


class SearchToken(models.Model):
    """The search index: one row per (entry, token) with the token's weight in that entry.

    Written only by ``carebridge.knowledge.services.indexing`` when a service creates or changes an entry.
    A search is one ``SUM(weight × factor) GROUP BY entry ORDER BY score DESC`` over the query's tokens,
    the same SQL on SQLite and PostgreSQL.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    object_id = models.PositiveIntegerField(_("entry id"))
    token = models.CharField(_("token"), max_length=64)
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "token"], name="search_token_unique"),
        ]
        indexes = [models.Index(fields=["hospital", "token"], name="search_token_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.token} {self.weight}"
