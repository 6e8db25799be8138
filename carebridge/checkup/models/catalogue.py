"""The catalogue (项目与套餐): rooms, items with their reference ranges and coded findings, packages.

An item is what a room measures or finds (a LOINC code where one exists, the centre's local code, the
Chinese name, one canonical UCUM unit); a package is a priced set of items for a sex and an age band
("1+X": a standard package plus add-on modules, or a package made for one person).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import ItemCategory, ItemKind, PackageKind, SexScope
from carebridge.core.models import Department, Hospital
from carebridge.core.scope import ScopeLookups


class Room(models.Model):
    """A room of the centre (检查室: blood draw, ultrasound, ECG …) with its own queue.

    ``stations`` is how many people it examines at once and ``service_minutes`` how long one person
    takes; together they give the expected wait the next-room suggestion compares."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_rooms")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="checkup_rooms", verbose_name=_("centre")
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    location = models.CharField(_("location"), max_length=64, blank=True)
    stations = models.PositiveSmallIntegerField(_("people examined at once"), default=1)
    service_minutes = models.PositiveSmallIntegerField(_("minutes per person"), default=5)
    sequence = models.PositiveSmallIntegerField(_("order on the guide sheet"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "sequence", "code"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="checkup_room_code_unique")]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A checkup item (检查项目): one analyte, measurement or finding, performed in one room."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="room__department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_items")
    code = models.CharField(_("local code"), max_length=32)
    loinc = models.CharField(_("LOINC"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    unit = models.CharField(_("unit (UCUM)"), max_length=16, blank=True)
    # The key for mass ↔ molar conversion (glucose, cholesterol, creatinine …): see domain.units.MOLAR.
    analyte = models.CharField(_("analyte for unit conversion"), max_length=24, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=2)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="items", verbose_name=_("room"))
    # Preparation codes (choices.Preparation): fasting, after a meal, full bladder, radiation …
    preparations = models.JSONField(_("preparation"), default=list, blank=True)
    sex = models.CharField(_("for"), max_length=3, choices=SexScope.choices, default=SexScope.ANY)
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2, default=0)
    # Key values get a trend chart on the report and in the health record.
    is_key = models.BooleanField(_("key value (trend)"), default=False)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "sequence", "code"]
        verbose_name = _("checkup item")
        verbose_name_plural = _("checkup items")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="checkup_item_code_unique")]
        indexes = [models.Index(fields=["hospital", "loinc"], name="checkup_item_loinc_idx")]

    def __str__(self) -> str:
        return self.name


class CodedValue(models.Model):
    """One allowed finding of a coded item (imaging, cytology: e.g. TCT's Bethesda categories)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="coded_values")
    code = models.CharField(_("code"), max_length=24)
    label = models.CharField(_("label"), max_length=128)
    is_abnormal = models.BooleanField(_("abnormal"), default=False)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item_id", "sequence", "id"]
        verbose_name = _("coded finding")
        verbose_name_plural = _("coded findings")
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="checkup_coded_value_unique")]

    def __str__(self) -> str:
        return self.label


class ReferenceRange(models.Model):
    """A reference range of an item for a sex and an age band ``[age_min, age_max)`` (years), in the
    item's canonical unit; grades give the highest normal grade instead."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ranges")
    sex = models.CharField(_("sex"), max_length=3, choices=SexScope.choices, default=SexScope.ANY)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("below age"), null=True, blank=True)
    low = models.DecimalField(_("low"), max_digits=12, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(_("high"), max_digits=12, decimal_places=4, null=True, blank=True)
    normal_grade = models.CharField(_("highest normal grade"), max_length=4, blank=True)
    text = models.CharField(_("as printed"), max_length=64, blank=True)

    class Meta:
        ordering = ["item_id", "sex", "age_min", "id"]
        verbose_name = _("reference range")
        verbose_name_plural = _("reference ranges")

    def __str__(self) -> str:
        return f"{self.item} {self.get_sex_display()} {self.low}–{self.high}"


class Package(models.Model):
    """A priced set of items (体检套餐): standard for a sex and age band, an add-on module ("X" of
    "1+X"), or personalised for one customer."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_packages")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PackageKind.choices, default=PackageKind.STANDARD
    )
    sex = models.CharField(_("for"), max_length=3, choices=SexScope.choices, default=SexScope.ANY)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("below age"), null=True, blank=True)
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)
    items = models.ManyToManyField(Item, related_name="packages", verbose_name=_("items"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "kind", "code"]
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="checkup_package_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
