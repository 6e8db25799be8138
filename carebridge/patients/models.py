"""The customer registry (客户档案): customers of every class, patients, phones, encounters, diagnoses,
merges of duplicate records, the patient access log, and the nightly data-quality report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.models import Department, Hospital, Region, Staff, Ward
from carebridge.patients.choices import (
    AccessAction,
    AccessChannel,
    CustomerClass,
    EncounterKind,
    PhoneKind,
    Sex,
    SurgeryGrade,
)


class Tag(models.Model):
    """A free label on a patient (VIP, 老年, 慢病, 外籍 …)."""

    name = models.CharField(_("name"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Patient(models.Model):
    """A patient: the main customer class. Identifiers are stored whole and shown masked."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField(_("medical record number"), max_length=32, db_index=True)
    name = models.CharField(_("full name"), max_length=64, db_index=True)
    # Pinyin initials of the name (张伟 → zw) so the desk can search with a Latin keyboard.
    name_initials = models.CharField(_("name initials"), max_length=16, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    national_id = models.CharField(_("national ID"), max_length=18, blank=True, db_index=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="patients", verbose_name=_("tags"))
    # PIPL Art. 29: separate consent for contact (follow-up calls) and for satisfaction surveys.
    contact_consent = models.BooleanField(_("consents to be contacted"), default=False)
    contact_consent_at = models.DateTimeField(_("contact consent given at"), null=True, blank=True)
    survey_consent = models.BooleanField(_("consents to surveys"), default=False)
    survey_consent_at = models.DateTimeField(_("survey consent given at"), null=True, blank=True)
    deceased_at = models.DateTimeField(_("deceased at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    source_key = models.CharField(_("source key"), max_length=128, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [models.UniqueConstraint(fields=["hospital", "mrn"], name="patient_mrn_unique")]
        indexes = [models.Index(fields=["birth_date", "name"], name="patient_birth_name_idx")]
        permissions = [
            ("reveal_identifiers", _("Can reveal a patient's full national ID and phone numbers")),
            ("merge_patient", _("Can merge and unmerge duplicate patient records")),
            ("export_patients", _("Can export the patient list")),
            ("view_registry_statistics", _("Can view aggregate registry statistics")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.mrn})"

    @property
    def masked_national_id(self) -> str:
        return mask_national_id(self.national_id)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class PatientPhone(models.Model):
    """A phone number of a patient or of a family member who answers for them."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=20, db_index=True)
    # The last four digits, indexed: the desk searches by "phone tail".
    tail = models.CharField(_("last four digits"), max_length=4, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PhoneKind.choices, default=PhoneKind.MOBILE)
    label = models.CharField(_("label"), max_length=32, blank=True, help_text=_("e.g. 女儿 (daughter)"))
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return self.masked

    @property
    def masked(self) -> str:
        return mask_phone(self.number)


class Customer(models.Model):
    """A customer who is not (only) a patient: family, payer, authority, media … (the review's 10 classes)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="customers")
    customer_class = models.CharField(_("customer class"), max_length=16, choices=CustomerClass.choices)
    name = models.CharField(_("name"), max_length=128)
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="related_customers",
        verbose_name=_("related patient"),
    )
    relationship = models.CharField(_("relationship to the patient"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_customer_class_display()})"


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


class PatientMerge(models.Model):
    """The merge of a duplicate record into a surviving one, with what moved, so it can be undone."""

    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_received")
    duplicate = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_given")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=255)
    # {"encounters": [ids], "phones": [ids], "primary_phones": [ids], "tags": [ids], "customers": [ids],
    #  "filled_fields": [names]}
    moved = models.JSONField(_("what moved"), default=dict)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True)
    unmerge_reason = models.CharField(_("unmerge reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("patient merge")
        verbose_name_plural = _("patient merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"


class PatientAccessLog(models.Model):
    """One row per view, reveal or export of a patient record (PIPL: every access is logged)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="access_log")
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=AccessChannel.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    fields = models.CharField(_("fields revealed"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("patient access log entry")
        verbose_name_plural = _("patient access log")
        indexes = [models.Index(fields=["patient", "-at"], name="access_patient_time_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.patient_id}"


class DataQualityReport(models.Model):
    """The nightly check of the registry (missing contacts, invalid IDs, probable duplicates …)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="quality_reports")
    run_at = models.DateTimeField(_("run at"), auto_now_add=True, db_index=True)
    patients = models.PositiveIntegerField(_("patients checked"))
    findings = models.JSONField(_("findings"), default=dict)
    broker = models.CharField(_("run by"), max_length=32, blank=True)

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("data-quality report")
        verbose_name_plural = _("data-quality reports")

    def __str__(self) -> str:
        return f"{self.hospital} {self.run_at:%Y-%m-%d}"
