"""Who may send to the interfaces, and how the senders' codes map onto the checkup catalogue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models import Item
from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups


class Sender(models.Model):
    """A system allowed to send HL7 v2 messages (HIS, LIS, PACS/RIS), known by its sending facility
    (MSH-4). Messages are filed as its system ``account``; a facility not listed here is refused."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="interop_senders")
    facility = models.CharField(_("sending facility (MSH-4)"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=64)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interop_senders",
        verbose_name=_("system account"),
    )
    mrn_system = models.CharField(
        _("MRN identifier system"), max_length=128, help_text=_("e.g. urn:carebridge:lxq-demo:mrn")
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["hospital_id", "facility"]
        verbose_name = _("sending system")
        verbose_name_plural = _("sending systems")

    def __str__(self) -> str:
        return f"{self.name} ({self.facility})"


class CodeMapping(models.Model):
    """A code of a sending system (a local code or LOINC, in its coding system) that stands for a
    catalogue item. Codes that equal the item's own local code or LOINC need no mapping."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="interop_code_mappings")
    system = models.CharField(_("coding system"), max_length=128)
    code = models.CharField(_("code"), max_length=64)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name=_("item"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["hospital_id", "system", "code"]
        verbose_name = _("code mapping")
        verbose_name_plural = _("code mappings")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "system", "code"], name="interop_code_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.code} → {self.item.code}"
