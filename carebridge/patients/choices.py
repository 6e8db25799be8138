"""Enumerations of the customer registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class CustomerClass(models.TextChoices):
    """The ten customer classes of the review (seed 003): patients first."""

    PATIENT = "patient", _("Patient")
    FAMILY = "family", _("Family member")
    PAYER = "payer", _("Insurer or employer")
    STAFF = "staff", _("Hospital staff")
    PEER = "peer", _("Peer institution")
    NEIGHBOUR = "neighbour", _("Neighbour or community")
    AUTHORITY = "authority", _("Supervising authority")
    MEDIA = "media", _("Media")
    SUPPLIER = "supplier", _("Supplier")
    PUBLIC = "public", _("General public")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    HOME = "home", pgettext_lazy("phone kind", "Home")
    WORK = "work", _("Work")
    FAMILY = "family", _("Family member")


class EncounterKind(models.TextChoices):
    OUTPATIENT = "outpatient", _("Outpatient visit")
    EMERGENCY = "emergency", _("Emergency visit")
    INPATIENT = "inpatient", _("Inpatient stay")
    CHECKUP = "checkup", _("Health checkup")


class SurgeryGrade(models.IntegerChoices):
    """手术分级 under the 2022 《医疗机构手术分级管理办法》."""

    GRADE_1 = 1, _("Grade 1 surgery")
    GRADE_2 = 2, _("Grade 2 surgery")
    GRADE_3 = 3, _("Grade 3 surgery")
    GRADE_4 = 4, _("Grade 4 surgery")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed the record")
    REVEAL = "reveal", _("Revealed identifiers")
    EXPORT = "export", _("Exported")
    MERGE = "merge", _("Merged or unmerged")


class AccessChannel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class RevealField(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    PHONES = "phones", _("Phone numbers")
