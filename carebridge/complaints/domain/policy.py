"""The hospital's complaint policy applied: time limits per case, the routing map, the office head.

Shared by the services (which store the deadlines) and the selectors (which show them, moving the due
dates of a case whose clock is stopped right now: an open pause ends "now" when displayed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group

from carebridge.complaints.choices import DeadlineKind, FeedbackKind
from carebridge.complaints.models import Complaint, ComplaintPause, ComplaintPolicy, RoutingRule
from carebridge.core.deadlines import Pause, Unit, WorkCalendar, due_at
from carebridge.core.models import Department, Hospital, Staff

# Where each category goes when the hospital has not set a routing rule: department codes of the demo
# hospital's offices (医患办 PREL, 护理部 NURS, 纪检监察室 DISC, 财务科 FIN); the rest go to 医患办.
DEFAULT_ROUTING_CODES: dict[str, str] = {
    "medical_quality": "PREL",
    "nursing": "NURS",
    "ethics": "DISC",
    "fees": "FIN",
    "attitude": "PREL",
    "waiting": "PREL",
    "environment": "PREL",
    "communication": "PREL",
    "other": "PREL",
}
DEFAULT_OFFICE_CODE = "PREL"


@dataclass(frozen=True)
class PolicyValues:
    feedback_working_days: int = 5
    feedback_working_days_multi: int = 10
    acknowledgement_working_days: int = 1
    default_office_id: int | None = None
    office_head_id: int | None = None


def policy_for(hospital_id: int) -> PolicyValues:
    """The hospital's policy, or the 2019 rules' defaults when the administrator has not set one."""
    policy = ComplaintPolicy.objects.filter(hospital_id=hospital_id).first()
    if policy is None:
        return PolicyValues()
    return PolicyValues(
        feedback_working_days=policy.feedback_working_days,
        feedback_working_days_multi=policy.feedback_working_days_multi,
        acknowledgement_working_days=policy.acknowledgement_working_days,
        default_office_id=policy.default_office_id,
        office_head_id=policy.office_head_id,
    )


def routing_office_for(*, hospital: Hospital, category: str) -> Department | None:
    """The office that handles ``category`` in ``hospital``: its routing rule, else the default office."""
    rule = RoutingRule.objects.filter(hospital=hospital, category=category).select_related("office").first()
    if rule is not None:
        return rule.office
    policy = policy_for(hospital.pk)
    if policy.default_office_id is not None:
        return Department.objects.get(pk=policy.default_office_id)
    return Department.objects.filter(hospital=hospital, code=DEFAULT_OFFICE_CODE).first()


def office_head_for(complaint: Complaint) -> Staff | None:
    """Who receives an escalation: the policy's office head, else a head of the responsible office."""
    policy = policy_for(complaint.hospital_id)
    if policy.office_head_id is not None:
        return Staff.objects.filter(pk=policy.office_head_id, is_active=True).first()
    office_id = complaint.responsible_office_id or policy.default_office_id
    if office_id is None:
        return None
    heads = Group.objects.filter(name="dept_head").values("user")
    return (
        Staff.objects.filter(home_department_id=office_id, is_active=True, user__in=heads)
        .order_by("pk")
        .first()
        or Staff.objects.filter(home_department_id=office_id, is_active=True, user__isnull=False)
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    working_days: int
    due: dt.datetime


def pauses_of(pauses: Iterable[ComplaintPause], *, now: dt.datetime) -> list[Pause]:
    return [Pause(start=p.started_at, end=p.ended_at or now) for p in pauses]


def deadline_specs(
    *,
    complaint: Complaint,
    department_count: int,
    pauses: Iterable[ComplaintPause],
    now: dt.datetime,
    calendar: WorkCalendar,
    policy: PolicyValues | None = None,
    zone: str = "Asia/Shanghai",
) -> list[DeadlineSpec]:
    """Every deadline of a case. Compliments and suggestions have none; complaints have the feedback
    deadline (5 working days, 10 when several departments are involved) and, unless switched off, the
    acknowledgement deadline; both are counted from receipt and stop while the case is paused."""
    if complaint.kind != FeedbackKind.COMPLAINT:
        return []
    policy = policy or policy_for(complaint.hospital_id)
    stops = pauses_of(pauses, now=now)
    wanted = []
    if policy.acknowledgement_working_days:
        wanted.append((DeadlineKind.ACKNOWLEDGEMENT, policy.acknowledgement_working_days))
    several = department_count > 1
    wanted.append(
        (
            DeadlineKind.FEEDBACK,
            policy.feedback_working_days_multi if several else policy.feedback_working_days,
        )
    )
    return [
        DeadlineSpec(
            kind=kind,
            working_days=days,
            due=due_at(
                start=complaint.received_at,
                amount=days,
                unit=Unit.WORKING_DAYS,
                zone=zone,
                pauses=stops,
                calendar=calendar,
            ),
        )
        for kind, days in wanted
    ]
