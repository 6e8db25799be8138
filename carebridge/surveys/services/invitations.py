"""The invitation life cycle: tokens and links, sending by SMS, reminders, expiry, delivery reports.

Each invitee of a wave has one :class:`Invitation` with a random token (one response per token). Every
change of its status goes through :func:`invitation_transition`, which refuses what
``INVITATION_TRANSITIONS`` (``choices.py``) does not allow and writes an ``InvitationTransition`` row
(``transition_apply`` of the core life cycle service); the answering pages call it for "opened" and
"completed" too. Those rows are the invitation's audit trail: they are written by machines (the
sender, the gateway's reports, the answering page), so no per-row ``AuditEvent`` is added — people's
actions (do-not-contact, withdrawals) write one.

Sending (:func:`invitation_send`, run by the Celery beat every few minutes) claims one due invitation
at a time under a row lock, checks every rule again at that moment — timing window, quiet hours, still
in treatment, consent, death, do-not-contact, the 30-day cap — and only then writes a ``Message``
(phone masked) and puts the text in the core outbox, which hands it to the gateway after the transaction
commits and retries a refusal; the result comes back through ``hooks.py``
(:func:`message_record_result`). An invitation refused at send time is withdrawn and counted as an
``Exclusion`` of the wave with its reason; one that falls in quiet hours waits until they end.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import Counter
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.messaging import MessageResult
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.core.services.transitions import Lifecycle, transition_apply
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.lib.text import is_digits
from carebridge.surveys.choices import (
    ANSWERABLE,
    INVITATION_TRANSITIONS,
    Channel,
    ExclusionReason,
    InvitationStatus,
    MessageKind,
    MessageStatus,
    WaveStatus,
)
from carebridge.surveys.domain.instruments import localised
from carebridge.surveys.domain.timing import (
    Refusal,
    first_send_time,
    in_quiet_hours,
    latest_send,
    send_refusal,
)
from carebridge.surveys.models import Exclusion, Invitation, InvitationTransition, Message
from carebridge.surveys.selectors.population import Candidate, candidate_for, load_screen, rules_for

log = logging.getLogger(__name__)

S = InvitationStatus
INVITATION_LIFECYCLE: Lifecycle[Invitation] = Lifecycle(
    record=InvitationTransition,
    subject="invitation",
    moves=INVITATION_TRANSITIONS,
    choices=InvitationStatus,
)
# Invitations a reminder may still go to: sent, and not answered, expired or withdrawn.
REMINDABLE = frozenset({S.SENT, S.DELIVERED, S.OPENED})


def new_token() -> str:
    """A fresh random token: 24 bytes, 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


def invitation_url(invitation: Invitation) -> str:
    """The public link of an invitation, printed in SMS and encoded in QR codes."""
    return f"{settings.CAREBRIDGE['PUBLIC_BASE_URL']}/s/{invitation.token}/"


def _label(status: str) -> str:
    return str(InvitationStatus(status).label) if status in InvitationStatus.values else status


@transaction.atomic
def invitation_transition(
    *,
    invitation: Invitation,
    to: str,
    reason: str = "",
    at: dt.datetime | None = None,
    actor: Actor | None = None,
) -> Invitation:
    """Move an invitation to ``to``, or refuse with a ``ValidationError`` (nothing changes).

    Moving to the status it already has changes nothing and writes no row, so a page opened twice or a
    delivery report received twice is harmless. Sets ``sent_at``, ``opened_at`` and ``completed_at``.
    ``actor`` is None for the machines (sender, gateway reports, answering page).
    """
    at = timezone.now() if at is None else require_aware(at, field="at")
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    current = locked.status
    if to == current:
        return locked
    if to not in INVITATION_LIFECYCLE.allowed(locked):
        raise ValidationError(
            {
                "to": [
                    _("An invitation that is “%(current)s” cannot become “%(to)s”.")
                    % {"current": _label(current), "to": _label(to)}
                ]
            }
        )
    if to == S.SENT:
        locked.sent_at = at
    elif to == S.OPENED:
        locked.opened_at = locked.opened_at or at
    elif to == S.COMPLETED:
        locked.completed_at = at
        locked.opened_at = locked.opened_at or at
    transition_apply(
        lifecycle=INVITATION_LIFECYCLE,
        obj=locked,
        to=to,
        actor=actor,
        reason=reason,
        at=at,
        update_fields=["sent_at", "opened_at", "completed_at"],
    )
    for name in ("status", "sent_at", "opened_at", "completed_at"):
        setattr(invitation, name, getattr(locked, name))
    return locked


def _gateway_name() -> str:
    config: Any = settings.CAREBRIDGE["SMS"]
    return str(config["BACKEND"])


# --- Text of the messages -----------------------------------------------------------------------------


def message_text(invitation: Invitation, *, kind: str) -> str:
    """The SMS, always in Chinese (the patients' language, whatever the sender's screen language)."""
    wave = invitation.wave
    title = localised(wave.version.definition.get("title"), "zh-hans") or wave.version.instrument.name
    expires = timezone.localtime(invitation.expires_at, rules_for(wave).tz)
    values = {
        "hospital": wave.hospital.name,
        "title": title,
        "url": invitation_url(invitation),
        "expires": f"{expires.month}月{expires.day}日",
    }
    with translation.override("zh-hans"):
        if kind == MessageKind.REMINDER:
            text = _(
                "[%(hospital)s] A reminder: your answers to “%(title)s” would help us improve. "
                "Link: %(url)s (valid until %(expires)s)."
            )
        else:
            text = _(
                "[%(hospital)s] You are invited to the “%(title)s”; it takes about five minutes and your "
                "answers stay confidential. Link: %(url)s (valid until %(expires)s)."
            )
        return text % values


# --- Sending ------------------------------------------------------------------------------------------


def _withdraw(invitation: Invitation, *, reason: str, at: dt.datetime) -> None:
    """Refuse an invitation at send time and count the refusal on the wave."""
    invitation_transition(
        invitation=invitation, to=S.WITHDRAWN, reason=str(ExclusionReason(reason).label), at=at
    )
    Exclusion.objects.create(
        wave_id=invitation.wave_id,
        patient_id=invitation.patient_id,
        staff_id=invitation.staff_id,
        customer_id=invitation.customer_id,
        reason=reason,
    )


# The outbox kind of survey SMS (invitations and reminders); ``hooks.py`` records their results.
OUTBOX_KIND = "surveys.invitation"
_REFERENCE = "survey-"


def message_reference(message: Message) -> str:
    """The outbox reference of a survey SMS: one outbox row per ``Message`` (``survey-<kind>-<id>``)."""
    return f"{_REFERENCE}{message.kind}-{message.pk}"


def message_id_of(reference: str) -> int | None:
    """The ``Message`` id of an outbox reference written by :func:`message_reference`, else None."""
    head, _, tail = reference.rpartition("-")
    return int(tail) if head.startswith(_REFERENCE) and is_digits(tail) else None


def _queue_message(invitation: Invitation, *, kind: str, to: str, now: dt.datetime) -> Message:
    """Write the ``Message`` (phone masked) and put the SMS in the outbox, in the caller's transaction:
    it is handed to the gateway after commit, retried when refused, and its result comes back through
    :func:`message_record_result`."""
    text = message_text(invitation, kind=kind)
    message = Message.objects.create(
        invitation=invitation,
        kind=kind,
        to_masked=mask_phone(to),
        text=text,
        backend=_gateway_name(),
        status=MessageStatus.QUEUED,
    )
    outbox_enqueue(kind=OUTBOX_KIND, reference=message_reference(message), to=to, text=text)
    return message


def _claim(invitation_id: int, statuses: frozenset[str] | set[str]) -> Invitation | None:
    """Lock one invitation for this worker (others skip it), if it still has one of ``statuses``."""
    return (
        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related(
            "wave__hospital", "wave__version__instrument", "encounter", "patient", "staff", "stratum"
        )
        .filter(pk=invitation_id, status__in=statuses)
        .first()
    )


def _person_refusal(invitation: Invitation, candidate: Candidate, *, now: dt.datetime) -> str | None:
    wave = invitation.wave
    screen = load_screen(
        hospital=wave.hospital,
        candidates=[candidate],
        now=now,
        rules=rules_for(wave),
        sent_only=True,
        ignore_invitation=invitation.pk,
    )
    return screen.refusal(candidate, planned=now)


@transaction.atomic
def invitation_send(*, invitation_id: int, now: dt.datetime | None = None) -> str:
    """Send one due SMS invitation if every rule allows it now; returns what happened.

    ``"sent"``, ``"postponed"`` (quiet hours: ``send_after`` moves to their end), ``"skipped"`` (not
    due, not SMS, wave not open, or claimed by another worker), or ``"withdrawn:<reason>"``.
    """
    now = now or timezone.now()
    invitation = _claim(invitation_id, {S.PENDING})
    if invitation is None or invitation.channel != Channel.SMS or invitation.send_after > now:
        return "skipped"
    wave = invitation.wave
    if wave.status != WaveStatus.OPEN:
        return "skipped"
    if quota_met(invitation):
        _withdraw(invitation, reason=ExclusionReason.QUOTA_MET, at=now)
        return f"withdrawn:{ExclusionReason.QUOTA_MET}"
    rules = rules_for(wave)
    candidate = candidate_for(invitation)
    refusal = send_refusal(at=now, discharged_at=candidate.reference_at, rules=rules)
    if refusal in (Refusal.QUIET_HOURS, Refusal.TOO_EARLY):
        later = first_send_time(not_before=now, discharged_at=candidate.reference_at, rules=rules)
        if later is not None:
            invitation.send_after = later
            invitation.save(update_fields=["send_after"])
            return "postponed"
        refusal = Refusal.TOO_LATE
    reason = (
        ExclusionReason.OUTSIDE_WINDOW
        if refusal == Refusal.TOO_LATE
        else _person_refusal(invitation, candidate, now=now)
    )
    if reason is None and not candidate.mobile:
        reason = ExclusionReason.NO_CONTACT_ROUTE
    if reason is not None:
        _withdraw(invitation, reason=reason, at=now)
        return f"withdrawn:{reason}"
    invitation.expires_at = now + dt.timedelta(days=wave.invitation_valid_days)
    invitation.save(update_fields=["expires_at"])
    invitation_transition(
        invitation=invitation, to=S.SENT, reason=_("Invitation SMS handed to the gateway"), at=now
    )
    _queue_message(invitation, kind=MessageKind.INVITATION, to=candidate.mobile, now=now)
    return "sent"


def quota_met(invitation: Invitation) -> bool:
    """Whether the invitation's stratum already has the responses its quota asks for (then no more
    invitations or reminders go out for it: the quota is what the wave wanted, not a floor)."""
    stratum = invitation.stratum
    if stratum is None or stratum.quota is None:
        return False
    answered = Invitation.objects.filter(stratum=stratum, status=S.COMPLETED).count()
    return answered >= stratum.quota


def invitations_send_due(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send the due SMS invitations of open waves (oldest first); counts of what happened to each."""
    now = now or timezone.now()
    due = (
        Invitation.objects.filter(
            status=S.PENDING, channel=Channel.SMS, send_after__lte=now, wave__status=WaveStatus.OPEN
        )
        .order_by("send_after", "id")
        .values_list("id", flat=True)[:limit]
    )
    outcomes: Counter[str] = Counter()
    for invitation_id in list(due):
        outcomes[invitation_send(invitation_id=invitation_id, now=now)] += 1
    return dict(outcomes)


# --- Reminders ----------------------------------------------------------------------------------------


def _reminder_due_at(invitation: Invitation) -> dt.datetime | None:
    days = [int(d) for d in invitation.wave.reminder_days or []]
    if invitation.sent_at is None or invitation.reminders_sent >= len(days):
        return None
    return invitation.sent_at + dt.timedelta(days=days[invitation.reminders_sent])


@transaction.atomic
def invitation_remind(*, invitation_id: int, now: dt.datetime | None = None) -> str:
    """Send the next reminder of an unanswered SMS invitation if it is due and every rule allows it.

    ``"reminded"``, ``"waiting"`` (quiet hours or still in treatment: the next run tries again) or
    ``"skipped"`` (not due, answered, expired, out of the timing window, or no longer reachable).
    """
    now = now or timezone.now()
    invitation = _claim(invitation_id, REMINDABLE)
    if invitation is None or invitation.channel != Channel.SMS or invitation.expires_at <= now:
        return "skipped"
    wave = invitation.wave
    due = _reminder_due_at(invitation)
    if wave.status != WaveStatus.OPEN or due is None or due > now or quota_met(invitation):
        return "skipped"
    rules = rules_for(wave)
    candidate = candidate_for(invitation)
    if in_quiet_hours(now, rules=rules):
        return "waiting"
    if candidate.reference_at is not None and now > latest_send(
        discharged_at=candidate.reference_at, rules=rules
    ):
        return "skipped"
    refusal = _person_refusal(invitation, candidate, now=now)
    if refusal == ExclusionReason.IN_TREATMENT:
        return "waiting"
    if refusal is not None or not candidate.mobile:
        return "skipped"
    invitation.reminders_sent += 1
    invitation.last_reminder_at = now
    invitation.save(update_fields=["reminders_sent", "last_reminder_at"])
    _queue_message(invitation, kind=MessageKind.REMINDER, to=candidate.mobile, now=now)
    return "reminded"


def invitations_remind_due(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send the reminders that are due (per the wave's ``reminder_days`` after the invitation was sent)."""
    now = now or timezone.now()
    pending = (
        Invitation.objects.filter(
            status__in=REMINDABLE,
            channel=Channel.SMS,
            expires_at__gt=now,
            sent_at__isnull=False,
            wave__status=WaveStatus.OPEN,
        )
        .exclude(wave__reminder_days=[])
        .select_related("wave")
        .only("id", "sent_at", "reminders_sent", "wave__reminder_days")
        .order_by("sent_at", "id")
    )
    outcomes: Counter[str] = Counter()
    for invitation in pending.iterator(chunk_size=500):
        due = _reminder_due_at(invitation)
        if due is None or due > now:
            continue
        outcomes[invitation_remind(invitation_id=invitation.pk, now=now)] += 1
        if sum(outcomes.values()) >= limit:
            break
    return dict(outcomes)


# --- Expiry -------------------------------------------------------------------------------------------


@transaction.atomic
def invitations_expire(*, now: dt.datetime | None = None) -> int:
    """Expire every answerable invitation whose time is up; returns how many. An expired token answers
    nothing. Idempotent: a second run finds nothing left to expire."""
    now = now or timezone.now()
    rows = list(
        Invitation.objects.select_for_update(skip_locked=True)
        .filter(status__in=ANSWERABLE, expires_at__lte=now)
        .values_list("id", "status")
    )
    if not rows:
        return 0
    Invitation.objects.filter(pk__in=[pk for pk, _status in rows]).update(status=S.EXPIRED)
    reason = _("The invitation's validity ended")
    InvitationTransition.objects.bulk_create(
        cast(
            InvitationTransition,
            INVITATION_LIFECYCLE.row(
                Invitation(pk=pk), from_status=status, to_status=S.EXPIRED, actor=None, at=now, reason=reason
            ),
        )
        for pk, status in rows
    )
    return len(rows)


# --- Gateway results and delivery reports -------------------------------------------------------------


@transaction.atomic
def message_record_result(*, message_id: int, result: MessageResult) -> Message:
    """Store what the gateway answered when the message was handed over (once; later calls change nothing)."""
    message = Message.objects.select_for_update().select_related("invitation").get(pk=message_id)
    if message.status != MessageStatus.QUEUED:
        return message
    now = timezone.now()
    message.backend = result.backend[:32]
    message.provider_id = result.provider_id[:64]
    message.status = MessageStatus.SENT if result.accepted else MessageStatus.FAILED
    message.error = result.error[:255]
    message.sent_at = now if result.accepted else None
    message.save(update_fields=["backend", "provider_id", "status", "error", "sent_at"])
    if not result.accepted and message.kind == MessageKind.INVITATION and message.invitation.status == S.SENT:
        invitation_transition(
            invitation=message.invitation, to=S.FAILED, reason=_("The gateway refused the message"), at=now
        )
    return message


# A report may only move a message forward; delivered and failed are final.
_MESSAGE_ORDER = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENT: 1,
    MessageStatus.DELIVERED: 2,
    MessageStatus.FAILED: 2,
}


@transaction.atomic
def message_status_update(
    *, provider_id: str, status: str, at: dt.datetime | None = None, error: str = ""
) -> Message:
    """Apply a gateway delivery report to the message it refers to.

    Raises ``Message.DoesNotExist`` for an unknown id. Idempotent: a repeated or out-of-order report
    (``sent`` after ``delivered``) changes nothing. A delivered invitation becomes "delivered"; a failed
    invitation SMS makes the invitation "failed" unless it has been opened or answered already.
    """
    if status not in (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED):
        raise ValidationError({"status": [_("Unknown delivery status: %(status)s.") % {"status": status}]})
    at = timezone.now() if at is None else require_aware(at, field="at")
    message = (
        Message.objects.select_for_update()
        .select_related("invitation")
        .filter(provider_id=provider_id)
        .exclude(provider_id="")
        .order_by("-id")
        .first()
    )
    if message is None:
        raise Message.DoesNotExist(provider_id)
    if _MESSAGE_ORDER[MessageStatus(status)] <= _MESSAGE_ORDER[MessageStatus(message.status)]:
        return message
    message.status = status
    if status == MessageStatus.DELIVERED:
        message.delivered_at = at
    if status == MessageStatus.FAILED:
        message.error = error[:255] or message.error
    message.save(update_fields=["status", "delivered_at", "error"])
    invitation = message.invitation
    if status == MessageStatus.DELIVERED and invitation.status in (S.SENT, S.FAILED):
        invitation_transition(invitation=invitation, to=S.DELIVERED, reason=_("Delivery confirmed"), at=at)
    elif (
        status == MessageStatus.FAILED
        and message.kind == MessageKind.INVITATION
        and invitation.status in (S.SENT, S.DELIVERED)
        and S.FAILED in INVITATION_LIFECYCLE.allowed(invitation)
    ):
        invitation_transition(
            invitation=invitation, to=S.FAILED, reason=error[:255] or _("Delivery failed"), at=at
        )
    return message
