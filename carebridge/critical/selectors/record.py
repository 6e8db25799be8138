"""The record of a communication (critical-result notification) as the other pages show it: "communicated
to X at T by Y, read back" on the result, the visit, the individual report and the patient's timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.scope import restrict
from carebridge.critical.choices import NotificationStatus, Severity
from carebridge.critical.models import Finding, Notification


def person_label(user: Any) -> str:
    """A staff member's name for pages (never a login name)."""
    if user is None:
        return _("the system")
    staff = getattr(user, "staff", None)
    return (staff.name if staff is not None else "") or user.get_full_name() or _("a staff member")


@dataclass(frozen=True)
class Communication:
    notification_id: int
    visit_id: int
    at: dt.datetime
    title: str
    sentence: str
    read_back: bool
    result_ids: tuple[int, ...]


def communication_of(notification: Notification) -> Communication | None:
    """The sentence for a closed notification (read back, or signed off as unable to reach)."""
    findings = [f for f in notification.findings.all() if f.is_current]
    items = "、".join(dict.fromkeys(f.rule.name for f in findings))
    title = (
        _("Critical result communicated")
        if notification.severity == Severity.A
        else _("Important abnormal result communicated")
    )
    if notification.status == NotificationStatus.READ_BACK and notification.read_back_at:
        local = timezone.localtime(notification.read_back_at)
        sentence = _("Communicated to %(to)s at %(at)s by %(by)s, read back (%(items)s).") % {
            "to": notification.read_back_to or _("the person"),
            "at": f"{local:%Y-%m-%d %H:%M}",
            "by": person_label(notification.read_back_by),
            "items": items,
        }
        at = notification.read_back_at
    elif notification.status == NotificationStatus.UNREACHABLE and notification.closed_at:
        local = timezone.localtime(notification.closed_at)
        title = _("Critical result: unable to reach")
        sentence = _("Unable to reach after the full ladder; signed off at %(at)s by %(by)s (%(items)s).") % {
            "at": f"{local:%Y-%m-%d %H:%M}",
            "by": person_label(notification.signed_off_by),
            "items": items,
        }
        at = notification.closed_at
    else:
        return None
    return Communication(
        notification_id=notification.pk,
        visit_id=notification.visit_id,
        at=at,
        title=title,
        sentence=sentence,
        read_back=notification.status == NotificationStatus.READ_BACK,
        result_ids=tuple(f.result_id for f in findings),
    )


def _closed(queryset: Any) -> Iterable[Communication]:
    rows = (
        queryset.filter(status__in=(NotificationStatus.READ_BACK, NotificationStatus.UNREACHABLE))
        .select_related("read_back_by", "signed_off_by")
        .prefetch_related("findings__rule")
    )
    for notification in rows.order_by("-closed_at", "-id"):
        record = communication_of(notification)
        if record is not None:
            yield record


def communications_for_patient(*, patient: Any, user: Any) -> list[Communication]:
    return list(_closed(restrict(Notification.objects.filter(patient=patient), user)))[:20]


def communications_for_visit(*, visit: Any, user: Any) -> list[Communication]:
    return list(_closed(restrict(Notification.objects.filter(visit=visit), user)))


def communications_for_visit_report(*, visit: Any) -> list[Communication]:
    """For the individual report (its reader was already checked by the report's own page)."""
    return list(_closed(Notification.objects.filter(visit=visit)))


def unattempted_critical(visit: Any) -> int:
    """Open class-A notifications of the visit that nobody has yet tried to communicate."""
    return Notification.objects.filter(
        visit=visit, severity=Severity.A, status=NotificationStatus.NEW, first_attempt_at__isnull=True
    ).count()


def followed_result_ids(visit: Any) -> list[int]:
    """Results of the visit with a current finding in a notification that was not withdrawn."""
    return sorted(
        set(
            Finding.objects.filter(notification__visit=visit, is_current=True)
            .exclude(notification__status=NotificationStatus.WITHDRAWN)
            .values_list("result_id", flat=True)
        )
    )
