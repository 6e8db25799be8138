"""Demo step 88 (issue 21): two mystery-patient rounds (神秘患者暗访) a quarter apart on the same checklist,
visits across the main hospital's departments and service points; the second round scores better."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.surveys.models import ChecklistItem
from carebridge.surveys.services.audits import audit_round_create, audit_visit_record

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHECKLIST: list[ChecklistItem] = [
    {"code": "greet", "text": "主动问候、使用礼貌用语", "weight": 1},
    {"code": "guide", "text": "准确指引科室与流程", "weight": 2},
    {"code": "explain", "text": "解释检查或用药注意事项", "weight": 2},
    {"code": "privacy", "text": "保护患者隐私", "weight": 1},
    {"code": "wait", "text": "告知预计等候时间", "weight": 1},
]
POINTS = ("挂号收费窗口", "门诊分诊台", "护士站", "检查预约处")
DEPARTMENTS = ("CARD", "ORTH", "PEDI", "GSUR", "GYNE", "RESP")


@register_step(88, "mystery-patient audits: two rounds")
def seed_audits(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    chosen = [departments[code] for code in DEPARTMENTS if code in departments]
    for number, (days_ago, chance) in enumerate(((120, 0.6), (30, 0.8)), start=1):
        start = context.as_of - dt.timedelta(days=days_ago)
        audit_round = audit_round_create(
            hospital=hospital,
            name=f"第{number}轮神秘患者暗访",
            starts_on=start,
            ends_on=start + dt.timedelta(days=13),
            checklist=CHECKLIST,
            actor=None,
        )
        for department in chosen:
            for point in POINTS:
                visited = dt.datetime.combine(
                    start + dt.timedelta(days=context.rng.randint(0, 13)),
                    dt.time(context.rng.randint(8, 16), context.rng.randint(0, 59)),
                    tzinfo=SHANGHAI,
                )
                audit_visit_record(
                    audit_round=audit_round,
                    department=department,
                    service_point=point,
                    visited_at=visited,
                    auditor=f"MP-{context.rng.randint(1, 4):02d}",
                    answers={item["code"]: context.rng.random() < chance for item in CHECKLIST},
                    actor=None,
                )
    context.log(f"mystery-patient audits: 2 rounds, {2 * len(chosen) * len(POINTS)} visits")
