"""Doctors as patients ask for them, and their weekly clinic sessions (出诊)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Staff
from carebridge.knowledge.choices import ClinicType, EntryKind, HalfDay, Weekday
from carebridge.knowledge.models.entries import VerifiedEntry


class Doctor(VerifiedEntry):
    """A doctor as patients ask for them: title, specialties (专长), introduction and clinic sessions."""

    kind = EntryKind.DOCTOR
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="knowledge_doctors", verbose_name=_("department")
    )
    staff = models.OneToOneField(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_doctor",
        verbose_name=_("staff record"),
    )
    name = models.CharField(_("name"), max_length=64)
    name_initials = models.CharField(_("name initials"), max_length=16, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=64, blank=True, help_text=_("e.g. 主任医师、教授"))
    specialties = models.TextField(_("specialties"), blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")

    def __str__(self) -> str:
        return f"{self.name} {self.title}".strip()


class ClinicSession(models.Model):
    """One weekly outpatient session (出诊) of a doctor: weekday, half-day, clinic type and room."""

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    half_day = models.CharField(_("half-day"), max_length=4, choices=HalfDay.choices)
    clinic_type = models.CharField(
        _("clinic type"), max_length=16, choices=ClinicType.choices, default=ClinicType.GENERAL
    )
    room = models.CharField(_("room"), max_length=64, blank=True)

    class Meta:
        ordering = ["weekday", "half_day"]
        verbose_name = _("clinic session")
        verbose_name_plural = _("clinic sessions")
        constraints = [
            models.UniqueConstraint(fields=["doctor", "weekday", "half_day"], name="clinic_session_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_half_day_display()} {self.get_clinic_type_display()}"
