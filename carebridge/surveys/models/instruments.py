"""Instruments (问卷): a questionnaire, its numbered versions (the definition as JSON) and the items a
published version derives for analysis."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.surveys.choices import (
    InstrumentKind,
    ItemType,
    RespondentClass,
    VersionStatus,
)


class Instrument(models.Model):
    """A questionnaire, e.g. the inpatient experience survey; library instruments have no hospital."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("name in English"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=InstrumentKind.choices)
    respondent_class = models.CharField(
        _("respondent class"), max_length=16, choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="instrument_code_per_hospital")
        ]
        permissions = [("analyse_surveys", _("Can analyse survey results"))]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    """One immutable-once-answered version of an instrument: the whole questionnaire as JSON."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["instrument_id", "-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change the definition of a published version or of one that has responses.

        The services already refuse; this guards direct saves (admin, shell, other code) as well.
        """
        if self.pk is not None and not self._state.adding:
            stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("definition", "status").first()
            frozen = stored is not None and (stored[1] != VersionStatus.DRAFT or self.responses.exists())
            if frozen and stored is not None and stored[0] != self.definition:
                raise ValidationError(
                    {"definition": _("This version is published or answered and can no longer change.")}
                )
        super().save(*args, **kwargs)


class Item(models.Model):
    """One question of a published version, derived from its definition for analysis and exports."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveIntegerField(_("position"))
    dimension = models.CharField(_("dimension"), max_length=32, blank=True)
    indicator = models.CharField(_("indicator"), max_length=32, blank=True)
    item_type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text in English"), blank=True)
    scale_min = models.FloatField(_("lowest score"), null=True, blank=True)
    scale_max = models.FloatField(_("highest score"), null=True, blank=True)
    reverse = models.BooleanField(_("reverse-keyed"), default=False)
    required = models.BooleanField(_("required"), default=False)
    allows_na = models.BooleanField(_("offers “not applicable”"), default=False)
    # The item's weight within its indicator, and its effective weight in the overall index
    # (item × indicator × dimension weights, normalised); 0 for unscored items.
    weight = models.FloatField(_("weight"), default=1.0)
    overall_weight = models.FloatField(_("weight in the overall index"), default=0.0)

    class Meta:
        ordering = ["version_id", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="item_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"
