"""A realistic day of HL7 v2 traffic for the demo, built from what the demo database holds: the HIS
admits patients to the wards (ADT^A01, admitted yesterday), discharges some of them this morning
(ADT^A03: their care plans move to follow-up), updates a patient (A08), and sends one discharge for a
patient it never admitted (AE); the LIS sends the results of the people checked in at the checkup
centre this morning (ORU^R01, some glucose values in mg/dL), one with a local code nobody mapped yet
(AE, kept in the dead-letter list until a mapping is added and the message replayed).

The HIS names each stay's attending doctor (PV1-7), and the LIS also reports the ward laboratory results
of a few patients still in their beds (ORU^R01 under the stay's visit number, ``PV1-2 = I``), one of
them a haemoglobin of 55 g/L on a cardiology ward: a critical value of the ward's list, so the
notification arrives on the ward's critical queue (the demo ``clinician``) with the clinical ladder —
attending doctor → ward nurse → department head."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from carebridge.checkup.choices import RESULT_STATUSES, ItemKind, OrderStatus
from carebridge.checkup.models import OrderedItem, Visit
from carebridge.core.choices import StaffKind
from carebridge.core.models import Hospital, Staff, Ward
from carebridge.patients.models import Patient

_STAMP = "%Y%m%d%H%M%S"


def _msh(facility: str, app: str, kind: str, control_id: str, at: dt.datetime) -> str:
    stamp = f"{at:{_STAMP}}"
    return f"MSH|^~\\&|{app}|{facility}|CAREBRIDGE|LXQ|{stamp}||{kind}|{control_id}|P|2.5||||||UNICODE UTF-8"


def _pid(patient: Patient) -> str:
    family, given = patient.name[:1], patient.name[1:]
    birth = f"{patient.birth_date:%Y%m%d}" if patient.birth_date else ""
    return f"PID|1||{patient.mrn}^^^LXQ^MR||{family}^{given}||{birth}|{patient.sex}"


def _pv1(
    visit: str,
    *,
    ward: Ward | None,
    patient_class: str,
    admitted: str = "",
    discharged: str = "",
    doctor: Staff | None = None,
) -> str:
    attending = f"D{doctor.pk}^{doctor.name[:1]}^{doctor.name[1:]}" if doctor else ""
    fields = ["PV1", "1", patient_class, f"{ward.code}^^^LXQ" if ward else "", "", "", "", attending, "", ""]
    fields += [ward.department.code if ward else ""] + [""] * 8 + [visit] + [""] * 24 + [admitted, discharged]
    return "|".join(fields)


def _value(order: OrderedItem, rng: random.Random) -> tuple[str, str]:
    item = order.item
    if item.kind == ItemKind.NUMERIC:
        bounds = next(iter(item.ranges.all()), None)
        low = bounds.low if bounds and bounds.low is not None else Decimal(1)
        high = bounds.high if bounds and bounds.high is not None else low * 2
        value = low + (high - low) * Decimal(str(round(rng.uniform(0.1, 1.15), 2)))
        if item.analyte == "glucose" and rng.random() < 0.5:
            return f"{value * 18:.0f}", "mg/dL"  # the LIS of the demo reports some glucose in mg/dL
        return f"{value:.{item.decimals}f}", item.unit
    if item.kind == ItemKind.GRADE:
        return "-", ""
    if item.kind == ItemKind.POSNEG:
        return "阴性", ""
    if item.kind == ItemKind.CODED:
        normal = next((c.code for c in item.coded_values.all() if not c.is_abnormal), "")
        return normal, ""
    return "未见异常", ""


def _doctor_of(ward: Ward, rng: random.Random) -> Staff | None:
    """A doctor of the ward's department whose name nobody else in the hospital has (PV1-7 is read by
    name; a shared name would admit the stay without one)."""
    doctors = list(
        Staff.objects.filter(home_department=ward.department, kind=StaffKind.DOCTOR, is_active=True).order_by(
            "id"
        )
    )
    rng.shuffle(doctors)
    for doctor in doctors:
        if (
            not Staff.objects.filter(hospital_id=doctor.hospital_id, name=doctor.name)
            .exclude(pk=doctor.pk)
            .exists()
        ):
            return doctor
    return None


# A ward's blood count (item code, value in the item's unit); the critical patient's haemoglobin is 55 g/L.
_WARD_PANEL = (("WBC", "6.8"), ("HGB", "128"), ("PLT", "215"))
_CRITICAL_HGB = "55"


def _ward_oru(
    patient: Patient,
    *,
    visit: str,
    order: str,
    values: list[tuple[str, str]],
    control_id: str,
    at: dt.datetime,
) -> str:
    segments = [
        _msh("LXQ-LIS", "LIS", "ORU^R01^ORU_R01", control_id, at),
        _pid(patient),
        "|".join(["PV1", "1", "I"] + [""] * 16 + [visit]),
        f"OBR|1|{order}||CBC^血常规",
    ]
    segments += [
        f"OBX|{index}|NM|{code}^^L||{value}||||||F|||{at:{_STAMP}}"
        for index, (code, value) in enumerate(values, start=1)
    ]
    return "\r".join(segments)


def demo_day(*, hospital: Hospital, seed: int = 7, admissions: int = 12, results: int = 15) -> list[bytes]:
    """The day's messages in the order they are sent."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    now = timezone.localtime(timezone.now())
    tag = f"{now:%m%d%H%M}"
    yesterday = now - dt.timedelta(days=1)
    messages: list[str] = []
    wards = list(
        Ward.objects.filter(department__hospital=hospital).select_related("department").order_by("id")
    )
    candidates = list(
        Patient.objects.filter(hospital=hospital, merged_into__isnull=True, deceased_at__isnull=True)
        .exclude(encounters__ended_at__isnull=True)
        .order_by("id")[:400]
    )
    admitted = rng.sample(candidates, min(admissions, len(candidates)))
    in_beds: list[tuple[Patient, str, Ward]] = []
    for n, patient in enumerate(admitted):
        # The last admission is to a cardiology ward (the demo clinician's): its patient's result is critical.
        cardiology = [w for w in wards if w.department.code == "CARD"]
        ward = cardiology[0] if n == len(admitted) - 1 and cardiology else rng.choice(wards)
        visit = f"ZY{tag}{n:03d}"
        at = yesterday.replace(hour=8 + n % 9, minute=rng.randrange(60))
        messages.append(
            "\r".join(
                [
                    _msh("LXQ-HIS", "HIS", "ADT^A01^ADT_A01", f"HIS{tag}A01{n:03d}", at),
                    f"EVN|A01|{at:{_STAMP}}",
                    _pid(patient),
                    _pv1(
                        visit,
                        ward=ward,
                        patient_class="I",
                        admitted=f"{at:{_STAMP}}",
                        doctor=_doctor_of(ward, rng),
                    ),
                ]
            )
        )
        if n % 2 == 1 or n == len(admitted) - 1:
            in_beds.append((patient, visit, ward))
        if n % 2 == 0 and n != len(admitted) - 1:
            out = (
                now.replace(hour=7, minute=rng.randrange(60))
                if now.hour >= 8
                else now - dt.timedelta(minutes=30)
            )
            messages.append(
                "\r".join(
                    [
                        _msh("LXQ-HIS", "HIS", "ADT^A03^ADT_A03", f"HIS{tag}A03{n:03d}", out),
                        f"EVN|A03|{out:{_STAMP}}",
                        _pid(patient),
                        _pv1(visit, ward=ward, patient_class="I", discharged=f"{out:{_STAMP}}"),
                    ]
                )
            )
    messages.append(
        "\r".join(
            [
                _msh("LXQ-HIS", "HIS", "ADT^A03^ADT_A03", f"HIS{tag}A03X", now),
                f"EVN|A03|{now:{_STAMP}}",
                "PID|1||NOT-ADMITTED^^^LXQ^MR||无^名",
                _pv1("ZY-UNKNOWN", ward=None, patient_class="I", discharged=f"{now:{_STAMP}}"),
            ]
        )
    )
    # The ward's morning blood counts: three patients still in their beds, the last one critical.
    morning = now - dt.timedelta(minutes=20)
    for n, (patient, visit, _ward) in enumerate(in_beds[-3:]):
        critical = n == len(in_beds[-3:]) - 1
        values = [
            (code, _CRITICAL_HGB if critical and code == "HGB" else value) for code, value in _WARD_PANEL
        ]
        messages.append(
            _ward_oru(
                patient,
                visit=visit,
                order=f"JY{tag}{n:03d}",
                values=values,
                control_id=f"LIS{tag}W{n:03d}",
                at=morning,
            )
        )
    visits = list(
        Visit.objects.filter(hospital=hospital, status__in=RESULT_STATUSES, scheduled_for=now.date())
        .select_related("patient")
        .order_by("id")[:results]
    )
    for n, checkup in enumerate(visits):
        orders = list(
            checkup.orders.filter(status=OrderStatus.ORDERED, item__room__code__in=["LAB", "LAB1", "BLOOD"])
            .select_related("item")
            .prefetch_related("item__ranges", "item__coded_values")
            .order_by("id")
        ) or list(
            checkup.orders.filter(status=OrderStatus.ORDERED, item__kind=ItemKind.NUMERIC)
            .select_related("item")
            .prefetch_related("item__ranges", "item__coded_values")
            .order_by("id")[:8]
        )
        if not orders:
            continue
        segments = [
            _msh("LXQ-LIS", "LIS", "ORU^R01^ORU_R01", f"LIS{tag}R{n:03d}", now),
            _pid(checkup.patient),
            "|".join(["PV1", "1", "O"] + [""] * 16 + [checkup.number]),
            f"OBR|1|{checkup.number}||LAB^检验",
        ]
        for index, order in enumerate(orders, start=1):
            value, unit = _value(order, rng)
            kind = "NM" if order.item.kind == ItemKind.NUMERIC else "ST"
            segments.append(f"OBX|{index}|{kind}|{order.item.code}^{order.item.name}^L||{value}|{unit}|||||F")
        if n == 0:  # the LIS's own code for a new assay, not yet mapped here
            segments.append(f"OBX|{len(orders) + 1}|NM|XTG-99^甘油三酯(新方法)^LOCAL-LIS||1.42|mmol/L|||||F")
        messages.append("\r".join(segments))
    return [m.encode("utf-8") for m in messages]
