"""Customers of the centre besides individuals: employer groups (团体客户) and other channels (insurers,
schools, township hospitals), their contracts with a package and price per employee class, the roster
imported from Excel, and the daily capacity that bookings respect."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import Channel, OccupationClass, RosterImportStatus, RosterMode, SexScope
from carebridge.checkup.models.catalogue import Package
from carebridge.core.models import Department, Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.patients.models import Patient


class EmployerGroup(models.Model):
    """An employer, insurer, school or township hospital that sends people (团检单位)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_groups")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="checkup_groups", verbose_name=_("centre")
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.EMPLOYER)
    occupation_class = models.CharField(
        _("occupation class"), max_length=20, choices=OccupationClass.choices, default=OccupationClass.OTHER
    )
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["hospital_id", "name", "id"]
        verbose_name = _("employer group")
        verbose_name_plural = _("employer groups")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="checkup_group_code_unique")]

    def __str__(self) -> str:
        return self.name


class GroupContract(models.Model):
    """One year's contract with a group: its period and, per employee class, the package and price."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="group__hospital", department="group__department"
    )

    group = models.ForeignKey(EmployerGroup, on_delete=models.PROTECT, related_name="contracts")
    name = models.CharField(_("name"), max_length=128)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group_id", "-starts_on", "id"]
        verbose_name = _("group contract")
        verbose_name_plural = _("group contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="checkup_contract_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.name}"


class ContractClass(models.Model):
    """An employee class of a contract (在职男, 在职女, 退休 …) with its package and price per person."""

    contract = models.ForeignKey(GroupContract, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("employee class"), max_length=64)
    sex = models.CharField(_("for"), max_length=3, choices=SexScope.choices, default=SexScope.ANY)
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, related_name="+", verbose_name=_("package")
    )
    price = models.DecimalField(_("price per person (yuan)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["contract_id", "id"]
        verbose_name = _("employee class")
        verbose_name_plural = _("employee classes")
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="checkup_contract_class_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RosterImport(models.Model):
    """One roster file: who imported it, how (all or nothing, or valid rows only), and the row-by-row
    report (``report``: one entry per row with its problems)."""

    contract = models.ForeignKey(GroupContract, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mode = models.CharField(_("mode"), max_length=8, choices=RosterMode.choices)
    status = models.CharField(_("status"), max_length=10, choices=RosterImportStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"))
    rows_imported = models.PositiveIntegerField(_("rows imported"))
    rows_rejected = models.PositiveIntegerField(_("rows with errors"))
    report = models.JSONField(_("row-by-row report"), default=list)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return self.file_name


class RosterMember(models.Model):
    """A person on a contract's roster, in one employee class."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="contract__group__hospital", department="contract__group__department"
    )

    contract = models.ForeignKey(GroupContract, on_delete=models.CASCADE, related_name="members")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="checkup_rosters")
    employee_class = models.ForeignKey(
        ContractClass, on_delete=models.PROTECT, related_name="members", verbose_name=_("employee class")
    )
    employee_no = models.CharField(_("employee number"), max_length=32, blank=True)
    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )

    class Meta:
        ordering = ["contract_id", "id"]
        verbose_name = _("roster member")
        verbose_name_plural = _("roster members")
        constraints = [
            models.UniqueConstraint(fields=["contract", "patient"], name="checkup_roster_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.patient.name} · {self.employee_class}"


class DayCapacity(models.Model):
    """How many visits the centre books on a day (without a row: ``DEFAULT_DAILY_CAPACITY``)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="checkup_capacity")
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        ordering = ["department_id", "date"]
        verbose_name = _("daily capacity")
        verbose_name_plural = _("daily capacities")
        constraints = [
            models.UniqueConstraint(fields=["department", "date"], name="checkup_day_capacity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.capacity}"
