"""Encounters (visits, inpatient stays, checkups) and their ICD-10 diagnoses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.scope import ScopeLookups
from carebridge.patients.choices import EncounterKind, SurgeryGrade
from carebridge.patients.models.patients import Patient


class Encounter(models.Model):
    """A contact with the hospital: outpatient or emergency visit, inpatient stay, or health checkup."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="encounters")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="encounters")
    kind = models.CharField(_("kind"), max_length=16, choices=EncounterKind.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="encounters", verbose_name=_("department")
    )
    ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="encounters",
        verbose_name=_("ward"),
    )
    attending_doctor = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attended_encounters",
        verbose_name=_("attending doctor"),
    )
    primary_nurse = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nursed_encounters",
        verbose_name=_("primary nurse"),
    )
    started_at = models.DateTimeField(_("admitted / visited at"))
    ended_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    surgery_grade = models.PositiveSmallIntegerField(
        _("surgery grade"), choices=SurgeryGrade.choices, null=True, blank=True
    )
    critical = models.BooleanField(_("critical condition"), default=False)
    source_key = models.CharField(_("source key"), max_length=128, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_lookups = ScopeLookups(hospital="hospital", department="department")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        indexes = [
            models.Index(fields=["department", "patient"], name="encounter_dept_patient_idx"),
            models.Index(fields=["patient", "-started_at"], name="encounter_patient_time_idx"),
            models.Index(fields=["department", "-started_at"], name="encounter_dept_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="encounter_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.department} {self.started_at:%Y-%m-%d}"

    @property
    def length_of_stay_days(self) -> int | None:
        if self.ended_at is None:
            return None
        return (self.ended_at.date() - self.started_at.date()).days


class Diagnosis(models.Model):
    """An ICD-10 diagnosis of an encounter; chapter and category are kept for classification queries."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField(_("ICD-10 code"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=128)
    category = models.CharField(_("ICD-10 category"), max_length=3, db_index=True)
    chapter = models.PositiveSmallIntegerField(_("ICD-10 chapter"), db_index=True)
    is_primary = models.BooleanField(_("primary diagnosis"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PatientDepartment(models.Model):
    """A department that knows a patient: it has recorded at least one encounter of theirs (derived data,
    maintained by ``services.departments``: never written by hand). Department-scoped users see the
    patients linked to their departments (``patient_scope_rule``), an indexed semi-join however many
    encounters there are."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("department that knows a patient")
        verbose_name_plural = _("departments that know a patient")
        constraints = [
            models.UniqueConstraint(fields=["department", "patient"], name="patient_department_unique")
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} @ {self.department_id}"
