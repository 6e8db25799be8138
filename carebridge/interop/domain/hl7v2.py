"""HL7 v2 reading and answering, without Django: the character set of a message (MSH-18, UTF-8 or
GB18030), its header, ADT and ORU^R01 contents as :mod:`records`, and original-mode ACKs with ERR.

Parsing is python-hl7's (``hl7.parse``); this module only knows which fields mean what.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import hl7
from django.utils.translation import gettext as _

from carebridge.interop.domain.records import (
    AdtRecord,
    IntakeError,
    ObservationRecord,
    PersonRecord,
    ResultRecord,
    StayRecord,
    Unsupported,
)

# MSH-18 names (HL7 table 0211) → Python codecs. An empty MSH-18 means ASCII by the standard; senders
# in practice mean UTF-8, which is a superset.
CHARSETS: dict[str, str] = {
    "": "utf-8",
    "ASCII": "ascii",
    "UNICODE UTF-8": "utf-8",
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "GB 18030-2000": "gb18030",
    "GB18030": "gb18030",
    "GB 18030": "gb18030",
    "GBK": "gb18030",
    "GB2312": "gb18030",
}
# The MSH-18 we answer with, per codec.
CHARSET_NAMES = {"utf-8": "UNICODE UTF-8", "gb18030": "GB 18030-2000", "ascii": ""}
ADT_EVENTS = frozenset({"A01", "A02", "A03", "A04", "A08", "A11", "A40"})
_SEX = {"M": "M", "F": "F", "U": "U", "O": "U", "A": "U", "N": "U"}


@dataclass(frozen=True)
class Header:
    facility: str
    application: str
    control_id: str
    message_type: str
    event: str
    version: str
    charset: str  # the Python codec

    @property
    def kind(self) -> str:
        return f"{self.message_type}^{self.event}" if self.event else self.message_type


def sniff_charset(raw: bytes) -> str:
    """The codec MSH-18 names (read before decoding: its name is ASCII). Unknown names are refused."""
    text = raw.lstrip().decode("latin-1")
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    if not first.startswith("MSH") or len(first) < 8:
        raise Unsupported(_("The message does not begin with an MSH segment."), code="100")
    fields = first.split(first[3])
    name = fields[17].split(first[4])[0].strip().upper() if len(fields) > 17 else ""
    codec = CHARSETS.get(name)
    if codec is None:
        raise Unsupported(
            _("Character set %(name)s (MSH-18) is not supported; use UNICODE UTF-8 or GB 18030-2000.")
            % {"name": repr(name)}
        )
    return codec


def decode(raw: bytes) -> tuple[str, str]:
    """``(text, codec)`` of a message; :class:`Unsupported` when it cannot be read."""
    codec = sniff_charset(raw)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError:
        raise Unsupported(
            _("The message is not valid %(codec)s as MSH-18 says.") % {"codec": codec}, code="102"
        ) from None
    # Segments end with CR; senders that use LF or CRLF are read the same.
    return text.strip().replace("\r\n", "\r").replace("\n", "\r"), codec


def parse(text: str) -> hl7.Message:
    try:
        message = hl7.parse(text)
        message.segment("MSH")
    except (hl7.ParseException, KeyError, IndexError, ValueError) as error:
        raise Unsupported(
            _("The message cannot be parsed: %(error)s") % {"error": error}, code="100"
        ) from None
    return message


def _get(segment: hl7.Segment, field: int, component: int = 1, repetition: int = 1) -> str:
    """Field ``field`` of a segment (HL7 numbering), one component of one repetition, as text."""
    try:
        value = segment.extract_field(
            field_num=field, repeat_num=repetition, component_num=component, subcomponent_num=1
        )
    except (IndexError, KeyError, TypeError, AttributeError):
        return ""
    # python-hl7 has already resolved the escape sequences.
    return str(value or "").strip()


def escape(value: str) -> str:
    return (
        value.replace("\\", "\\E\\")
        .replace("|", "\\F\\")
        .replace("^", "\\S\\")
        .replace("&", "\\T\\")
        .replace("~", "\\R\\")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def header(message: hl7.Message, codec: str) -> Header:
    msh = message.segment("MSH")
    control_id = _get(msh, 10)
    if not control_id:
        raise Unsupported(_("MSH-10 (message control id) is empty."), code="101")
    return Header(
        facility=_get(msh, 4),
        application=_get(msh, 3),
        control_id=control_id[:64],
        message_type=_get(msh, 9, 1).upper(),
        event=_get(msh, 9, 2).upper(),
        version=_get(msh, 12),
        charset=codec,
    )


def timestamp(value: str, zone: ZoneInfo) -> dt.datetime | None:
    """An HL7 DTM (``YYYYMMDD[HH[MM[SS[.S]]]][+/-ZZZZ]``); without an offset it is the hospital's time."""
    match = re.fullmatch(r"(\d{8})(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?", value.strip())
    if not value.strip():
        return None
    if match is None:
        raise ValueError(value)
    day, hour, minute, second, offset = match.groups()
    tz: dt.tzinfo = zone
    if offset:
        sign = 1 if offset[0] == "+" else -1
        tz = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
    return dt.datetime(
        int(day[:4]),
        int(day[4:6]),
        int(day[6:8]),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=tz,
    )


def _time(segment: hl7.Segment, field: int, zone: ZoneInfo, location: str) -> dt.datetime | None:
    raw = _get(segment, field)
    try:
        return timestamp(raw, zone)
    except ValueError:
        raise IntakeError(
            _("%(value)s is not an HL7 date and time.") % {"value": repr(raw)}, code="102", location=location
        ) from None


def _segments(message: hl7.Message, name: str) -> list[hl7.Segment]:
    return [segment for segment in message if str(segment[0]) == name]


def _one(message: hl7.Message, name: str) -> hl7.Segment | None:
    found = _segments(message, name)
    return found[0] if found else None


def person(message: hl7.Message) -> PersonRecord:
    pid = _one(message, "PID")
    if pid is None:
        raise IntakeError(_("The message has no PID segment."), code="100", location="PID")
    mrn = _get(pid, 3)
    if not mrn:
        raise IntakeError(_("PID-3 (patient identifier) is empty."), code="101", location="PID^1^3")
    name = _person_name(_get(pid, 5, 1), _get(pid, 5, 2))
    birth = _get(pid, 7)
    try:
        birth_date = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8])) if birth else None
    except ValueError:
        raise IntakeError(
            _("%(value)s is not a birth date.") % {"value": repr(birth)}, code="102", location="PID^1^7"
        ) from None
    return PersonRecord(
        mrn=mrn[:32],
        name=name[:64],
        sex=_SEX.get(_get(pid, 8).upper(), ""),
        birth_date=birth_date,
        national_id=_get(pid, 19)[:18],
        phone=_get(pid, 13)[:20],
        address=" ".join(p for p in (_get(pid, 11, 1), _get(pid, 11, 2), _get(pid, 11, 3)) if p)[:255],
    )


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _person_name(family: str, given: str) -> str:
    # Chinese names are written family name first without a space; Latin names with one.
    return f"{family}{given}" if _is_cjk(family + given) else " ".join(p for p in (given, family) if p)


def stay(message: hl7.Message, zone: ZoneInfo) -> StayRecord | None:
    pv1 = _one(message, "PV1")
    if pv1 is None:
        return None
    diagnoses = tuple(
        (_get(dg1, 3, 1), _get(dg1, 3, 2) or _get(dg1, 4))
        for dg1 in _segments(message, "DG1")
        if _get(dg1, 3, 1)
    )
    return StayRecord(
        visit_number=_get(pv1, 19)[:64],
        patient_class=_get(pv1, 2).upper(),
        ward_code=_get(pv1, 3, 1),
        department_code=_get(pv1, 10),
        started_at=_time(pv1, 44, zone, "PV1^1^44"),
        ended_at=_time(pv1, 45, zone, "PV1^1^45"),
        diagnoses=diagnoses,
        attending_doctor=_person_name(_get(pv1, 7, 2), _get(pv1, 7, 3))[:64],
    )


def adt(message: hl7.Message, head: Header, zone: ZoneInfo) -> AdtRecord:
    if head.event not in ADT_EVENTS:
        raise Unsupported(_("ADT^%(event)s is not supported.") % {"event": head.event}, code="201")
    evn = _one(message, "EVN")
    mrg = _one(message, "MRG")
    return AdtRecord(
        event=head.event,
        person=person(message),
        stay=stay(message, zone),
        event_at=_time(evn, 2, zone, "EVN^1^2") if evn is not None else None,
        prior_mrn=_get(mrg, 1)[:32] if mrg is not None else "",
    )


def oru(message: hl7.Message, zone: ZoneInfo) -> ResultRecord:
    observations = []
    for index, obx in enumerate(_segments(message, "OBX"), start=1):
        set_id = _get(obx, 1) or str(index)
        location = f"OBX^{index}"
        code = _get(obx, 3, 1)
        if not code:
            raise IntakeError(_("OBX-3 (observation code) is empty."), code="101", location=f"{location}^3")
        observations.append(
            ObservationRecord(
                key=set_id,
                code=code,
                display=_get(obx, 3, 2),
                system=_get(obx, 3, 3),
                value=_get(obx, 5),
                unit=_get(obx, 6, 1),
                status=_get(obx, 11).upper() or "F",
                observed_at=_time(obx, 14, zone, f"{location}^14"),
                location=location,
            )
        )
    if not observations:
        raise IntakeError(_("The message has no OBX segment."), code="100", location="OBX")
    pv1 = _one(message, "PV1")
    orders = tuple(
        dict.fromkeys(n for obr in _segments(message, "OBR") for n in (_get(obr, 2), _get(obr, 3)) if n)
    )
    return ResultRecord(
        person=person(message),
        visit_number=_get(pv1, 19) if pv1 is not None else "",
        patient_class=_get(pv1, 2).upper() if pv1 is not None else "",
        order_numbers=orders,
        observations=tuple(observations),
    )


def ack(
    *,
    head: Header | None,
    code: str,
    control_id: str,
    at: dt.datetime,
    text: str = "",
    error_code: str = "",
    location: str = "",
    receiver: str = "CAREBRIDGE",
) -> str:
    """An original-mode ACK: ``MSA|<code>|<MSH-10>`` and, for AE and AR, an ERR segment (HL7 v2.5)."""
    codec = head.charset if head else "utf-8"
    stamp = at.strftime("%Y%m%d%H%M%S%z")
    event = head.event if head else ""
    msh = [
        "MSH",
        "^~\\&",
        receiver,
        receiver,
        escape(head.application) if head else "",
        escape(head.facility) if head else "",
        stamp,
        "",
        f"ACK^{event}^ACK" if event else "ACK",
        f"ACK{control_id}"[:20] if control_id else "ACK",
        "P",
        head.version if head and head.version else "2.5",
        "",
        "",
        "",
        "",
        "",
        CHARSET_NAMES.get(codec, ""),
    ]
    segments = ["|".join(msh), "|".join(["MSA", code, escape(control_id), escape(text[:80])])]
    if code != "AA":
        label = ERROR_LABELS.get(error_code or "207", "Application internal error")
        segments.append(
            "|".join(
                ["ERR", "", location, f"{error_code or '207'}^{label}^HL70357", "E", "", "", "", escape(text)]
            )
        )
    return "\r".join(segments) + "\r"


# HL7 table 0357 (message error condition codes) as used here.
ERROR_LABELS = {
    "100": "Segment sequence error",
    "101": "Required field missing",
    "102": "Data type error",
    "103": "Table value not found",
    "200": "Unsupported message type",
    "201": "Unsupported event code",
    "203": "Unsupported version id",
    "204": "Unknown key identifier",
    "205": "Duplicate key identifier",
    "206": "Application record locked",
    "207": "Application internal error",
}


def control_id_of(raw: bytes) -> tuple[str, str]:
    """Best effort ``(MSH-4, MSH-10)`` of bytes that could not be parsed, for the log and the ACK."""
    text = raw.lstrip().decode("latin-1")
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    if not first.startswith("MSH") or len(first) < 8:
        return "", ""
    fields = first.split(first[3])
    component = first[4]
    pick = lambda n: fields[n - 1].split(component)[0].strip() if len(fields) >= n else ""  # noqa: E731
    return pick(4)[:64], pick(10)[:64]
