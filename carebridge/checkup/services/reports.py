"""Releasing the individual report "at the first moment" (第一时间, 篇6): a one-time link for the person's
phone (sent by SMS through the outbox when they consented to contact) and the release time recorded.

The link works like the survey links: a random token per release. Its first opening uses it up — that
browser keeps the report for ``SESSION_HOURS`` — so a forwarded or intercepted link shows nothing; a
new release (a new link) revokes the previous one. Links not opened expire after ``LINK_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.models import ReportRelease, Visit
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_of
from carebridge.checkup.services.visits import VISIT
from carebridge.core.masking import mask_phone
from carebridge.core.services.audit import audit_record
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.core.services.transitions import transition_apply
from carebridge.core.types import Actor

LINK_DAYS = 30
SESSION_HOURS = 12

# Why a link shows nothing: the public page names the reason (never whether the token exists).
USED, EXPIRED, REVOKED = "used", "expired", "revoked"


class ReportLinkRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def report_link(release: ReportRelease) -> str:
    return settings.CAREBRIDGE["PUBLIC_BASE_URL"] + reverse("checkup_report:report", args=[release.token])


def _primary_mobile(visit: Visit) -> str:
    phone = visit.patient.phones.order_by("-is_primary", "id").values_list("number", flat=True).first()
    return phone or ""


@transaction.atomic
def report_release(
    *, visit: Visit, actor: Actor, at: dt.datetime | None = None, send_sms: bool = True
) -> ReportRelease:
    """Release a signed visit's report (or issue a new link for a released one, revoking the old)."""
    require_permission(actor, "checkup.release_report", _("You are not allowed to release reports."))
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().select_related("patient").get(pk=visit.pk)
    if locked.status not in (VisitStatus.SIGNED, VisitStatus.RELEASED):
        raise ValidationError({"visit": [_("Only a signed report can be released.")]})
    ReportRelease.objects.filter(visit=locked, revoked_at__isnull=True, opened_at__isnull=True).update(
        revoked_at=now
    )
    phone = _primary_mobile(locked) if send_sms and locked.patient.contact_consent else ""
    release = ReportRelease.objects.create(
        visit=locked,
        token=secrets.token_urlsafe(32),
        released_at=now,
        released_by=user_of(actor),
        expires_at=now + dt.timedelta(days=LINK_DAYS),
        sent_to=phone,
    )
    if locked.status == VisitStatus.SIGNED:
        locked.released_at = now
        transition_apply(
            lifecycle=VISIT,
            obj=locked,
            to=VisitStatus.RELEASED,
            actor=actor,
            at=now,
            update_fields=["released_at"],
        )
    if phone:
        outbox_enqueue(
            kind="checkup.report_link",
            reference=f"checkup-report:{release.pk}",
            to=phone,
            text=_("Your checkup report is ready. Open it once on your phone: %(link)s")
            % {"link": report_link(release)},
        )
    delivered_to = mask_phone(phone) or _("printed")
    audit_record(
        actor=actor, action="checkup.report.release", obj=locked, summary=f"{locked.number} → {delivered_to}"
    )
    return release


@transaction.atomic
def report_open(*, token: str, at: dt.datetime | None = None) -> ReportRelease:
    """The person opens the link: the first time uses it up; refused when used, expired or revoked."""
    now = moment(at)
    release = ReportRelease.objects.select_for_update().select_related("visit").filter(token=token).first()
    if release is None:
        raise ReportLinkRefused("unknown")
    if release.revoked_at is not None:
        raise ReportLinkRefused(REVOKED)
    if release.opened_at is not None:
        raise ReportLinkRefused(USED)
    if release.expires_at <= now:
        raise ReportLinkRefused(EXPIRED)
    release.opened_at = now
    release.save(update_fields=["opened_at"])
    audit_record(actor=None, action="checkup.report.open", obj=release.visit, summary=release.visit.number)
    return release
