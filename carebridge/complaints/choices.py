"""Enumerations of complaints: channels, kinds, categories, severity and life cycle.

The complaint register is a regulatory record kept in Chinese (《医疗机构投诉管理办法》, 2019), so every
enumeration also carries its Chinese term (``*_TERMS``), used by the printed register and the Excel export
whatever the language of the screen.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in (现场)")
    PHONE = "phone", _("Phone (电话)")
    LETTER = "letter", _("Letter (信函)")
    ONLINE = "online", _("Online (网络)")
    HOTLINE_12320 = "hotline_12320", _("12320 health hotline (12320热线)")
    FOLLOWUP_CALL = "followup_call", _("Follow-up call (随访电话)")
    SURVEY = "survey", _("Satisfaction survey (满意度调查)")


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint (投诉)")
    COMPLIMENT = "compliment", _("Compliment (表扬)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")


class HcatDomain(models.TextChoices):
    """The three domains of the Healthcare Complaints Analysis Tool (Reader, Gillespie & Roberts 2014)."""

    CLINICAL = "clinical", _("Clinical")
    MANAGEMENT = "management", _("Management")
    RELATIONSHIPS = "relationships", _("Relationships")


class Category(models.TextChoices):
    ATTITUDE = "attitude", _("Service attitude (服务态度)")
    MEDICAL_QUALITY = "medical_quality", _("Medical quality (医疗质量)")
    NURSING = "nursing", _("Nursing (护理)")
    FEES = "fees", _("Fees and billing (费用)")
    WAITING = "waiting", _("Waiting time (等候时间)")
    ENVIRONMENT = "environment", _("Environment and facilities (环境)")
    COMMUNICATION = "communication", _("Communication (沟通)")
    ETHICS = "ethics", _("Medical ethics and conduct (医德医风)")
    OTHER = "other", _("Other (其他)")


CATEGORY_DOMAIN: dict[str, str] = {
    Category.ATTITUDE: HcatDomain.RELATIONSHIPS,
    Category.MEDICAL_QUALITY: HcatDomain.CLINICAL,
    Category.NURSING: HcatDomain.CLINICAL,
    Category.FEES: HcatDomain.MANAGEMENT,
    Category.WAITING: HcatDomain.MANAGEMENT,
    Category.ENVIRONMENT: HcatDomain.MANAGEMENT,
    Category.COMMUNICATION: HcatDomain.RELATIONSHIPS,
    # HCAT files bribery and misconduct under "respect and patient rights", a relationships problem.
    Category.ETHICS: HcatDomain.RELATIONSHIPS,
    Category.OTHER: HcatDomain.MANAGEMENT,
}

CATEGORY_TERMS: dict[str, str] = {
    Category.ATTITUDE: "服务态度",
    Category.MEDICAL_QUALITY: "医疗质量",
    Category.NURSING: "护理",
    Category.FEES: "费用",
    Category.WAITING: "等候时间",
    Category.ENVIRONMENT: "环境",
    Category.COMMUNICATION: "沟通",
    Category.ETHICS: "医德医风",
    Category.OTHER: "其他",
}


class Severity(models.IntegerChoices):
    """HCAT-like severity of what the complainant reports."""

    MINOR = 1, _("1 – minor (轻微)")
    MODERATE = 2, _("2 – moderate (一般)")
    SERIOUS = 3, _("3 – serious (严重)")
    CRITICAL = 4, _("4 – critical (重大)")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received (已受理)")
    ROUTED = "routed", _("Routed (已转办)")
    INVESTIGATING = "investigating", _("Investigating (调查中)")
    AWAITING_COMPLAINANT = "awaiting_complainant", _("Awaiting the complainant (待投诉人)")
    RESOLVED = "resolved", _("Resolved (已处理)")
    CONFIRMED = "confirmed", _("Confirmed by the complainant (已确认)")
    CLOSED = "closed", _("Closed (已结案)")


STATUS_TERMS: dict[str, str] = {
    ComplaintStatus.RECEIVED: "已受理",
    ComplaintStatus.ROUTED: "已转办",
    ComplaintStatus.INVESTIGATING: "调查中",
    ComplaintStatus.AWAITING_COMPLAINANT: "待投诉人",
    ComplaintStatus.RESOLVED: "已处理",
    ComplaintStatus.CONFIRMED: "已确认",
    ComplaintStatus.CLOSED: "已结案",
}
KIND_TERMS: dict[str, str] = {
    FeedbackKind.COMPLAINT: "投诉",
    FeedbackKind.COMPLIMENT: "表扬",
    FeedbackKind.SUGGESTION: "建议",
}
CHANNEL_TERMS: dict[str, str] = {
    Channel.WALK_IN: "现场",
    Channel.PHONE: "电话",
    Channel.LETTER: "信函",
    Channel.ONLINE: "网络",
    Channel.HOTLINE_12320: "12320",
    Channel.FOLLOWUP_CALL: "随访",
    Channel.SURVEY: "满意度调查",
}

# The life cycle (DESIGN §3): which status may follow which. Every change goes through
# ``services.transitions.complaint_transition``, which also checks the rules that depend on the case (a
# resolution before closing, a reason before reopening, notes before resolving …).
TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.RECEIVED: frozenset(
        {
            ComplaintStatus.ROUTED,
            ComplaintStatus.INVESTIGATING,
            ComplaintStatus.RESOLVED,  # on the spot (当场解决)
            ComplaintStatus.CLOSED,  # compliments and suggestions only: acknowledged and filed
        }
    ),
    ComplaintStatus.ROUTED: frozenset({ComplaintStatus.ROUTED, ComplaintStatus.INVESTIGATING}),
    ComplaintStatus.INVESTIGATING: frozenset(
        {
            ComplaintStatus.ROUTED,
            ComplaintStatus.AWAITING_COMPLAINANT,
            ComplaintStatus.RESOLVED,
        }
    ),
    ComplaintStatus.AWAITING_COMPLAINANT: frozenset({ComplaintStatus.INVESTIGATING}),
    ComplaintStatus.RESOLVED: frozenset(
        {
            ComplaintStatus.CONFIRMED,
            ComplaintStatus.CLOSED,
            ComplaintStatus.INVESTIGATING,  # reopen
        }
    ),
    ComplaintStatus.CONFIRMED: frozenset({ComplaintStatus.CLOSED, ComplaintStatus.INVESTIGATING}),
    ComplaintStatus.CLOSED: frozenset({ComplaintStatus.INVESTIGATING}),  # reopen, with a reason
}
OPEN_STATUSES: frozenset[str] = frozenset(
    {
        ComplaintStatus.RECEIVED,
        ComplaintStatus.ROUTED,
        ComplaintStatus.INVESTIGATING,
        ComplaintStatus.AWAITING_COMPLAINANT,
    }
)
# A case waiting for the complainant has its clock stopped: it is not late while it waits.
RUNNING_STATUSES: tuple[str, ...] = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.ROUTED,
    ComplaintStatus.INVESTIGATING,
)
# Moving back to "investigating" from these is a reopening: it needs a reason.
REOPENABLE: frozenset[str] = frozenset(
    {ComplaintStatus.RESOLVED, ComplaintStatus.CONFIRMED, ComplaintStatus.CLOSED}
)


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement (受理确认)")
    FEEDBACK = "feedback", _("Feedback to the complainant (反馈)")


DEADLINE_TERMS: dict[str, str] = {DeadlineKind.ACKNOWLEDGEMENT: "受理确认", DeadlineKind.FEEDBACK: "反馈"}


class RecoveryKind(models.TextChoices):
    """Service-recovery actions (服务补救)."""

    APOLOGY = "apology", _("Apology (道歉)")
    APOLOGY_VISIT = "apology_visit", _("Apology visit (登门致歉)")
    REISSUED_DOCUMENTS = "reissued_documents", _("Re-issued documents or films (补发资料/重新洗印胶片)")
    FEE_REFUND = "fee_refund", _("Fee refund (退费)")
    COMPENSATION = "compensation", _("Compensation (赔偿)")
    EXPEDITED_CARE = "expedited_care", _("Expedited care (优先安排诊疗)")
    STAFF_COUNSELLING = "staff_counselling", _("Staff counselling or training (员工约谈/培训)")
    OTHER = "other", _("Other (其他)")


class RootCause(models.TextChoices):
    """Root-cause category found by the investigation (根本原因)."""

    COMMUNICATION = "communication", _("Communication failure (沟通不足)")
    ATTITUDE = "attitude", _("Staff attitude (服务态度)")
    SKILL = "skill", _("Clinical skill or judgement (技术水平)")
    PROCESS = "process", _("Process or system (流程制度)")
    RESOURCES = "resources", _("Staffing or resources (人力资源不足)")
    FACILITIES = "facilities", _("Facilities and environment (设施环境)")
    BILLING = "billing", _("Billing error (收费差错)")
    EXPECTATIONS = "expectations", _("Patient expectations (患方期望)")
    MISCONDUCT = "misconduct", _("Misconduct (违规违纪)")
    NO_FAULT = "no_fault", _("No fault found (无过错)")
