"""The hospital's living dictionary (活字典): what the desk must know to answer any question.

Per hospital: the hospital's own profile (history, address, coordinates), department profiles, services
(offered here or not), doctors with their weekly clinic sessions, external hospitals for referral, and FAQ.
Every entry records when and by whom it was last verified; the search index (:class:`SearchToken`) is
kept by the services, never by ``save()``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.core.choices import HospitalLevel
from carebridge.core.models import Department, Hospital, Region, Staff
from carebridge.knowledge.choices import (
    STALE_AFTER_DAYS,
    ClinicType,
    EntryKind,
    FaqCategory,
    HalfDay,
    TreatmentApproach,
    Weekday,
)

_LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
_LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class VerifiedEntry(models.Model):
    """An entry of the dictionary: belongs to a hospital and says when someone last checked it."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, related_name="+", verbose_name=_("hospital")
    )
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    kind: str = ""

    class Meta:
        abstract = True

    @property
    def verified_days_ago(self) -> int | None:
        if self.last_verified_at is None:
            return None
        return max(0, (timezone.now() - self.last_verified_at) // dt.timedelta(days=1))

    @property
    def is_stale(self) -> bool:
        """Never verified, or not for :data:`STALE_AFTER_DAYS` days: the desk should re-check it."""
        days = self.verified_days_ago
        return days is None or days >= STALE_AFTER_DAYS


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
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=_LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=_LONGITUDE
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


class Service(VerifiedEntry):
    """A service, examination or treatment; ``offered_here`` false records one the hospital refers out."""

    kind = EntryKind.SERVICE
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_services",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=128)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("Other names patients use, separated by commas (碎石, ESWL …)."),
    )
    description = models.TextField(_("description"), blank=True)
    approach = models.CharField(
        _("approach"), max_length=16, choices=TreatmentApproach.choices, default=TreatmentApproach.OTHER
    )
    offered_here = models.BooleanField(_("offered here"), default=True)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("e.g. 本院暂无碎石设备，可转介外院")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="knowledge_service_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.name


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
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=_LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=_LONGITUDE
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


class Faq(VerifiedEntry):
    """A frequently asked question (常见问题) and the answer the desk gives."""

    kind = EntryKind.FAQ
    category = models.CharField(
        _("category"), max_length=16, choices=FaqCategory.choices, default=FaqCategory.OTHER
    )
    question = models.CharField(_("question"), max_length=255)
    answer = models.TextField(_("answer"))
    keywords = models.CharField(
        _("keywords"),
        max_length=255,
        blank=True,
        help_text=_("Extra words the question should be found by, separated by commas."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "question"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def __str__(self) -> str:
        return self.question

    @property
    def title(self) -> str:
        return self.question


class SearchToken(models.Model):
    """The search index: one row per (entry, token) with the token's weight in that entry.

    Written only by ``carebridge.knowledge.indexing`` when a service creates or changes an entry. A search
    is one ``SUM(weight × factor) GROUP BY entry ORDER BY score DESC`` over the query's tokens, the same
    SQL on SQLite and PostgreSQL.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    object_id = models.PositiveIntegerField(_("entry id"))
    token = models.CharField(_("token"), max_length=64)
    weight = models.FloatField(_("weight"))

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "token"], name="search_token_unique"),
        ]
        indexes = [models.Index(fields=["hospital", "token"], name="search_token_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.token} {self.weight}"
