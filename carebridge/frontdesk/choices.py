"""Enumerations of the desk's daily work: inquiries (咨询分诊), escorts (陪诊送诊) and shift handover (交班).

The escort life cycle is an explicit table (``ESCORT_TRANSITIONS``); every change goes through
``services.escorts.escort_transition``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InquiryChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in (现场)")
    PHONE = "phone", _("Phone (电话)")
    ONLINE = "online", _("Online / WeChat (网络/微信)")


class InquiryCategory(models.TextChoices):
    REGISTRATION = "registration", _("Registration (挂号)")
    DIRECTIONS = "directions", _("Directions and procedures (就诊指引)")
    RECOMMENDATION = "recommendation", _("Department or doctor advice (科室/医生推荐)")
    FEES = "fees", _("Fees and medical insurance (费用医保)")
    TESTS = "tests", _("Examinations and tests (检查检验)")
    INPATIENT = "inpatient", _("Admission and inpatient stay (住院)")
    RECORDS = "records", _("Certificates and record copies (证明/病历复印)")
    OTHER = "other", _("Other (其他)")


class Mobility(models.TextChoices):
    WALKING = "walking", _("Walking (步行)")
    WHEELCHAIR = "wheelchair", _("Wheelchair (轮椅)")
    STRETCHER = "stretcher", _("Stretcher (平车)")


class EscortStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested (待派)")
    ASSIGNED = "assigned", _("Assigned (已派)")
    UNDER_WAY = "under_way", _("Under way (陪送中)")
    DONE = "done", _("Done (已完成)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


# The escort life cycle: which status may follow which. "assigned → assigned" is a reassignment.
ESCORT_TRANSITIONS: dict[str, frozenset[str]] = {
    EscortStatus.REQUESTED: frozenset({EscortStatus.ASSIGNED, EscortStatus.CANCELLED}),
    EscortStatus.ASSIGNED: frozenset({EscortStatus.ASSIGNED, EscortStatus.UNDER_WAY, EscortStatus.CANCELLED}),
    EscortStatus.UNDER_WAY: frozenset({EscortStatus.DONE, EscortStatus.CANCELLED}),
    EscortStatus.DONE: frozenset(),
    EscortStatus.CANCELLED: frozenset(),
}
ESCORT_OPEN: frozenset[str] = frozenset(
    {EscortStatus.REQUESTED, EscortStatus.ASSIGNED, EscortStatus.UNDER_WAY}
)


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement (待接班)")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged (已接班)")


class HandoverItemKind(models.TextChoices):
    """What a handover carries. Later modules add kinds (e.g. unfinished follow-up calls) with a provider."""

    COMPLAINT = "complaint", _("Complaint near its deadline")
    ESCORT = "escort", _("Escort not finished")
    INQUIRY = "inquiry", _("Unanswered inquiry")
    CALL = "call", _("Unfinished call")
    CRITICAL = "critical", _("Critical result escalated")
    OTHER = "other", _("Other")


# The permission the page behind a handover item needs: the item links there only for users who have it
# (a complaint officer reads the handover but does not make follow-up calls).
HANDOVER_LINK_PERMISSIONS: dict[str, str] = {
    HandoverItemKind.COMPLAINT: "complaints.view_complaint",
    HandoverItemKind.ESCORT: "frontdesk.view_escort",
    HandoverItemKind.INQUIRY: "frontdesk.view_inquiry",
    HandoverItemKind.CALL: "followup.view_touchpoint",
    HandoverItemKind.CRITICAL: "critical.view_notification",
}
