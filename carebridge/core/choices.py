"""Enumerations of the organisation: hospital levels, department kinds, staff kinds, region levels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HospitalLevel(models.TextChoices):
    """The 三级/二级/一级 grading of Chinese hospitals, with 甲/乙/丙 grades."""

    GRADE_3A = "3A", _("Tertiary A (三级甲等)")
    GRADE_3B = "3B", _("Tertiary B (三级乙等)")
    GRADE_2A = "2A", _("Secondary A (二级甲等)")
    GRADE_2B = "2B", _("Secondary B (二级乙等)")
    GRADE_1 = "1", _("Primary (一级)")
    UNGRADED = "none", _("Ungraded")


class HospitalType(models.TextChoices):
    GENERAL = "general", _("General hospital")
    TCM = "tcm", _("Traditional Chinese medicine hospital")
    SPECIALTY = "specialty", _("Specialty hospital")
    MATERNAL_CHILD = "maternal_child", _("Maternal and child health hospital")
    COMMUNITY = "community", _("Community health centre")


class DepartmentKind(models.TextChoices):
    CLINICAL = "clinical", _("Clinical")
    MEDICAL_TECHNICAL = "medical_technical", _("Medical-technical")
    NURSING = "nursing", _("Nursing")
    ADMINISTRATIVE = "administrative", _("Administrative")


class StaffKind(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    AGENT = "agent", _("Customer-service agent")
    MANAGER = "manager", _("Manager")
    TECHNICIAN = "technician", _("Technician")
    ADMINISTRATOR = "administrator", _("Administrative staff")
    # An interface's account (the HIS, the LIS): it files messages, it is nobody a person can pick.
    SYSTEM = "system", _("System account")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class OutboxChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
