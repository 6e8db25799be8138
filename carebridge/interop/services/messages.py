"""Receiving HL7 v2 messages: one call per message, returning the ACK to send.

The contract with the sender (issue #12): ``AA`` only after the message and everything it filed have
committed — the ACK is built from the committed row, after the transaction has ended, and a failure
anywhere (including the commit itself) leaves nothing filed and answers ``AE`` or nothing at all; ``AE``
with an ERR segment for what the sender must fix (unknown patient, item or unit); ``AR`` for what
cannot be parsed or is not supported; and a message re-sent with the same sending facility + MSH-10
gets the ACK it got the first time and files nothing again.

Every message is kept in :class:`InboundMessage`, failed ones too (the dead-letter list), so that they
can be replayed after the mapping is fixed (:func:`message_replay`; a failed FHIR Bundle too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import hl7
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_record
from carebridge.core.types import Actor
from carebridge.interop.choices import ACK_STATUS, DEAD_LETTER, MESSAGE_MOVES, AckCode, Channel, MessageStatus
from carebridge.interop.domain import hl7v2
from carebridge.interop.domain.records import IntakeError, Unsupported
from carebridge.interop.models import InboundMessage, MessageTransition, Sender
from carebridge.interop.services.fhir import bundle_replay
from carebridge.interop.services.filing import Effect, adt_file, results_file

logger = logging.getLogger(__name__)

MESSAGE_LIFECYCLE: Lifecycle[InboundMessage] = Lifecycle(
    record=MessageTransition, subject="message", moves=MESSAGE_MOVES, choices=MessageStatus
)
SUPPORTED = frozenset({"ADT", "ORU"})


@dataclass(frozen=True)
class Outcome:
    code: str
    text: str = ""
    error_code: str = ""
    location: str = ""
    effects: tuple[Effect, ...] = ()


def _apply(head: hl7v2.Header, message: hl7.Message, sender: Sender) -> list[Effect]:
    zone = ZoneInfo(sender.hospital.time_zone)
    if head.message_type == "ADT":
        record = hl7v2.adt(message, head, zone)
        return adt_file(hospital=sender.hospital, source=sender.facility, record=record, actor=sender.account)
    if head.kind == "ORU^R01":
        results = hl7v2.oru(message, zone)
        return results_file(
            hospital=sender.hospital,
            source=sender.facility,
            control_id=head.control_id,
            record=results,
            actor=sender.account,
            channel=Channel.HL7,
        )
    raise Unsupported(
        _("%(kind)s is not supported: send ADT (A01, A02, A03, A04, A08, A11, A40) or ORU^R01.")
        % {"kind": head.kind or "?"},
        code="201" if head.message_type in SUPPORTED else "200",
    )


def _sender(head: hl7v2.Header) -> Sender:
    sender = (
        Sender.objects.filter(facility=head.facility, is_active=True)
        .select_related("hospital", "account")
        .first()
    )
    if sender is None:
        raise Unsupported(
            _("Sending facility %(facility)s (MSH-4) is not allowed to send here.")
            % {"facility": head.facility or "-"},
            code="207",
        )
    return sender


def _process(row: InboundMessage, head: hl7v2.Header, message: hl7.Message, sender: Sender) -> Outcome:
    """File the message and mark its row accepted in one transaction; an error undoes both."""
    try:
        with transaction.atomic():
            effects = _apply(head, message, sender)
            row.status, row.ack_code, row.error_code, row.error = MessageStatus.ACCEPTED, AckCode.AA, "", ""
            row.effects = list(effects)
            row.processed_at = timezone.now()
            row.save()
        return Outcome(AckCode.AA, effects=tuple(effects))
    except IntakeError as error:
        return Outcome(AckCode.AE, error.text, error.code, error.location)
    except Unsupported as error:
        return Outcome(AckCode.AR, error.text, error.code)
    except DatabaseError:
        logger.exception("HL7 message %s %s could not be stored.", head.facility, head.control_id)
        return Outcome(AckCode.AE, _("The message could not be stored; send it again."), "207")


def _fallback_key(raw: bytes) -> str:
    return "unparsed-" + hashlib.sha256(raw).hexdigest()[:40]


def _encode(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="replace")


def hl7_receive(*, raw: bytes, at: dt.datetime | None = None) -> bytes:
    """Handle one HL7 v2 message (the bytes inside an MLLP block) and return the ACK (bytes)."""
    received_at = at or timezone.now()
    head: hl7v2.Header | None = None
    try:
        text, codec = hl7v2.decode(raw)
        message = hl7v2.parse(text)
        head = hl7v2.header(message, codec)
    except Unsupported as error:
        facility, control_id = hl7v2.control_id_of(raw)
        ack = hl7v2.ack(
            head=None,
            code=AckCode.AR,
            control_id=control_id,
            at=received_at,
            text=error.text,
            error_code=error.code,
        )
        _log_failure(
            raw=raw,
            facility=facility or "-",
            control_id=control_id or _fallback_key(raw),
            message_type="",
            charset="",
            sender=None,
            code=AckCode.AR,
            error=error.text,
            error_code=error.code,
            ack=ack,
            received_at=received_at,
        )
        return _encode(ack, "utf-8")

    existing = InboundMessage.objects.filter(
        channel=Channel.HL7, source=head.facility, control_id=head.control_id
    ).first()
    if existing is not None and existing.status == MessageStatus.ACCEPTED:
        return _encode(existing.ack, head.charset)  # a re-send: the same ACK, nothing filed again

    sender: Sender | None = None
    try:
        found = _sender(head)
    except Unsupported as error:
        outcome = Outcome(AckCode.AR, error.text, error.code)
    else:
        sender = found
        row = existing or InboundMessage(
            channel=Channel.HL7, source=head.facility, control_id=head.control_id, received_at=received_at
        )
        if existing is not None:
            row.attempts += 1
        row.hospital, row.sender = found.hospital, found
        row.message_type, row.charset, row.payload = head.kind[:24], head.charset, raw
        row.ack = hl7v2.ack(head=head, code=AckCode.AA, control_id=head.control_id, at=received_at)
        outcome = _process(row, head, message, found)
        if outcome.code == AckCode.AA:
            return _encode(row.ack, head.charset)
    ack = hl7v2.ack(
        head=head,
        code=outcome.code,
        control_id=head.control_id,
        at=received_at,
        text=outcome.text,
        error_code=outcome.error_code,
        location=outcome.location,
    )
    _log_failure(
        raw=raw,
        facility=head.facility or "-",
        control_id=head.control_id,
        message_type=head.kind,
        charset=head.charset,
        sender=sender,
        code=outcome.code,
        error=outcome.text,
        error_code=outcome.error_code,
        ack=ack,
        received_at=received_at,
    )
    return _encode(ack, head.charset)


@transaction.atomic
def _log_failure(
    *,
    raw: bytes,
    facility: str,
    control_id: str,
    message_type: str,
    charset: str,
    sender: Sender | None,
    code: str,
    error: str,
    error_code: str,
    ack: str,
    received_at: dt.datetime,
) -> InboundMessage:
    """Keep a refused message (in its own transaction: the filing's was rolled back) for the dead-letter
    list; a re-sent failure updates its row rather than adding one."""
    row, created = InboundMessage.objects.select_for_update().get_or_create(
        channel=Channel.HL7,
        source=facility[:64],
        control_id=control_id[:64],
        defaults={
            "received_at": received_at,
            "payload": raw,
            "status": ACK_STATUS[AckCode(code)],
            "ack_code": code,
        },
    )
    if not created:
        if row.status == MessageStatus.ACCEPTED:  # filed meanwhile by a parallel delivery
            return row
        row.attempts += 1
    row.hospital = sender.hospital if sender else None
    row.sender = sender
    row.payload, row.charset, row.message_type = raw, charset, message_type[:24]
    row.status, row.ack_code, row.ack = ACK_STATUS[AckCode(code)], code, ack
    row.error, row.error_code = error, error_code
    row.effects, row.processed_at = [], timezone.now()
    row.save()
    return row


@transaction.atomic
def message_replay(*, message: InboundMessage, actor: Actor) -> InboundMessage:
    """Process a failed or rejected message again (after its sender, mapping or data were fixed)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if not actor.has_perm("interop.replay_inboundmessage"):
        raise PermissionDenied(_("You are not allowed to replay messages."))
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status not in DEAD_LETTER:
        raise ValidationError(_("Only a failed or rejected message can be replayed."))
    before = locked.status
    if locked.channel == Channel.FHIR:
        try:
            bundle_replay(locked)
        except IntakeError as error:
            raise ValidationError(error.text) from None
    elif locked.channel == Channel.HL7:
        hl7_receive(raw=bytes(locked.payload), at=locked.received_at)
    else:
        raise ValidationError(_("Only HL7 v2 messages and FHIR Bundles can be replayed here."))
    locked.refresh_from_db()
    transition_record(
        lifecycle=MESSAGE_LIFECYCLE,
        obj=locked,
        from_status=before,
        to_status=locked.status,
        actor=actor,
        reason=locked.error or _("Replayed"),
    )
    audit_record(
        actor=actor,
        action="interop.message.replay",
        obj=locked,
        summary=f"{locked.source} {locked.control_id} → {locked.status}",
    )
    return locked
