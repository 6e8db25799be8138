"""Organisation (hospital, department, ward, staff), GB/T 2260 regions and the audit trail."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.choices import DepartmentKind, HospitalLevel, HospitalType, RegionLevel, StaffKind
from carebridge.core.scope import ScopeLookups

# Names GB/T 2260 uses for "the districts directly under the city"; they add nothing to an address.
_PLACEHOLDER_REGION_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class Region(models.Model):
    """An administrative division of GB/T 2260 (province, city or county), keyed by its six-digit code."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _FULL_NAMES.clear()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _FULL_NAMES.clear()
        return super().delete(*args, **kwargs)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.code[:4] + "00"

    @property
    def full_name(self) -> str:
        """``江苏省南京市鼓楼区``; callers should ``select_related("parent__parent")``."""
        parts: list[str] = []
        node: Region | None = self
        while node is not None:
            if node.name not in _PLACEHOLDER_REGION_NAMES:
                parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


# Full names of regions by code, kept per process: GB/T 2260 is reference data that changes with a new
# edition, not while the registry is in use, and a list page or API of patients would otherwise join three
# levels of regions on every row. A saved region clears it; it expires every ten minutes all the same (a
# region changed in another process, or bulk-loaded).
_FULL_NAMES: dict[str, str] = {}
_FULL_NAMES_TTL = 600.0
_full_names_since = [0.0]


def region_full_names(codes: Iterable[str | None]) -> dict[str, str]:
    """``{code: "江苏省南京市鼓楼区"}`` for these region codes: no query once each code was read once."""
    now = time.monotonic()
    if now - _full_names_since[0] > _FULL_NAMES_TTL:
        _FULL_NAMES.clear()
        _full_names_since[0] = now
    wanted = {code for code in codes if code}
    missing = wanted - _FULL_NAMES.keys()
    if missing:
        for region in Region.objects.filter(code__in=missing).select_related("parent__parent"):
            _FULL_NAMES[region.code] = region.full_name
    return {code: _FULL_NAMES[code] for code in wanted if code in _FULL_NAMES}


class Hospital(models.Model):
    """A hospital (one installation may serve a hospital group)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=8, choices=HospitalLevel.choices)
    type = models.CharField(
        _("type"), max_length=32, choices=HospitalType.choices, default=HospitalType.GENERAL
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        permissions = [("hospital_wide_scope", _("Can see the data of every department of the hospital"))]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (科室): clinical, medical-technical, nursing or administrative, in a tree."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="id")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="department_code_unique")]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An inpatient ward (病区) of a department."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="wards")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    beds = models.PositiveIntegerField(_("beds"), default=0)

    class Meta:
        ordering = ["department_id", "code"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="ward_code_unique")]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    """A member of staff; ``departments`` are the departments whose data the person may see (data scope)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    name = models.CharField(_("full name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=32, choices=StaffKind.choices)
    title = models.CharField(_("title"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    home_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("home department"),
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="scoped_staff", verbose_name=_("departments in scope")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return f"{self.name} {self.title}".strip()


class AuditEvent(models.Model):
    """One row per change of domain state, written by the service in the same transaction."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    # Field changes as {"field": [old, new]}; identifiers are stored masked.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class CalendarDay(models.Model):
    """A day whose working status an administrator sets by hand (法定节假日 or 调休上班日).

    It overrides the ``chinese-calendar`` package, and covers the years that package does not know yet
    (the State Council publishes next year's holidays each November).
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 国庆节 or 国庆调休上班"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
