"""Escalation to the supervisor (时限督办): a notification past its first-attempt or read-back target is
escalated once per target — an ``Escalation`` row (unique per notification and kind, so the beat task may
run twice, or two workers at once, without a second alert) and an SMS to the supervisors through the
outbox, sent after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.critical.choices import OPEN_STATUSES, EscalationKind
from carebridge.critical.models import Escalation, Notification
from carebridge.critical.services.attempts import department_heads, is_clinical

OUTBOX_KIND = "critical.escalation"


def supervisors_of(notification: Notification) -> list[Any]:
    """Who is told: for an inpatient's or outpatient's result, the top of the clinical ladder — the
    heads of the encounter's department (who may sign off); otherwise (or when the department has no
    head) the hospital's supervisors who may sign off notifications."""
    if is_clinical(notification):
        encounter = notification.visit.encounter
        heads = [
            staff.user
            for staff in department_heads(encounter.department if encounter else None)
            if staff.user is not None and staff.user.has_perm("critical.signoff_notification")
        ]
        if heads:
            return heads
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff__hospital_id=notification.hospital_id)
        .filter(
            Q(groups__permissions__codename="signoff_notification")
            | Q(user_permissions__codename="signoff_notification")
        )
        .select_related("staff")
        .distinct()
        .order_by("id")
    )
    return [u for u in users if u.has_perm("critical.signoff_notification")]


def _escalate(notification: Notification, kind: str, now: dt.datetime) -> Escalation | None:
    supervisors = supervisors_of(notification)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                notification=notification,
                kind=kind,
                at=now,
                supervisor=supervisors[0] if supervisors else None,
            )
    except IntegrityError:
        return None  # escalated already (another run of the task)
    text = _("Critical result overdue (%(kind)s): visit %(visit)s, class %(cls)s.") % {
        "kind": escalation.get_kind_display(),
        "visit": notification.visit.number,
        "cls": notification.severity,
    }
    for supervisor in supervisors:
        phone = getattr(getattr(supervisor, "staff", None), "phone", "")
        if phone:
            outbox_enqueue(
                kind=OUTBOX_KIND,
                reference=f"critical-escalation-{escalation.pk}-{supervisor.pk}",
                to=phone,
                text=text,
            )
    audit_record(actor=None, action="critical.notification.escalate", obj=notification, summary=kind)
    return escalation


@transaction.atomic
def notifications_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate every open notification past a target; returns how many escalations were created."""
    now = now or timezone.now()
    created = 0
    open_rows = Notification.objects.filter(status__in=OPEN_STATUSES).select_related(
        "visit__encounter__department"
    )
    no_attempt = open_rows.filter(first_attempt_at__isnull=True, first_attempt_due__lt=now).exclude(
        escalations__kind=EscalationKind.FIRST_ATTEMPT
    )
    for notification in no_attempt.order_by("id"):
        created += _escalate(notification, EscalationKind.FIRST_ATTEMPT, now) is not None
    no_read_back = open_rows.filter(read_back_due__lt=now).exclude(escalations__kind=EscalationKind.READ_BACK)
    for notification in no_read_back.order_by("id"):
        created += _escalate(notification, EscalationKind.READ_BACK, now) is not None
    return created
