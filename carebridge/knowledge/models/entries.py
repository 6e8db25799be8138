"""The base of every entry of the living dictionary (活字典): it belongs to a hospital and records when
and by whom it was last verified. The search index (``SearchToken``) is kept by the services, never by
``save()``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.knowledge.choices import STALE_AFTER_DAYS

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class VerifiedEntry(models.Model):
    """An entry of the dictionary: belongs to a hospital and says when someone last checked it."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, related_name="+", verbose_name=_("hospital")
    )
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    kind: str = ""
    # Knowledge is not patient data: the whole dictionary of the user's hospital, whatever the departments.
    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        abstract = True

    @property
    def verified_days_ago(self) -> int | None:
        if self.last_verified_at is None:
            return None
        return max(0, (timezone.now() - self.last_verified_at) // dt.timedelta(days=1))

    @property
    def is_stale(self) -> bool:
        """Never verified, or not for :data:`STALE_AFTER_DAYS` days: the desk should re-check it."""
        days = self.verified_days_ago
        return days is None or days >= STALE_AFTER_DAYS
