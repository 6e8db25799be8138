"""Other hospitals the desk may refer to (转介) when a service is not offered here."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.choices import HospitalLevel
from carebridge.core.models import Region
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.models.entries import LATITUDE, LONGITUDE, VerifiedEntry


class ExternalHospital(VerifiedEntry):
    """Another hospital the desk may refer to (转介) when a service is not offered here (the seed's 碎石)."""

    kind = EntryKind.EXTERNAL
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(
        _("level"), max_length=8, choices=HospitalLevel.choices, default=HospitalLevel.UNGRADED
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # 0–100: how well known the hospital is for what it offers; orders "best-known first".
    reputation = models.PositiveSmallIntegerField(
        _("reputation"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0–100; higher is better known."),
    )
    services_offered = models.TextField(
        _("services offered"), blank=True, help_text=_("Service names, one per line or separated by commas.")
    )
    specialties = models.TextField(_("specialties"), blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("external hospital")
        verbose_name_plural = _("external hospitals")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="knowledge_external_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.name
