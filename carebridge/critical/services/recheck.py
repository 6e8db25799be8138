"""Closing the clinical loop: once the person has been reached, a recheck call is scheduled in the
follow-up call queue (a standalone touchpoint, ``followup.services.standalone``); its outcome — did they
see a doctor, was the finding confirmed — comes back here as the notification's ``Recheck``, from which
each rule's positive predictive value over time is computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.critical.choices import RecheckOutcome, Severity
from carebridge.critical.models import Notification, Recheck
from carebridge.followup.choices import StandaloneReason
from carebridge.followup.services.standalone import standalone_call_schedule

# The recheck call: a week after a class-A read-back, two weeks after class B (time to see a doctor).
RECHECK_AFTER: dict[str, dt.timedelta] = {Severity.A: dt.timedelta(days=7), Severity.B: dt.timedelta(days=14)}


def recheck_schedule(*, notification: Notification, actor: Any, at: dt.datetime) -> Any:
    """The recheck call for a notification just closed with a read-back (in the caller's transaction)."""
    items = "、".join(
        dict.fromkeys(
            f.rule.name for f in notification.findings.filter(is_current=True).select_related("rule")
        )
    )
    return standalone_call_schedule(
        patient=notification.patient,
        reason=StandaloneReason.CRITICAL_RECHECK,
        title=_("Recheck after a critical result: %(items)s") % {"items": items},
        origin=notification,
        origin_label=notification.visit.number,
        department=notification.department,
        due_at=at + RECHECK_AFTER[notification.severity],
        not_before=at + RECHECK_AFTER[notification.severity],
        rank=1 if notification.severity == Severity.A else 2,
        actor=actor,
        at=at,
    )


@transaction.atomic
def recheck_from_call(touchpoint: Any) -> None:
    """The outcome an agent recorded on the recheck call becomes the notification's recheck."""
    if touchpoint.origin_type_id != ContentType.objects.get_for_model(Notification).pk:
        return
    notification = Notification.objects.filter(pk=touchpoint.origin_id).first()
    if notification is None or touchpoint.recheck_outcome not in RecheckOutcome.values:
        return
    answer = (touchpoint.data or {}).get("recheck") or {}
    Recheck.objects.update_or_create(
        notification=notification,
        defaults={
            "outcome": touchpoint.recheck_outcome,
            "diagnosis": str(answer.get("finding", ""))[:255],
            "seen_on": None,
            "recorded_at": touchpoint.updated_at,
            "recorded_by": None,
        },
    )
