"""Results (检查结果) of the ordered items, in the item's canonical unit with the reference range used
and the abnormal flag, and each room's signature on its part of a visit.

Written only by :func:`carebridge.checkup.services.results.result_record`, which announces every result
(``domain.events.result_recorded``) so the critical-result rules can act in the same transaction.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import ResultFlag, ResultSource
from carebridge.checkup.domain.units import unit_label
from carebridge.checkup.models.catalogue import Item, Room
from carebridge.checkup.models.visits import VISIT_SCOPE, OrderedItem, Visit
from carebridge.core.scope import ScopeLookups


class Result(models.Model):
    """One result: the value as entered and as stored (canonical unit), the range and the flag."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="results")
    order = models.OneToOneField(OrderedItem, on_delete=models.CASCADE, related_name="result")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="results", verbose_name=_("item"))
    value_numeric = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    # Grade (``++``), ``positive``/``negative``, a finding's code, or free text.
    value_text = models.CharField(_("finding"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    entered_value = models.CharField(_("value as entered"), max_length=255, blank=True)
    entered_unit = models.CharField(_("unit as entered"), max_length=16, blank=True)
    ref_low = models.DecimalField(_("reference low"), max_digits=12, decimal_places=4, null=True, blank=True)
    ref_high = models.DecimalField(
        _("reference high"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    ref_text = models.CharField(_("reference range"), max_length=64, blank=True)
    flag = models.CharField(_("flag"), max_length=1, choices=ResultFlag.choices, default=ResultFlag.NORMAL)
    comment = models.TextField(_("comment"), blank=True)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.CharField(
        _("source"), max_length=8, choices=ResultSource.choices, default=ResultSource.ROOM
    )
    # HL7 MSH-10 + OBX, FHIR Observation id, file row: a re-delivery never duplicates a result.
    source_key = models.CharField(_("source key"), max_length=128, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["visit_id", "item__sequence", "id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        indexes = [models.Index(fields=["item", "visit"], name="checkup_result_item_idx")]

    def __str__(self) -> str:
        return f"{self.item} {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value_numeric is not None:
            text = f"{self.value_numeric:.{self.item.decimals}f}"
            return f"{text} {unit_label(self.unit)}".strip()
        if self.item.kind == "posneg":
            return str(_("positive") if self.value_text == "positive" else _("negative"))
        if self.item.kind == "coded":
            labels = {value.code: value.label for value in self.item.coded_values.all()}
            return labels.get(self.value_text, self.value_text)
        return self.value_text


class RoomSignoff(models.Model):
    """A room's doctor signs its part of a visit (a quality check before the chief examiner signs)."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="room_signoffs")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["visit_id", "room__sequence", "id"]
        verbose_name = _("room signature")
        verbose_name_plural = _("room signatures")
        constraints = [models.UniqueConstraint(fields=["visit", "room"], name="checkup_room_signoff_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.room}"
