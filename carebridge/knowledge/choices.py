"""Enumerations of the living dictionary (活字典)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An entry not verified for this many days is shown as stale.
STALE_AFTER_DAYS = 180


class EntryKind(models.TextChoices):
    """The kinds of entry the search index refers to, in the order results are grouped."""

    DEPARTMENT = "department", _("Department")
    DOCTOR = "doctor", _("Doctor")
    SERVICE = "service", _("Service")
    EXTERNAL = "external", _("External hospital")
    FAQ = "faq", _("FAQ")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class HalfDay(models.TextChoices):
    MORNING = "am", _("Morning (上午)")
    AFTERNOON = "pm", _("Afternoon (下午)")
    FULL_DAY = "full", _("Full day (全天)")


class ClinicType(models.TextChoices):
    GENERAL = "general", _("General clinic (普通门诊)")
    EXPERT = "expert", _("Expert clinic (专家门诊)")
    PREMIUM = "premium", _("Premium clinic (特需门诊)")
    DISEASE = "disease", _("Disease-specific clinic (专病门诊)")


class TreatmentApproach(models.TextChoices):
    """How a service treats: the desk offers non-surgical options to a patient who declines surgery."""

    SURGICAL = "surgical", _("Surgical")
    NON_SURGICAL = "non_surgical", _("Non-surgical")
    DIAGNOSTIC = "diagnostic", _("Examination or diagnosis")
    OTHER = "other", _("Other")


class FaqCategory(models.TextChoices):
    REGISTRATION = "registration", _("Registration (挂号)")
    INSURANCE = "insurance", _("Medical insurance (医保)")
    BILLING = "billing", _("Fees and payment (缴费)")
    TRANSPORT = "transport", _("Parking and transport (停车交通)")
    VISITING = "visiting", _("Visiting (探视)")
    RECORDS = "records", _("Records and certificates (病历证明)")
    EXAMINATION = "examination", _("Examinations and reports (检查报告)")
    INPATIENT = "inpatient", _("Admission and discharge (住出院)")
    OTHER = "other", _("Other")


class Proximity(models.IntegerChoices):
    """How close an external hospital is to the origin by GB/T 2260 region code (when distance is unknown)."""

    SAME_COUNTY = 0, _("Same district or county")
    SAME_CITY = 1, _("Same city")
    SAME_PROVINCE = 2, _("Same province")
    ELSEWHERE = 3, _("Elsewhere")
