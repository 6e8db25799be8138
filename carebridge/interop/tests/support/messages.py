"""HL7 v2 messages as hospital systems send them, built from a few arguments."""

from __future__ import annotations

from collections.abc import Iterable

MRN_SYSTEM = "urn:carebridge:lxq-demo:mrn"


def msh(
    *, facility: str, control_id: str, kind: str, charset: str = "UNICODE UTF-8", app: str = "HIS"
) -> str:
    return (
        f"MSH|^~\\&|{app}|{facility}|CAREBRIDGE|LXQ|20250312073000||{kind}|{control_id}|P|2.5||||||{charset}"
    )


def pid(
    mrn: str, *, name: str = "张^三", sex: str = "M", birth: str = "19600102", phone: str = "13912345678"
) -> str:
    return f"PID|1||{mrn}^^^LXQ^MR||{name}||{birth}|{sex}|||南京市^鼓楼区||{phone}"


def pv1(
    visit: str,
    *,
    patient_class: str = "I",
    ward: str = "PW1",
    department: str = "PEDI",
    admitted: str = "20250310090000",
    discharged: str = "",
    doctor: str = "",
) -> str:
    """``doctor``: PV1-7, the attending doctor, as ``ID^family^given``."""
    fields = ["PV1", "1", patient_class, f"{ward}^^^LXQ", "", "", "", doctor, "", "", department]
    fields += [""] * 8 + [visit] + [""] * 24 + [admitted, discharged]
    return "|".join(fields)


def adt(
    event: str,
    *,
    control_id: str,
    mrn: str = "M0001",
    visit: str = "V0001",
    facility: str = "LXQ-HIS",
    extra: Iterable[str] = (),
    **stay: str,
) -> str:
    segments = [
        msh(facility=facility, control_id=control_id, kind=f"ADT^{event}^ADT_A01"),
        "EVN|" + event + "|20250312070000",
        pid(mrn),
        pv1(visit, **stay),
        *extra,
    ]
    return "\r".join(segments) + "\r"


def oru(
    *,
    control_id: str,
    mrn: str,
    visit: str,
    observations: Iterable[tuple[str, str, str, str]],
    facility: str = "LXQ-LIS",
    charset: str = "UNICODE UTF-8",
    name: str = "王^建国",
    patient_class: str = "O",
    order: str | None = None,
) -> str:
    """``observations``: (code, coding system, value, unit); ``order``: OBR-2, the visit number unless
    given (a ward's laboratory order number)."""
    segments = [
        msh(facility=facility, control_id=control_id, kind="ORU^R01^ORU_R01", charset=charset, app="LIS"),
        pid(mrn, name=name),
        "|".join(["PV1", "1", patient_class] + [""] * 16 + [visit]),
        f"OBR|1|{visit if order is None else order}||CHEM^生化",
    ]
    for index, (code, system, value, unit) in enumerate(observations, start=1):
        segments.append(f"OBX|{index}|NM|{code}^^{system}||{value}|{unit}|||||F|||20250312073000")
    return "\r".join(segments) + "\r"


def segment(ack: bytes, name: str, codec: str = "utf-8") -> list[str]:
    """The fields of the first ``name`` segment of an ACK.

    HL7 numbering: ``[1]`` is field 1, except in MSH, where ``[n - 1]`` is MSH-n."""
    for line in ack.decode(codec).split("\r"):
        if line.startswith(name + "|"):
            return line.split("|")
    return []
