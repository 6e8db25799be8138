"""Customers of the registry (客户档案): patients with their phones and tags, and customers of the other
classes (family, payers, authorities, media …)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.models import Hospital, Region
from carebridge.core.models.organisation import region_full_names
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.patients.choices import CustomerClass, PhoneKind, Sex


class Tag(models.Model):
    """A free label on a patient (VIP, 老年, 慢病, 外籍 …)."""

    name = models.CharField(_("name"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


def patient_scope_rule(scope: DataScope, user: Any) -> Q:
    """The patients a scope holds: those of its hospitals and, for a user scoped to departments, those
    with an encounter in one of them. Users who may register patients (the checkup centre) also find a
    record not yet seen anywhere, to record its first visit.

    "An encounter in one of them" reads the maintained patient–department link (``PatientDepartment``,
    one row per department that knows the patient) rather than every encounter, and "not yet seen" the
    patient's ``seen_anywhere`` column rather than ``NOT EXISTS`` over encounters (bench/run.py)."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is None:
        return condition
    links = apps.get_model("patients", "PatientDepartment")._default_manager
    seen_here = Q(pk__in=links.filter(department_id__in=scope.department_ids).values("patient_id"))
    if user.has_perm("patients.add_patient"):
        seen_here |= Q(seen_anywhere=False)
    return condition & seen_here


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
    # True once a department has seen the patient (an encounter): kept with ``PatientDepartment`` by the
    # registry's services, so "not yet seen anywhere" is a column test rather than an anti-join.
    seen_anywhere = models.BooleanField(_("seen in a department"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Visible to the departments that know the patient (DESIGN §3); see :func:`patient_scope_rule`.
    scope_lookups = ScopeLookups(rule=patient_scope_rule)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A loaded record saves every column but ``seen_anywhere``, which only the registry's link services
        write: a record loaded before its first encounter must not turn "seen" back into "unseen"."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            skipped = {"seen_anywhere", *self.get_deferred_fields()}  # as Django saves a deferred record
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)

    @property
    def region_name(self) -> str | None:
        """The region's full name (``江苏省南京市鼓楼区``): from the loaded region if there is one, else from
        the per-process names of regions, so a list needs no join to three levels of regions."""
        if self.region_id is None:
            return None
        if Patient.region.is_cached(self):
            return self.region.full_name if self.region else None
        return region_full_names([self.region_id]).get(self.region_id)

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
