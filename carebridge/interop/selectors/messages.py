"""The inbound log and the dead-letter list, in the reader's hospital (administrators)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from carebridge.checkup.models import Item
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.interop.choices import DEAD_LETTER, Channel
from carebridge.interop.domain import hl7v2
from carebridge.interop.domain.records import IntakeError, Unsupported
from carebridge.interop.models import CodeMapping, InboundMessage
from carebridge.patients.models import Patient


def message_list(*, user: Actor, dead_letter: bool = False, channel: str = "") -> QuerySet[InboundMessage]:
    rows = (
        restrict(InboundMessage.objects.all(), user).select_related("sender").order_by("-received_at", "-id")
    )
    if dead_letter:
        rows = rows.filter(status__in=DEAD_LETTER)
    if channel:
        rows = rows.filter(channel=channel)
    return rows.defer("payload")


def message_get(*, user: Actor, pk: int) -> InboundMessage:
    message = restrict(InboundMessage.objects.all(), user).select_related("sender").filter(pk=pk).first()
    if message is None:
        raise Http404("No such message.")
    return message


def mapping_list(*, user: Actor) -> QuerySet[CodeMapping]:
    return restrict(CodeMapping.objects.all(), user).select_related("item").order_by("system", "code")


def mappable_items(*, hospital_id: int) -> QuerySet[Item]:
    return Item.objects.filter(hospital_id=hospital_id, is_active=True).order_by("sequence", "code")


def message_patient(message: InboundMessage) -> Patient | None:
    """The registry's patient an HL7 message is about (PID-3 in the sender's hospital), for the access log."""
    if message.channel != Channel.HL7 or message.hospital_id is None:
        return None
    try:
        text, _codec = hl7v2.decode(bytes(message.payload))
        mrn = hl7v2.person(hl7v2.parse(text)).mrn
    except (Unsupported, IntakeError):
        return None
    return Patient.objects.filter(hospital_id=message.hospital_id, mrn=mrn).first()
