"""Demo step: six months of complaints, compliments and suggestions at the demo hospital.

Cases go through the real services (intake, routing, notes, pauses, resolution, feedback, closure), back-
dated with their ``at`` argument, so the demo shows what the services would have recorded: deadlines
computed on the working calendar, a few cases resolved on the spot, several involving two departments,
and some left overdue and escalated once. Deterministic with ``context.rng``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from carebridge.complaints.choices import Channel, ComplaintStatus, FeedbackKind, RecoveryKind, RootCause
from carebridge.complaints.domain.policy import DEFAULT_ROUTING_CODES
from carebridge.complaints.models import Complaint, ComplaintPolicy, RoutingRule
from carebridge.complaints.services.complaints import (
    ComplaintInput,
    complaint_receive,
    complaint_record_feedback,
    note_add,
    recovery_action_add,
)
from carebridge.complaints.services.escalation import complaints_escalate_overdue
from carebridge.complaints.services.transitions import complaint_route, complaint_transition
from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Department, Hospital, Staff
from carebridge.patients.models import Patient

SHANGHAI = ZoneInfo("Asia/Shanghai")
CASES_PER_MONTH = 30
CLINICAL = (
    "CARD",
    "RESP",
    "GAST",
    "NEUR",
    "GSUR",
    "ORTH",
    "OBST",
    "PEDI",
    "OPHT",
    "EMER",
    "RADI",
    "LAB",
    "PHAR",
)

# (category, weight, [texts]); {dept} is the department involved.
COMPLAINT_TEXTS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (
        "attitude",
        25,
        (
            "{dept}门诊护士态度冷漠，问了两遍都不耐烦，说话很冲。",
            "在{dept}咨询检查注意事项，医生态度很差，爱答不理。",
            "{dept}收费窗口工作人员训斥老人，服务差，希望整改。",
        ),
    ),
    (
        "waiting",
        18,
        (
            "在{dept}排队等了三个多小时才看上病，候诊区也没人维持秩序。",
            "预约了九点的号，在{dept}等了两个小时，有人插队没人管。",
            "{dept}做检查排队太慢，报告迟迟出不来。",
        ),
    ),
    (
        "fees",
        14,
        (
            "出院结算发现多收了两项检查费用，要求退费。",
            "{dept}住院账单有重复收费，医保报销也没说清楚。",
            "门诊缴费后检查取消了，退费手续太麻烦。",
        ),
    ),
    (
        "communication",
        12,
        (
            "{dept}医生没说清手术风险，家属签字前不告诉我们可能的后果。",
            "{dept}查房时解释病情太简单，我们听不懂也不敢多问。",
        ),
    ),
    (
        "medical_quality",
        10,
        (
            "在{dept}就诊后病情加重，怀疑误诊，要求医院给个说法。",
            "{dept}手术后出现并发症，医生说是正常现象，我们不接受。",
            "{dept}开错药，回家才发现，幸好没吃。",
        ),
    ),
    (
        "nursing",
        9,
        (
            "{dept}病房夜里按呼叫铃半小时没人来，输液鼓针了。",
            "{dept}护士扎针扎了四次，孩子哭得厉害。",
        ),
    ),
    (
        "environment",
        7,
        (
            "住院楼卫生间很脏，有异味，好几天没人打扫。",
            "医院停车太难，电梯也经常坏。",
        ),
    ),
    (
        "ethics",
        3,
        (
            "{dept}有医生暗示要红包才能尽快安排手术。",
            "{dept}医生推销院外药店的药，怀疑拿回扣。",
        ),
    ),
    ("other", 2, ("出院时没来得及取走ct片子，后来被清理掉了，希望能补。",)),
)
COMPLIMENTS = (
    "感谢{dept}的医生护士，照顾非常耐心周到，送锦旗表示感谢。",
    "{dept}护士长热情负责，出院后还打电话回访，特此表扬。",
    "{dept}医生医术高明，讲解清楚，全家都很感激。",
)
SUGGESTIONS = (
    "建议门诊增加自助缴费机，减少排队。",
    "建议住院部增加陪护床位和热水供应。",
    "建议{dept}候诊区增加叫号屏幕和座椅。",
)
CHANNELS = (
    (Channel.WALK_IN, 35),
    (Channel.PHONE, 25),
    (Channel.ONLINE, 12),
    (Channel.HOTLINE_12320, 10),
    (Channel.FOLLOWUP_CALL, 8),
    (Channel.SURVEY, 6),
    (Channel.LETTER, 4),
)
NAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def routing_install(*, hospital: Hospital, office_head: Staff | None = None) -> None:
    """The default routing map (医疗质量→医患办, 护理→护理部, 医德医风→纪检, 费用→财务科, others→医患办)."""
    offices = {
        d.code: d
        for d in Department.objects.filter(hospital=hospital, code__in=set(DEFAULT_ROUTING_CODES.values()))
    }
    for category, code in DEFAULT_ROUTING_CODES.items():
        if code in offices:
            RoutingRule.objects.update_or_create(
                hospital=hospital, category=category, defaults={"office": offices[code]}
            )
    ComplaintPolicy.objects.update_or_create(
        hospital=hospital, defaults={"default_office": offices.get("PREL"), "office_head": office_head}
    )


class _Case:
    """One case's life, with a clock that never runs past the demo's "now"."""

    def __init__(self, rng: random.Random, limit: dt.datetime) -> None:
        self.rng, self.limit = rng, limit

    def later(self, at: dt.datetime, hours: tuple[float, float]) -> dt.datetime | None:
        moment = at + dt.timedelta(hours=self.rng.uniform(*hours))
        return moment if moment <= self.limit else None


@transaction.atomic
def _one(  # noqa: PLR0911 - each step returns early when it would pass the demo's "now"
    context: DemoContext,
    *,
    hospital: Hospital,
    departments: dict[str, Department],
    staff: dict[str, dict[str, list[Staff]]],
    patients: list[Patient],
    owners: list[Any],
    officer: Any,
    received: dt.datetime,
    limit: dt.datetime,
    leave_open: bool,
    kind: str,
) -> Complaint:
    rng = context.rng
    case = _Case(rng, limit)
    codes = [code for code in CLINICAL if code in departments]
    involved = [rng.choice(codes)]
    if kind == FeedbackKind.COMPLAINT and rng.random() < 0.15:
        involved.append(rng.choice([c for c in codes if c != involved[0]]))
    dept_name = departments[involved[0]].name
    category = ""
    if kind == FeedbackKind.COMPLAINT:
        category, _, texts = rng.choices(COMPLAINT_TEXTS, weights=[w for _, w, _ in COMPLAINT_TEXTS])[0]
        content = rng.choice(texts).format(dept=dept_name)
    else:
        content = rng.choice(COMPLIMENTS if kind == FeedbackKind.COMPLIMENT else SUGGESTIONS).format(
            dept=dept_name
        )
    people = staff.get(involved[0], {})
    named = [rng.choice(people[k]) for k in ("doctor", "nurse") if people.get(k) and rng.random() < 0.5]
    patient = rng.choice(patients) if patients and rng.random() < 0.7 else None
    owner = rng.choice(owners)
    spot = kind == FeedbackKind.COMPLAINT and rng.random() < 0.2 and not leave_open
    complaint = complaint_receive(
        hospital=hospital,
        actor=owner,
        data=ComplaintInput(
            content=content,
            channel=_pick(rng, CHANNELS),
            kind=kind,
            category=category,
            severity=rng.choices((1, 2, 3, 4), weights=(45, 35, 15, 5))[0]
            if kind == FeedbackKind.COMPLAINT
            else 1,
            patient=patient,
            complainant_name="" if patient else rng.choice(NAMES) + rng.choice("先生女士"),
            complainant_phone="" if patient else f"13{rng.randint(0, 999999999):09d}",
            complainant_class="patient" if patient else rng.choice(("family", "family", "public")),
            departments=[departments[c] for c in involved],
            staff=named,
            received_at=received,
            on_the_spot_resolution="当场向患者解释并致歉，患者表示理解。" if spot else "",
        ),
    )
    if spot or kind == FeedbackKind.COMPLIMENT:
        if kind == FeedbackKind.COMPLIMENT and (at := case.later(received, (2, 30))):
            complaint_transition(
                complaint=complaint,
                to=ComplaintStatus.CLOSED,
                actor=officer,
                reason="已转达科室并记入表扬",
                at=at,
            )
        return complaint
    at = case.later(received, (0.5, 6))
    if at is None:
        return complaint
    complaint = complaint_route(complaint=complaint, actor=owner, at=at)
    if (at := case.later(at, (2, 30))) is None:
        return complaint
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=officer, at=at
    )
    note_add(complaint=complaint, actor=officer, text="已联系科室负责人核实情况，调阅相关记录。", at=at)
    if leave_open:
        return complaint
    if rng.random() < 0.1 and (at := case.later(at, (4, 24))):
        complaint = complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.AWAITING_COMPLAINANT,
            actor=officer,
            reason="请投诉人补充就诊票据",
            at=at,
        )
        if (at := case.later(at, (24, 96))) is None:
            return complaint
        complaint = complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.INVESTIGATING,
            actor=officer,
            reason="投诉人已补充材料",
            at=at,
        )
    if at is None or (at := case.later(at, (20, 150))) is None:
        return complaint
    resolution = {
        "fees": "核实确有重复收费，已办理退费。",
        "other": "协调影像科重新洗印ct片，患者满意。",
    }.get(complaint.category, "经调查核实，已与科室沟通整改，并向投诉人反馈处理意见。")
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.RESOLVED, actor=officer, resolution=resolution, at=at
    )
    if complaint.kind == FeedbackKind.COMPLAINT and rng.random() < 0.35:
        kind_, cost = {
            "fees": (RecoveryKind.FEE_REFUND, Decimal(rng.randint(20, 600))),
            "other": (RecoveryKind.REISSUED_DOCUMENTS, Decimal(0)),
        }.get(
            complaint.category, (rng.choice((RecoveryKind.APOLOGY, RecoveryKind.APOLOGY_VISIT)), Decimal(0))
        )
        recovery_action_add(
            complaint=complaint, actor=officer, kind=kind_, description=resolution, cost=cost, done_at=at
        )
    if (at := case.later(at, (24, 72))) is None:
        return complaint
    satisfied = rng.random() < 0.8
    complaint = complaint_record_feedback(
        complaint=complaint,
        actor=officer,
        satisfied=satisfied,
        feedback="" if satisfied else "对处理结果仍有异议",
        at=at,
    )
    if (at := case.later(at, (4, 48))) is None:
        return complaint
    root = {
        "attitude": RootCause.ATTITUDE,
        "waiting": RootCause.RESOURCES,
        "fees": RootCause.BILLING,
        "communication": RootCause.COMMUNICATION,
        "medical_quality": RootCause.SKILL,
        "ethics": RootCause.MISCONDUCT,
        "environment": RootCause.FACILITIES,
    }.get(complaint.category, RootCause.PROCESS)
    return complaint_transition(
        complaint=complaint,
        to=ComplaintStatus.CLOSED,
        actor=officer,
        root_cause=root if complaint.kind == FeedbackKind.COMPLAINT else "",
        at=at,
    )


@register_step(40, "complaints")
def seed_complaints(context: DemoContext) -> None:
    hospital, departments, _wards, staff = context.data["hospitals"][0]
    users = (
        get_user_model().objects.filter(username__in=("agent", "complaint_officer")).select_related("staff")
    )
    by_name = {u.username: u for u in users}
    officer, agent = by_name["complaint_officer"], by_name["agent"]
    for index, (other, *_rest) in enumerate(context.data["hospitals"]):
        routing_install(hospital=other, office_head=officer.staff if index == 0 else None)
    patients = list(Patient.objects.filter(hospital=hospital, merged_into__isnull=True).order_by("pk")[:2000])
    end = dt.datetime.combine(context.as_of, dt.time(18), tzinfo=SHANGHAI)
    limit = min(end, timezone.now())
    total = CASES_PER_MONTH * 6
    moments = sorted(
        dt.datetime.combine(
            context.as_of - dt.timedelta(days=context.rng.randint(0, 182)),
            dt.time(context.rng.randint(8, 16), context.rng.randint(0, 59)),
            tzinfo=SHANGHAI,
        )
        for _ in range(total)
    )
    # The mix is dealt, not drawn case by case: 72 % complaints, 18 % compliments, 10 % suggestions hold
    # exactly whatever the shared generator's state after the steps before (free draws over ~160 cases
    # can put suggestions above compliments).
    kinds = [FeedbackKind.SUGGESTION] * round(total * 0.10) + [FeedbackKind.COMPLIMENT] * round(total * 0.18)
    kinds += [FeedbackKind.COMPLAINT] * (total - len(kinds))
    context.rng.shuffle(kinds)
    created = 0
    for received, kind in zip(moments, kinds, strict=True):
        if received > limit:
            continue
        age = (limit - received).days
        # About one in twenty cases older than three weeks was never answered: the overdue queue.
        leave_open = 21 < age < 90 and context.rng.random() < 0.05
        _one(
            context,
            hospital=hospital,
            departments=departments,
            staff=staff,
            patients=patients,
            owners=[agent, agent, officer],
            officer=officer,
            received=received,
            limit=limit,
            leave_open=leave_open,
            kind=kind,
        )
        created += 1
    escalated = complaints_escalate_overdue(now=limit)
    context.log(f"complaints: {created} cases, {len(escalated)} escalated")
