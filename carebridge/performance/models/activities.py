"""Activities and campaigns (S0, 篇4 (6), 篇6 (五), 篇7 2.2.1/2.2.3): health lectures, free clinics,
public-welfare days, community service, 双创 tasks, media coverage and honours; the configurable calendar
of health days; photos and documents; people screened free of charge at an activity."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models import Visit
from carebridge.core.models import Department, Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.patients.models import Patient
from carebridge.performance.choices import ActivityKind
from carebridge.performance.models.staffing import HOSPITAL_SCOPE


class HealthDay(models.Model):
    """A health day of the calendar (世界防治结核病日 3-24 …), configurable per hospital."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    name = models.CharField(_("name"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "month", "day"]
        verbose_name = _("health day")
        verbose_name_plural = _("health days")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "month", "day", "name"], name="perf_health_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.month}-{self.day} {self.name}"


class Activity(models.Model):
    """One activity with what the seed counts: participants, attendees (人次), hours, materials, cost."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=16, choices=ActivityKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=128, blank=True)
    organiser = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    partner = models.CharField(_("partner authority"), max_length=128, blank=True)
    health_day = models.ForeignKey(
        HealthDay, on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
        verbose_name=_("health day"),
    )  # fmt: skip
    participants = models.PositiveIntegerField(_("staff taking part"), default=0)
    attendees = models.PositiveIntegerField(_("attendees (人次)"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=Decimal(0))
    boards = models.PositiveIntegerField(_("display boards"), default=0)
    banners = models.PositiveIntegerField(_("banners"), default=0)
    leaflets = models.PositiveIntegerField(_("leaflets"), default=0)
    prescriptions = models.PositiveIntegerField(_("health prescriptions"), default=0)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=10, decimal_places=2, default=Decimal(0))
    outlet = models.CharField(_("outlet or awarding body"), max_length=128, blank=True)
    effect = models.TextField(_("effect"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [
            (
                "view_standards_statistics",
                _("Can see the yearly statistics of training, activities and inspections"),
            )
        ]

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance: ActivityAttachment, filename: str) -> str:
    # Never the uploader's file name (it may carry a person's name).
    return (
        f"performance/activities/{instance.activity_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"
    )


class ActivityAttachment(models.Model):
    """A photo or document of an activity (type and size checked as complaint attachments are)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="activity__hospital")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("activity attachment")
        verbose_name_plural = _("activity attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Screening(models.Model):
    """A person screened free of charge at an activity, with consent; the results are a checkup visit's
    results (filed by ``checkup.services.results.result_record``), so abnormal ones are followed up by
    the checkup centre's ordinary review and after-care."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="activity__hospital")

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="screenings")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="+")
    consent_at = models.DateTimeField(_("consent given at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["activity_id", "id"]
        verbose_name = _("free screening")
        verbose_name_plural = _("free screenings")

    def __str__(self) -> str:
        return f"{self.activity} #{self.pk}"
