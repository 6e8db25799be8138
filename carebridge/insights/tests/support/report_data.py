"""A month of survey responses whose case mix differs by department, for the report's tests.

Three departments are answered from a known model: a respondent's latent satisfaction is the
department's true effect plus 6 points per age band (older patients answer more favourably) plus noise.
Cardiology's patients are the oldest, so its raw index is the highest although its true effect is the
lowest; adjusting for age reverses the order — the report must say so. The waiting-time items are the
weakest and drive the global rating most, so they are the problems to fix first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from carebridge.core.models import Department, Hospital
from carebridge.core.tests.factories import DepartmentFactory
from carebridge.surveys.domain.instruments import content_hash, score
from carebridge.surveys.domain.library.rows import item_rows
from carebridge.surveys.models import Instrument, InstrumentVersion, Invitation, Item, Response, Wave

MONTH = "2026-10"
# Department code → (true effect on the latent 0–100 scale, mean age band 1–5)
MODEL = {"CARD": (60.0, 4.8), "PEDI": (68.0, 2.2), "ORTH": (65.0, 1.6)}
AGE_EFFECT = 6.0  # points per age band
PER_MONTH = 60


def _likert(code: str, zh: str) -> dict[str, Any]:
    return {
        "code": code,
        "type": "likert",
        "points": 5,
        "required": True,
        "text": {"zh-hans": zh, "en": code},
    }


DEFINITION: dict[str, Any] = {
    "schema": 1,
    "code": "inpatient-test",
    "title": {"zh-hans": "住院患者体验调查", "en": "Inpatient experience"},
    "dimensions": [
        {
            "code": "doctors",
            "title": {"zh-hans": "医生沟通"},
            "weight": 1,
            "indicators": [
                {
                    "code": "doc",
                    "title": {"zh-hans": "医生"},
                    "items": [_likert("d1", "医生解释病情清楚"), _likert("d2", "医生尊重您")],
                }
            ],
        },
        {
            "code": "nurses",
            "title": {"zh-hans": "护理服务"},
            "weight": 1,
            "indicators": [
                {
                    "code": "nur",
                    "title": {"zh-hans": "护士"},
                    "items": [_likert("n1", "护士及时回应呼叫"), _likert("n2", "护士态度耐心")],
                }
            ],
        },
        {
            "code": "waiting",
            "title": {"zh-hans": "等候时间"},
            "weight": 1,
            "indicators": [
                {
                    "code": "wai",
                    "title": {"zh-hans": "等候"},
                    "items": [_likert("w1", "检查等候时间合理"), _likert("w2", "出院手续办理快捷")],
                }
            ],
        },
        {
            "code": "environment",
            "title": {"zh-hans": "病房环境"},
            "weight": 1,
            "indicators": [
                {"code": "env", "title": {"zh-hans": "环境"}, "items": [_likert("e1", "病房安静整洁")]}
            ],
        },
        {
            "code": "overall",
            "title": {"zh-hans": "总体评价"},
            "scored": False,
            "indicators": [
                {
                    "code": "ovr",
                    "title": {"zh-hans": "总体"},
                    "items": [
                        _likert("overall", "总体而言您对本次住院满意吗"),
                        {"code": "comment", "type": "text", "text": {"zh-hans": "您的意见和建议"}},
                    ],
                }
            ],
        },
    ],
}
# How far each item sits from the respondent's latent level, and how much of the global rating it drives.
ITEM_SHIFT = {"d1": 8, "d2": 10, "n1": 4, "n2": 6, "w1": -22, "w2": -18, "e1": 2}
COMMENTS = {
    "low": ["排队等了三个小时，检查太慢了，电话13812345678没人接", "出院手续办了半天，等候时间太长"],
    "high": ["护士态度很好，非常耐心", "医生解释得很清楚，谢谢"],
}


@dataclass
class ReportData:
    hospital: Hospital
    departments: dict[str, Department]
    instrument: Instrument
    version: InstrumentVersion
    wave: Wave


def _answers(rng: np.random.Generator, latent: float) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    wait = 0.0
    for code, shift in ITEM_SHIFT.items():
        level = latent + shift + rng.normal(0, 9)
        answers[code] = int(np.clip(round(1 + level / 25), 1, 5))
        if code.startswith("w"):
            wait += level
    # The global rating leans on waiting time more than on anything else.
    overall = 0.55 * (wait / 2) + 0.45 * latent + 14 + rng.normal(0, 6)
    answers["overall"] = int(np.clip(round(1 + overall / 25), 1, 5))
    if answers["w1"] <= 2 and rng.random() < 0.5:
        answers["comment"] = COMMENTS["low"][int(rng.integers(0, 2))]
    elif answers["n2"] >= 4 and rng.random() < 0.3:
        answers["comment"] = COMMENTS["high"][int(rng.integers(0, 2))]
    return answers


def make_report_data(
    hospital: Hospital,
    owner: Any,
    cardiology: Department,
    paediatrics: Department,
    *,
    seed: int = 11,
    definition: dict[str, Any] | None = None,
) -> ReportData:
    """Publish the test instrument and answer it in September and October 2026 (60 per department
    per month), each response with its age-band adjuster and, in October, an invitation. ``definition``
    replaces the test instrument by a variant with the same item codes."""
    definition = definition or DEFINITION
    departments = {
        "CARD": cardiology,
        "PEDI": paediatrics,
        "ORTH": DepartmentFactory(hospital=hospital, code="ORTH", name="骨科", name_en="Orthopaedics"),
    }
    instrument = Instrument.objects.create(
        hospital=hospital, code="inpatient-test", name="住院患者体验调查", kind="inpatient"
    )
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=1,
        status="published",
        definition=definition,
        content_hash=content_hash(definition),
        published_at=timezone.now(),
    )
    Item.objects.bulk_create([Item(version=version, **row) for row in item_rows(definition)])
    wave = Wave.objects.create(
        hospital=hospital,
        name="2026年10月住院患者调查",
        version=version,
        population="inpatients_discharged",
        sampling="census",
        owner=owner,
        channels=["sms"],
    )
    rng = np.random.default_rng(seed)
    responses, invitations = [], []
    for month, day_zero in (
        ("2026-09", dt.datetime(2026, 9, 2, 2, tzinfo=dt.UTC)),
        (MONTH, dt.datetime(2026, 10, 2, 2, tzinfo=dt.UTC)),
    ):
        for code, (effect, age_mean) in MODEL.items():
            for i in range(PER_MONTH):
                age = int(np.clip(round(rng.normal(age_mean, 0.7)), 1, 5))
                latent = effect + AGE_EFFECT * (age - 3) + rng.normal(0, 8) + (3 if month == MONTH else 0)
                answers = _answers(rng, latent)
                overall, dims = score(definition, answers)
                submitted = day_zero + dt.timedelta(hours=i * 11 + len(responses) % 7)
                invitation = None
                if month == MONTH:
                    invitation = Invitation(
                        wave=wave,
                        token=f"tok-{code}-{i}",
                        status="completed",
                        channel="sms",
                        department=departments[code],
                        send_after=submitted - dt.timedelta(days=1),
                        expires_at=submitted + dt.timedelta(days=14),
                        completed_at=submitted,
                    )
                    invitations.append(invitation)
                responses.append(
                    Response(
                        hospital=hospital,
                        wave=wave,
                        version=version,
                        invitation=invitation,
                        department=departments[code],
                        mode="web" if i % 4 else "phone",
                        submitted_at=submitted,
                        answers=answers,
                        score=overall,
                        dimension_scores=dims,
                        adjusters={"age_band": age},
                    )
                )
    for i in range(20):  # invitations that went out and were not answered: response rate 180 / 200
        invitations.append(
            Invitation(
                wave=wave,
                token=f"tok-open-{i}",
                status="sent",
                channel="sms",
                department=cardiology,
                send_after=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
                expires_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
            )
        )
    Invitation.objects.bulk_create(invitations)
    Response.objects.bulk_create(responses)
    return ReportData(hospital, departments, instrument, version, wave)
