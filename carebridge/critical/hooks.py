"""What critical results registers with the rest of CareBridge; ``apps.CriticalConfig.ready()`` imports
this module.

- **Detection.** checkup's ``result_recorded`` (sent inside ``result_record``'s transaction) runs the
  rules, so a notification commits or rolls back with its result, whatever the result's source.
- **The chief examiner's signature.** ``signoff_checking``: a visit with a class-A notification that
  nobody has yet tried to communicate cannot be signed.
- **The visit, its results and the individual report.** ``visit_notes``: the same sentence.
- **Checkup's aftercare call.** ``aftercare_excluding``: the critical results are left out of it (they
  have their notification and recheck call).
- **The recheck call.** Its outcome, recorded in the follow-up call queue, becomes the notification's
  recheck (confirmed / not confirmed / not seen).
- **The patient timeline.** "Communicated to X at T by Y, read back" beside the person's other entries.
- **The shift handover and the agent's workspace.** An open notification escalated to the supervisor (a
  target missed) is carried to the next shift and listed among the workspace's open items of those who
  work or supervise the queue (through the desk's ``carryover`` and ``workitems`` registries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.checkup.domain.events import (
    VisitNote,
    aftercare_excluding,
    result_recorded,
    signoff_checking,
    visit_notes,
)
from carebridge.core.timeline import TimelineEntry
from carebridge.core.timeline import register as timeline_register
from carebridge.critical.models import Notification
from carebridge.critical.selectors.notifications import escalated_open
from carebridge.critical.selectors.record import (
    communications_for_patient,
    communications_for_visit,
    communications_for_visit_report,
    followed_result_ids,
    unattempted_critical,
)
from carebridge.critical.services.detection import result_evaluate
from carebridge.critical.services.recheck import recheck_from_call
from carebridge.followup.choices import StandaloneReason
from carebridge.followup.services.standalone import recheck_listener_register
from carebridge.frontdesk.choices import HandoverItemKind
from carebridge.frontdesk.domain.carryover import CarriedItem
from carebridge.frontdesk.domain.carryover import register as carryover_register
from carebridge.frontdesk.domain.workitems import WorkItem
from carebridge.frontdesk.domain.workitems import register as workitem_register

# The recheck call's outcome (follow-up queue) closes the clinical loop on the notification.
recheck_listener_register(StandaloneReason.CRITICAL_RECHECK, recheck_from_call)


@receiver(result_recorded, dispatch_uid="critical-result-evaluate")
def _evaluate(sender: Any, result: Any, created: bool, actor: Any = None, **kwargs: Any) -> None:
    result_evaluate(result=result, created=created, actor=actor)


@receiver(signoff_checking, dispatch_uid="critical-signoff-check")
def _signoff(sender: Any, visit: Any, **kwargs: Any) -> list[str]:
    count = unattempted_critical(visit)
    if not count:
        return []
    return [_("Class-A critical results not yet communicated: %(count)s.") % {"count": count}]


@timeline_register
def communication_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    for record in communications_for_patient(patient=patient, user=user):
        yield TimelineEntry(
            at=record.at,
            kind="critical",
            title=record.title,
            detail=record.sentence,
            icon="telephone-forward",
        )


@receiver(visit_notes, dispatch_uid="critical-visit-notes")
def _visit_notes(sender: Any, visit: Any, user: Any = None, **kwargs: Any) -> list[VisitNote]:
    """The record of each communication on the visit page, its results and the individual report."""
    records = (
        communications_for_visit_report(visit=visit)
        if user is None
        else communications_for_visit(visit=visit, user=user)
    )
    return [VisitNote(title=r.title, text=r.sentence, result_ids=r.result_ids) for r in records]


@receiver(aftercare_excluding, dispatch_uid="critical-aftercare-excluding")
def _aftercare_excluding(sender: Any, visit: Any, **kwargs: Any) -> list[int]:
    """The visit's critical results are followed up here (notification, recheck call), not twice."""
    return followed_result_ids(visit)


# --- the shift handover and the workspace ----------------------------------------------------------

_LIMIT = 50


def _escalated_text(notification: Notification) -> tuple[str, str]:
    title = (
        f"{notification.patient.name} · {notification.visit.number} · {notification.get_severity_display()}"
    )
    kinds = "、".join(str(e.get_kind_display()) for e in notification.escalations.all())
    detail = _("Escalated to the supervisor: %(kinds)s") % {"kinds": kinds}
    return title, detail


@carryover_register
def escalated_for_handover(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Open notifications past a target and escalated: the next shift must carry them."""
    for notification in escalated_open(hospital=hospital)[:_LIMIT]:
        title, detail = _escalated_text(notification)
        yield CarriedItem(
            kind=HandoverItemKind.CRITICAL,
            object_key=str(notification.pk),
            title=title,
            detail=detail,
            due=notification.due,  # type: ignore[attr-defined]
            url=reverse("critical:notification", args=[notification.pk]),
        )


@workitem_register
def escalated_for_workspace(user: Any, now: dt.datetime) -> Iterator[WorkItem]:
    """The escalated notifications in the user's scope, for those who work or supervise the queue."""
    if not (user.has_perm("critical.work_notification") or user.has_perm("critical.signoff_notification")):
        return
    for notification in escalated_open(user=user)[:_LIMIT]:
        title, detail = _escalated_text(notification)
        yield WorkItem(
            kind="critical",
            kind_label=str(HandoverItemKind.CRITICAL.label),
            title=title,
            detail=detail,
            due=notification.due,  # type: ignore[attr-defined]
            url=reverse("critical:notification", args=[notification.pk]),
            overdue=True,
        )
