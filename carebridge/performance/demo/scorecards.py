"""Demo scorecards: the hospital (财务、客户、内部运作流程、员工学习与成长), three departments (儿科 with the
篇4 targets, 心血管内科, 骨科), the customer-service centre (财务、客户、管理、个人学习成长) and its agents,
with 18 months of hand-entered figures, the computed ones precomputed, the months before last closed (one
corrected with a reason), and a few KPIs out of band."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from carebridge.core.demo.steps import DemoContext, register_check, register_step
from carebridge.core.models import Department, Hospital, Staff
from carebridge.lib.periods import add_months, month_start
from carebridge.performance.models import Kpi, Scorecard, ScorePeriod
from carebridge.performance.models.scorecards import (
    KpiAggregation,
    KpiDirection,
    KpiSource,
    KpiUnit,
    PerspectiveKind,
    ScorecardLevel,
)
from carebridge.performance.services.precompute import kpi_month_values_refresh
from carebridge.performance.services.scorecards import (
    assignment_add,
    kpi_catalogue_sync,
    kpi_create,
    kpi_entry_save,
    objective_add,
    period_close,
    period_correct,
    perspective_add,
    scorecard_activate,
    scorecard_create,
)

MONTHS = 18
AGENTS = 5
SH = ZoneInfo("Asia/Shanghai")

# Hand-entered KPIs: code → (name, unit, direction, aggregation, definition).
MANUAL: dict[str, tuple[str, str, str, str, str]] = {
    "fin_revenue_rate": (
        "业务收入预算完成率",
        KpiUnit.PERCENT,
        KpiDirection.HIGHER,
        KpiAggregation.MEAN,
        "财务科每月报送",
    ),
    "fin_drug_ratio": (
        "药占比",
        KpiUnit.PERCENT,
        KpiDirection.LOWER,
        KpiAggregation.MEAN,
        "药品收入 / 医疗收入，财务科报送",
    ),
    "fin_budget_rate": (
        "成本预算执行率",
        KpiUnit.PERCENT,
        KpiDirection.HIGHER,
        KpiAggregation.MEAN,
        "财务科报送",
    ),
    "hr_training_hours": (
        "人均培训学时",
        KpiUnit.HOURS,
        KpiDirection.HIGHER,
        KpiAggregation.SUM,
        "人事科/科室报送",
    ),
    "hr_turnover": ("员工流失率", KpiUnit.PERCENT, KpiDirection.LOWER, KpiAggregation.MEAN, "人事科报送"),
    "hr_attendance": (
        "出勤率",
        KpiUnit.PERCENT,
        KpiDirection.HIGHER,
        KpiAggregation.MEAN,
        "考勤：迟到、早退、无故缺勤",
    ),
    "staff_compliments": (
        "表扬次数",
        KpiUnit.COUNT,
        KpiDirection.HIGHER,
        KpiAggregation.SUM,
        "患者表扬信、锦旗",
    ),
    "staff_quality_check": (
        "服务质量抽查得分",
        KpiUnit.INDEX,
        KpiDirection.HIGHER,
        KpiAggregation.MEAN,
        "客服中心质控抽查",
    ),
}

# (kpi code, weight, target, minimum) by objective, by perspective (kind, name, weight).
Tree = list[tuple[str, str, int, list[tuple[str, int, list[tuple[str, int, float, float]]]]]]

HOSPITAL_TREE: Tree = [
    (
        PerspectiveKind.FINANCIAL,
        "财务",
        15,
        [("收入与成本", 100, [("fin_revenue_rate", 60, 100, 85), ("fin_drug_ratio", 40, 30, 40)])],
    ),
    (
        PerspectiveKind.CUSTOMER,
        "客户",
        35,
        [
            (
                "患者满意与忠诚",
                60,
                [
                    ("share_satisfied", 40, 98, 90),
                    ("would_come_back", 30, 90, 75),
                    ("satisfaction_index", 30, 85, 70),
                ],
            ),
            ("投诉管理", 40, [("complaints_in_time", 100, 95, 80)]),
        ],
    ),
    (
        PerspectiveKind.INTERNAL,
        "内部运作流程",
        35,
        [
            (
                "随访与沟通",
                50,
                [
                    ("followup_A", 40, 95, 80),
                    ("three_comms_stay", 30, 100, 80),
                    ("critical_followed_up", 30, 100, 90),
                ],
            ),
            (
                "医技时效",
                50,
                [("critical_read_back_in_time", 60, 95, 85), ("checkup_turnaround", 40, 95, 80)],
            ),
        ],
    ),
    (
        PerspectiveKind.LEARNING,
        "员工学习与成长",
        15,
        [("培训与队伍稳定", 100, [("hr_training_hours", 50, 4, 2), ("hr_turnover", 50, 2, 5)])],
    ),
]

PAEDIATRICS_TREE: Tree = [
    (PerspectiveKind.FINANCIAL, "财务", 10, [("收入", 100, [("fin_revenue_rate", 100, 100, 85)])]),
    (
        PerspectiveKind.CUSTOMER,
        "客户",
        40,
        [
            (
                "篇4 客户关系管理目标",
                100,
                [
                    ("share_satisfied", 30, 98, 90),
                    ("would_come_back", 25, 90, 75),
                    ("returning_inpatients", 20, 30, 15),
                    ("complaints_in_time", 25, 95, 80),
                ],
            )
        ],
    ),
    (
        PerspectiveKind.INTERNAL,
        "内部运作流程",
        40,
        [
            (
                "住院沟通与出院回访",
                100,
                [
                    ("three_comms_stay", 35, 100, 80),
                    ("critical_followed_up", 35, 100, 90),
                    ("specialty_called", 30, 60, 40),
                ],
            )
        ],
    ),
    (PerspectiveKind.LEARNING, "员工学习与成长", 10, [("培训", 100, [("hr_training_hours", 100, 4, 2)])]),
]

DEPARTMENT_TREE: Tree = [
    (
        PerspectiveKind.FINANCIAL,
        "财务",
        20,
        [("收入与药占比", 100, [("fin_revenue_rate", 50, 100, 85), ("fin_drug_ratio", 50, 30, 40)])],
    ),
    (
        PerspectiveKind.CUSTOMER,
        "客户",
        35,
        [("患者满意", 100, [("share_satisfied", 50, 98, 90), ("complaints_in_time", 50, 95, 80)])],
    ),
    (
        PerspectiveKind.INTERNAL,
        "内部运作流程",
        35,
        [("随访", 100, [("followup_A", 50, 95, 80), ("three_comms_stay", 50, 100, 80)])],
    ),
    (PerspectiveKind.LEARNING, "员工学习与成长", 10, [("培训", 100, [("hr_training_hours", 100, 4, 2)])]),
]

CENTRE_TREE: Tree = [
    (PerspectiveKind.FINANCIAL, "财务目标", 10, [("成本控制", 100, [("fin_budget_rate", 100, 100, 85)])]),
    (
        PerspectiveKind.CUSTOMER,
        "客户目标",
        40,
        [
            (
                "投诉与咨询",
                100,
                [
                    ("complaints_in_time", 40, 95, 80),
                    ("inquiry_first_contact", 30, 85, 60),
                    ("share_satisfied", 30, 98, 90),
                ],
            ),
        ],
    ),
    (
        PerspectiveKind.INTERNAL,
        "管理目标",
        30,
        [
            (
                "服务流程",
                100,
                [
                    ("inquiry_answer_minutes", 40, 10, 30),
                    ("followup_B", 30, 90, 70),
                    ("customer_files", 30, 240, 150),
                ],
            )
        ],
    ),
    (
        PerspectiveKind.LEARNING,
        "个人学习成长目标",
        20,
        [("培训与出勤", 100, [("hr_training_hours", 50, 4, 2), ("hr_attendance", 50, 98, 90)])],
    ),
]

STAFF_TREE: Tree = [
    (PerspectiveKind.FINANCIAL, "财务目标", 10, [("节约成本", 100, [("fin_budget_rate", 100, 100, 85)])]),
    (
        PerspectiveKind.CUSTOMER,
        "客户目标",
        40,
        [("患者评价", 100, [("staff_compliments", 40, 2, 0), ("complaints_in_time", 60, 95, 80)])],
    ),
    (
        PerspectiveKind.INTERNAL,
        "管理目标",
        30,
        [("劳动纪律与质量", 100, [("hr_attendance", 50, 98, 90), ("staff_quality_check", 50, 95, 80)])],
    ),
    (PerspectiveKind.LEARNING, "个人学习成长目标", 20, [("培训", 100, [("hr_training_hours", 100, 4, 2)])]),
]


@register_check("scorecards")
def demo_loaded() -> bool:
    return Scorecard.objects.exists()


def _build(actor: Any, hospital: Hospital, tree: Tree, **card: Any) -> Scorecard:
    scorecard = scorecard_create(actor=actor, hospital=hospital, **card)
    kpis = {k.code: k for k in Kpi.objects.all()}
    for kind, name, weight, objectives in tree:
        perspective = perspective_add(
            actor=actor, scorecard=scorecard, kind=kind, name=name, weight=Decimal(weight)
        )
        for objective_name, objective_weight, rows in objectives:
            objective = objective_add(
                actor=actor,
                perspective=perspective,
                name=objective_name,
                weight=Decimal(objective_weight),
                owner=actor,
            )
            for code, kpi_weight, target, minimum in rows:
                assignment_add(
                    actor=actor,
                    objective=objective,
                    kpi=kpis[code],
                    weight=Decimal(kpi_weight),
                    target=Decimal(str(target)),
                    minimum=Decimal(str(minimum)),
                    updater=actor,
                )
    return scorecard_activate(actor=actor, scorecard=scorecard)


def _months(as_of: dt.date) -> list[dt.date]:
    last = month_start(as_of)
    return [add_months(last, -i) for i in range(MONTHS - 1, -1, -1)]


# A figure's usual value and spread; the drifts put a few KPIs out of band in the latest months.
USUAL: dict[str, tuple[float, float]] = {
    "fin_revenue_rate": (98, 4),
    "fin_drug_ratio": (31, 2),
    "fin_budget_rate": (97, 3),
    "hr_training_hours": (4.2, 0.8),
    "hr_turnover": (2.2, 0.6),
    "hr_attendance": (97.5, 1.2),
    "staff_compliments": (2, 1.2),
    "staff_quality_check": (92, 3),
}
DRIFT: dict[tuple[str, str], float] = {  # (scorecard code, kpi) → change over the last six months
    ("ORTH", "fin_drug_ratio"): 12.0,  # 骨科 drug ratio climbing: red
    ("CSC", "hr_attendance"): -7.0,  # the centre's attendance slipping: amber → red
    ("hospital", "hr_turnover"): 4.0,  # turnover rising: red
}


def _value(rng: Any, key: str, code: str, index: int) -> Decimal:
    mean, spread = USUAL[code]
    drift = DRIFT.get((key, code), 0.0) * max(0, index - (MONTHS - 7)) / 6
    value = rng.gauss(mean + drift, spread)
    if code in ("hr_attendance",):
        value = min(100.0, value)
    if code == "staff_compliments":
        value = max(0, round(value))
    return Decimal(str(round(max(0.0, value), 1)))


def _fill(context: DemoContext, actor: Any, card: Scorecard, key: str) -> int:
    codes = sorted(
        set(card.perspectives.values_list("objectives__assignments__kpi__code", flat=True)) & set(MANUAL)
    )
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=codes)}
    months = _months(context.as_of)
    count = 0
    for index, month in enumerate(months[:-1]):  # the current month is not reported yet
        for code in codes:
            if context.rng.random() < 0.03:
                continue  # a month nobody reported: shown as missing, never as zero
            kpi_entry_save(
                actor=actor,
                scorecard=card,
                kpi=kpis[code],
                month=month,
                value=_value(context.rng, key, code, index),
            )
            count += 1
    return count


@register_step(80, "scorecards: KPI catalogue, hospital, departments, centre and agents")
def seed_scorecards(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    admin = get_user_model().objects.get(username="admin")
    kpi_catalogue_sync()
    for code, (name, unit, direction, aggregation, definition) in MANUAL.items():
        kpi_create(
            actor=admin,
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            aggregation=aggregation,
            definition=definition,
            source=KpiSource.MANUAL,
        )
    cards: dict[str, Scorecard] = {}
    cards["hospital"] = _build(
        admin, hospital, HOSPITAL_TREE, level=ScorecardLevel.HOSPITAL, name="医院平衡计分卡"
    )
    for code, tree in (("PEDI", PAEDIATRICS_TREE), ("CARD", DEPARTMENT_TREE), ("ORTH", DEPARTMENT_TREE)):
        department: Department = departments[code]
        cards[code] = _build(
            admin,
            hospital,
            tree,
            level=ScorecardLevel.DEPARTMENT,
            department=department,
            name=f"{department.name}计分卡",
        )
    centre = departments["CSC"]
    cards["CSC"] = _build(
        admin,
        hospital,
        CENTRE_TREE,
        level=ScorecardLevel.CENTRE,
        department=centre,
        name="客户服务中心计分卡",
    )
    agents = list(
        Staff.objects.filter(hospital=hospital, home_department=centre, is_active=True).order_by(
            "user_id", "id"
        )
    )
    agents = sorted(agents, key=lambda s: (s.user_id is None, s.pk))[:AGENTS]
    for agent in agents:
        cards[f"staff-{agent.pk}"] = _build(
            admin,
            hospital,
            STAFF_TREE,
            level=ScorecardLevel.STAFF,
            staff=agent,
            department=centre,
            name=f"{agent.name}（客服）",
        )
    context.data["scorecards"] = cards
    context.log(
        f"scorecards: {len(cards)} ({len(agents)} agents), {Kpi.objects.count()} KPIs in the catalogue"
    )


@register_step(81, "scorecards: 18 months of hand-entered figures")
def seed_figures(context: DemoContext) -> None:
    admin = get_user_model().objects.get(username="admin")
    count = sum(_fill(context, admin, card, key) for key, card in context.data["scorecards"].items())
    context.log(f"scorecards: {count} hand-entered figures")


@register_step(82, "scorecards: computed KPIs precomputed")
def seed_precompute(context: DemoContext) -> None:
    now = dt.datetime.combine(context.as_of, dt.time(23, 0), tzinfo=SH)
    written = kpi_month_values_refresh(
        scorecards=list(context.data["scorecards"].values()), months=MONTHS, now=now
    )
    context.log(f"scorecards: {written} precomputed KPI months")


@register_step(83, "scorecards: months closed, one corrected")
def seed_closing(context: DemoContext) -> None:
    quality = get_user_model().objects.get(username="quality_officer")
    months = _months(context.as_of)[:-3]  # last month and the one before stay open for approval
    now = dt.datetime.combine(context.as_of, dt.time(23, 0), tzinfo=SH)
    cards = context.data["scorecards"]
    for key in ("hospital", "PEDI", "CARD", "ORTH", "CSC"):
        for month in months:
            period_close(actor=quality, scorecard=cards[key], month=month, now=now)
    hr = Kpi.objects.get(code="hr_training_hours")
    period_correct(
        actor=quality,
        scorecard=cards["CSC"],
        month=months[-1],
        reason="人事科补报：当月岗前培训 2 学时漏报",
        figures={hr.pk: {"value": "5.1"}},
        now=now,
    )
    context.log(f"scorecards: {ScorePeriod.objects.count()} months closed, one corrected")
