"""The hospital's own profile and the department profiles (诊治范围, 特色技术, 设备, 位置)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital
from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.models.entries import LATITUDE, LONGITUDE, VerifiedEntry


class HospitalProfile(VerifiedEntry):
    """The hospital itself as the desk presents it: history, culture, address and its coordinates.

    The coordinates are the origin from which external hospitals are ranked "nearest first".
    """

    hospital = models.OneToOneField(
        Hospital, on_delete=models.PROTECT, related_name="knowledge_profile", verbose_name=_("hospital")
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("History, culture, special techniques and equipment.")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    phone = models.CharField(_("switchboard phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("hospital profile")
        verbose_name_plural = _("hospital profiles")

    def __str__(self) -> str:
        return str(self.hospital)


class DepartmentProfile(VerifiedEntry):
    """What a department (科室) does and where: scope of diagnosis and treatment, techniques, equipment."""

    kind = EntryKind.DEPARTMENT
    department = models.OneToOneField(
        Department, on_delete=models.PROTECT, related_name="knowledge_profile", verbose_name=_("department")
    )
    introduction = models.TextField(_("introduction"), blank=True)
    treatment_scope = models.TextField(
        _("diagnosis and treatment scope"),
        blank=True,
        help_text=_("Diseases and complaints the department sees (诊治范围)."),
    )
    special_techniques = models.TextField(_("special techniques"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    # The desk suggests these departments to a patient who declines surgery (推拿科, 中医科 …).
    non_surgical_option = models.BooleanField(
        _("non-surgical option"),
        default=False,
        help_text=_("Treats conservatively: suggested to patients who decline surgery."),
    )
    building = models.CharField(_("building"), max_length=64, blank=True)
    floor = models.CharField(_("floor"), max_length=16, blank=True)
    location = models.CharField(_("location"), max_length=128, blank=True, help_text=_("e.g. 门诊楼3楼东区"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["department__code"]
        verbose_name = _("department profile")
        verbose_name_plural = _("department profiles")

    def __str__(self) -> str:
        return str(self.department)

    @property
    def title(self) -> str:
        return self.department.name

    @property
    def place(self) -> str:
        return " ".join(part for part in (self.building, self.floor, self.location) if part)
