"""A realistic day of HL7 v2 traffic for the demo, built from what the demo database holds: the HIS
admits patients to the wards (ADT^A01, admitted yesterday), discharges some of them this morning
(ADT^A03: their care plans move to follow-up), updates a patient (A08), and sends one discharge for a
patient it never admitted (AE); the LIS sends the results of the people checked in at the checkup
centre this morning (ORU^R01, some glucose values in mg/dL), one with a local code nobody mapped yet
(AE, kept in the dead-letter list until a mapping is added and the message replayed)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from carebridge.checkup.choices import RESULT_STATUSES, ItemKind, OrderStatus
from carebridge.checkup.models import OrderedItem, Visit
from carebridge.core.models import Hospital, Ward
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
    visit: str, *, ward: Ward | None, patient_class: str, admitted: str = "", discharged: str = ""
) -> str:
    fields = ["PV1", "1", patient_class, f"{ward.code}^^^LXQ" if ward else "", "", "", "", "", "", ""]
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
    for n, patient in enumerate(admitted):
        ward = rng.choice(wards)
        visit = f"ZY{tag}{n:03d}"
        at = yesterday.replace(hour=8 + n % 9, minute=rng.randrange(60))
        messages.append(
            "\r".join(
                [
                    _msh("LXQ-HIS", "HIS", "ADT^A01^ADT_A01", f"HIS{tag}A01{n:03d}", at),
                    f"EVN|A01|{at:{_STAMP}}",
                    _pid(patient),
                    _pv1(visit, ward=ward, patient_class="I", admitted=f"{at:{_STAMP}}"),
                ]
            )
        )
        if n % 2 == 0:
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
