"""Demo step: six months of the desk's daily work at the demo hospital.

Inquiries (a few thousand: walk-in, phone and online; peaks 8–10 am; fewer at weekends; response times
that differ by channel), escorts through their life cycle, the shift handovers of the last weeks with
their acknowledgements, and the agents' work logs. The desk is staffed by the demo ``agent`` and three
colleagues (客服专员 accounts without the demo password) who work the day and night shifts in turn, so
every handover is written by the outgoing agent and taken over by a different, incoming one; the
latest waits for ``agent``. Deterministic with ``context.rng``, relative to
``context.as_of``. Inquiries are written in bulk (the intake service would only add one audit row each);
escorts, handovers and work logs go through their services, back-dated with ``at``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Department, Staff
from carebridge.frontdesk.choices import EscortStatus, InquiryCategory, InquiryChannel, Mobility
from carebridge.frontdesk.models import Escort, Inquiry, Shift
from carebridge.frontdesk.services.escorts import EscortInput, escort_request, escort_transition
from carebridge.frontdesk.services.handover import (
    Occurrence,
    handover_acknowledge,
    handover_open,
    handover_write_notes,
    shifts_install_defaults,
)
from carebridge.frontdesk.services.worklogs import worklog_save
from carebridge.knowledge.models import ExternalHospital
from carebridge.patients.models import Patient

SHANGHAI = ZoneInfo("Asia/Shanghai")
INQUIRIES_PER_WEEKDAY = 24
ESCORTS_PER_WEEKDAY = 4
HANDOVER_DAYS = 28
DAYS = 182
# The desk's other agents (客服专员): login name and name. They exist so that shifts change hands.
DESK_COLLEAGUES = (("desk_zhou", "周敏"), ("desk_wu", "吴静"), ("desk_zheng", "郑浩"))

# Arrivals per hour of the day (relative): the desk opens at 7:30, the morning peak is 8–10 am.
HOUR_WEIGHTS = {
    0: 0.1, 1: 0.05, 2: 0.05, 3: 0.05, 4: 0.05, 5: 0.1, 6: 0.4, 7: 3, 8: 14, 9: 16, 10: 12, 11: 8,
    12: 4, 13: 5, 14: 8, 15: 7, 16: 6, 17: 3, 18: 1.5, 19: 1.2, 20: 0.9, 21: 0.6, 22: 0.3, 23: 0.2,
}  # fmt: skip
CHANNELS = ((InquiryChannel.WALK_IN, 55), (InquiryChannel.PHONE, 30), (InquiryChannel.ONLINE, 15))
# Median response time in minutes and spread (log-normal) by channel: online messages wait longest.
RESPONSE = {
    InquiryChannel.WALK_IN: (2.0, 0.6),
    InquiryChannel.PHONE: (3.0, 0.7),
    InquiryChannel.ONLINE: (25.0, 0.9),
}

# (category, weight, [(question, answer, recommended department code or "" or "!" for a referral)]).
QUESTIONS: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    (InquiryCategory.REGISTRATION, 22, (
        ("专家号怎么预约？明天还有心内科的号吗？", "可通过公众号或自助机预约，明日下午有号。", "CARD"),
        ("初诊没有就诊卡怎么挂号？", "带身份证到一楼自助机办卡挂号，或到人工窗口办理。", ""),
        ("孩子发烧挂哪个科？", "请挂儿科，夜间请到急诊儿科。", "PEDI"),
        ("退号怎么退？", "就诊前可在公众号或窗口退号，费用原路返回。", ""),
    )),
    (InquiryCategory.DIRECTIONS, 25, (
        ("抽血在哪里？", "门诊楼一楼东侧检验科采血处，空腹请早上来。", "LAB"),
        ("CT室怎么走？", "医技楼二楼医学影像科，沿黄色地标走。", "RADI"),
        ("住院部在哪栋楼？", "住院楼在门诊楼北侧，连廊二楼可通。", ""),
        ("取药窗口在哪？", "门诊楼一楼西侧药房，凭缴费单取药。", "PHAR"),
    )),
    (InquiryCategory.RECOMMENDATION, 18, (
        ("腰椎管狭窄，看哪个科？", "首诊建议到骨科检查确诊。", "ORTH"),
        ("腰椎管狭窄不想手术，有没有保守治疗？", "可到推拿科或中医科做非手术治疗。", "TUINA"),
        ("肾结石想做体外碎石，你们医院能做吗？", "本院暂无碎石设备，已介绍外院（最近的和最有名的）。", "!"),
        ("头晕手麻，看神经内科还是骨科？", "建议先看神经内科排除脑血管问题。", "NEUR"),
        ("胸口闷痛好几天了。", "请尽快到心血管内科就诊，疼痛加重立即去急诊。", "CARD"),
        ("老人血糖高，想找专家看看。", "内分泌科有糖尿病专病门诊，已告知出诊时间。", "ENDO"),
    )),
    (InquiryCategory.FEES, 10, (
        ("医保异地能直接结算吗？", "已备案的异地医保可直接结算，未备案请先在医保APP备案。", ""),
        ("住院押金交多少？", "一般三千到五千元，视科室和病情而定。", ""),
    )),
    (InquiryCategory.TESTS, 9, (
        ("胃镜要空腹吗？", "检查前8小时禁食，已告知预约流程。", "GAST"),
        ("体检报告什么时候能取？", "一般5个工作日，可在公众号查询。", "CHKP"),
        ("核磁共振要排多久？", "目前约三天，急诊优先。", "RADI"),
    )),
    (InquiryCategory.INPATIENT, 6, (
        ("办住院要带什么？", "身份证、医保卡、住院证，到一楼入院处办理。", ""),
        ("病房可以陪护吗？", "每位患者限一名陪护，需办理陪护证。", ""),
    )),
    (InquiryCategory.RECORDS, 5, (
        ("出院后怎么复印病历？", "出院7个工作日后凭身份证到病案室复印，可邮寄。", ""),
        ("要开诊断证明去哪里盖章？", "医生开具后到门诊部盖章。", ""),
    )),
    (InquiryCategory.OTHER, 5, (
        ("医院有轮椅借用吗？", "一楼服务台可免费借用，押身份证。", ""),
        ("停车场还有车位吗？", "地下停车场车位紧张，建议公共交通。", ""),
    )),
)  # fmt: skip
PLACES = (
    "门诊大厅",
    "急诊科",
    "医学影像科CT室",
    "检验科采血处",
    "心电图室",
    "超声科",
    "住院部入院处",
    "康复医学科",
)
NOTES = (
    "今日门诊量大，上午咨询集中在挂号和就诊指引。",
    "协助两位老人使用自助机，已反馈自助机操作说明需加大字体。",
    "一位患者询问碎石，已介绍外院，并登记回访。",
    "陪诊一位轮椅患者完成CT和抽血。",
    "",
)


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(list(HOUR_WEIGHTS), weights=list(HOUR_WEIGHTS.values()))[0]
    return dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=SHANGHAI)


def _inquiries(
    context: DemoContext,
    *,
    hospital: Any,
    departments: dict[str, Department],
    doctors: dict[str, list[Staff]],
    agents: list[Any],
    patients: list[Patient],
    referrals: list[ExternalHospital],
    limit: dt.datetime,
) -> int:
    rng = context.rng
    rows = []
    for offset in range(DAYS, -1, -1):
        day = context.as_of - dt.timedelta(days=offset)
        volume = INQUIRIES_PER_WEEKDAY if day.weekday() < 5 else INQUIRIES_PER_WEEKDAY // 3
        for _ in range(max(0, round(rng.gauss(volume, volume / 5)))):
            received = _moment(rng, day)
            if received > limit:
                continue
            channel = _pick(rng, CHANNELS)
            category, _, texts = rng.choices(QUESTIONS, weights=[w for _, w, _ in QUESTIONS])[0]
            question, answer, code = rng.choice(texts)
            median, spread = RESPONSE[channel]
            minutes = median * math.exp(rng.gauss(0, spread))
            answered = received + dt.timedelta(minutes=minutes)
            callback = rng.random() < 0.04
            if callback:
                answered = received + dt.timedelta(hours=rng.uniform(1, 20))
            agent = rng.choice(agents)
            open_now = answered > limit
            department = departments.get(code) if code not in ("", "!") else None
            doctor_pool = doctors.get(code, []) if department else []
            rows.append(
                Inquiry(
                    hospital=hospital,
                    channel=channel,
                    category=category,
                    question=question,
                    answer="" if open_now else answer,
                    asker_name=rng.choice("王李张刘陈杨赵黄周吴")
                    + rng.choice(("先生", "女士", "阿姨", "大爷")),
                    patient=rng.choice(patients) if patients and rng.random() < 0.15 else None,
                    recommended_department=department,
                    recommended_doctor=rng.choice(doctor_pool)
                    if doctor_pool and rng.random() < 0.4
                    else None,
                    referred_hospital=rng.choice(referrals[:2]) if code == "!" and referrals else None,
                    received_at=received,
                    received_by=agent,
                    answered_at=None if open_now else answered,
                    answered_by=None if open_now else agent,
                )
            )
    Inquiry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _desk_colleagues(hospital: Any, departments: dict[str, Department]) -> list[Any]:
    """The desk's other agents: accounts in the agent role without a usable password (the demo's logins
    are one per role), each with a staff record at the customer service centre."""
    user_model = get_user_model()
    group = Group.objects.get(name="agent")
    colleagues = []
    for username, name in DESK_COLLEAGUES:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
            Staff.objects.create(
                hospital=hospital, user=user, name=name, kind="agent", title="客服专员",
                home_department=departments.get("CSC"),
            )  # fmt: skip
        colleagues.append(user)
    return colleagues


def _escort_staff(hospital: Any, departments: dict[str, Department], agent_staff: Staff) -> list[Staff]:
    """The desk's escort team (陪诊员): the demo agent and three colleagues without a login."""
    team = [
        Staff.objects.get_or_create(
            hospital=hospital,
            name=name,
            kind="agent",
            defaults={"title": "陪诊员", "home_department": departments.get("CSC")},
        )[0]
        for name in ("陈晓燕", "刘婷", "张伟")
    ]
    return [agent_staff, *team]


@transaction.atomic
def _escorts(
    context: DemoContext, *, hospital: Any, requesters: list[Any], team: list[Staff], limit: dt.datetime
) -> int:
    rng, created = context.rng, 0
    patients = list(Patient.objects.filter(hospital=hospital, merged_into__isnull=True).order_by("pk")[:500])
    for offset in range(DAYS, -1, -1):
        day = context.as_of - dt.timedelta(days=offset)
        count = ESCORTS_PER_WEEKDAY if day.weekday() < 5 else 1
        for _ in range(rng.randint(max(0, count - 2), count + 2)):
            scheduled = dt.datetime.combine(
                day, dt.time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))), tzinfo=SHANGHAI
            )
            requested = scheduled - dt.timedelta(minutes=rng.randint(10, 120))
            if requested > limit:
                continue
            requester = rng.choice(requesters)
            # Only the desk (hospital-wide) links any patient; the wards' requests name the patient.
            patient = (
                rng.choice(patients)
                if patients and requester is requesters[0] and rng.random() < 0.8
                else None
            )
            origin, target = rng.sample(PLACES, 2)
            escort = escort_request(
                hospital=hospital,
                actor=requester,
                at=requested,
                data=EscortInput(
                    from_place=origin,
                    to_place=target,
                    scheduled_at=scheduled,
                    mobility=rng.choices(Mobility.values, weights=(50, 40, 10))[0],
                    patient=patient,
                    patient_name="" if patient else rng.choice("王李张刘陈") + "某",
                    notes=rng.choice(("", "", "家属不在身边", "需携带氧气袋", "听力不好，请耐心")),
                ),
            )
            created += 1
            _advance(rng, escort, requesters[0], team, limit)
    open_now = _escorts_open_now(context, hospital=hospital, requester=requesters[0], team=team, limit=limit)
    return created + open_now


def _escorts_open_now(
    context: DemoContext, *, hospital: Any, requester: Any, team: list[Staff], limit: dt.datetime
) -> int:
    """Whatever the time the demo is loaded, the desk has escorts open: one due 40 minutes ago whose
    escort has not set off (overdue), one booked for tomorrow morning and assigned, one still waiting
    for someone to be assigned."""
    rng = context.rng
    tomorrow = timezone.localtime(limit, SHANGHAI).date() + dt.timedelta(days=1)
    morning = dt.datetime.combine(tomorrow, dt.time(8, 30), tzinfo=SHANGHAI)
    bookings = (
        (limit - dt.timedelta(minutes=40), limit - dt.timedelta(hours=2), True),
        (morning, limit - dt.timedelta(hours=1), True),
        (morning + dt.timedelta(minutes=75), limit - dt.timedelta(minutes=20), False),
    )
    for scheduled, requested, assign in bookings:
        origin, target = rng.sample(PLACES, 2)
        escort = escort_request(
            hospital=hospital,
            actor=requester,
            at=requested,
            data=EscortInput(
                from_place=origin,
                to_place=target,
                scheduled_at=scheduled,
                mobility=Mobility.WHEELCHAIR,
                patient=None,
                patient_name=rng.choice("王李张刘陈") + "某",
                notes="",
            ),
        )
        if assign:
            escort_transition(
                escort=escort,
                to=EscortStatus.ASSIGNED,
                actor=requester,
                staff=rng.choice(team),
                at=requested + dt.timedelta(minutes=5),
            )
    return len(bookings)


def _advance(rng: random.Random, escort: Escort, actor: Any, team: list[Staff], limit: dt.datetime) -> None:
    """Walk an escort through its life cycle as far as the demo's "now" allows."""
    at = escort.requested_at + dt.timedelta(minutes=rng.randint(2, 20))
    if at > limit:
        return
    if rng.random() < 0.06:
        escort_transition(
            escort=escort, to=EscortStatus.CANCELLED, actor=actor, reason="患者家属已陪同", at=at
        )
        return
    escort = escort_transition(
        escort=escort, to=EscortStatus.ASSIGNED, actor=actor, staff=rng.choice(team), at=at
    )
    at = max(at, escort.scheduled_at) + dt.timedelta(minutes=rng.randint(0, 10))
    if at > limit:
        return
    escort = escort_transition(escort=escort, to=EscortStatus.UNDER_WAY, actor=actor, at=at)
    at += dt.timedelta(minutes=rng.randint(15, 60))
    if at > limit:
        return
    escort_transition(escort=escort, to=EscortStatus.DONE, actor=actor, at=at)


def _handovers(context: DemoContext, *, hospital: Any, roster: list[Any], limit: dt.datetime) -> int:
    """The handovers of the last weeks: the agents of ``roster`` work the shifts in turn; each handover is
    written by the outgoing agent and acknowledged within minutes by the incoming one, but the latest,
    which waits for the shift now on duty — worked by ``roster[0]``, the demo ``agent``."""
    rng = context.rng
    shifts = {s.code: s for s in shifts_install_defaults(hospital=hospital)}
    occurrences = []
    for offset in range(HANDOVER_DAYS, -1, -1):
        day = context.as_of - dt.timedelta(days=offset)
        for shift in sorted(shifts.values(), key=lambda s: s.starts_at):
            occurrences.append(_occurrence(shift, day))
    ended = [o for o in occurrences if o.end <= limit]

    def worker(index: int) -> Any:
        # The shift after the last ended one (the one on duty now) is the demo agent's.
        return roster[(index - len(ended)) % len(roster)]

    for index, occurrence in enumerate(ended):
        handover, _created = handover_open(hospital=hospital, occurrence=occurrence, now=occurrence.end)
        handover = handover_write_notes(
            handover=handover,
            actor=worker(index),
            notes=rng.choice(
                (
                    "3号床轮椅患者下午复查CT，已预约陪诊。",
                    "投诉TS件待医患办回复，请跟进。",
                    "一位患者待回电确认病历复印时间。",
                    "自助机2号故障，已报修。",
                    "无特殊交代，清单所列事项请跟进。",
                    "无特殊交代，清单所列事项请跟进。",
                )
            ),
        )
        ack = occurrence.end + dt.timedelta(minutes=rng.randint(3, 25))
        if index < len(ended) - 1 and ack <= limit:
            handover_acknowledge(
                handover=handover, actor=worker(index + 1), note=rng.choice(("", "已接班", "已核对")), at=ack
            )
    return len(ended)


def _occurrence(shift: Shift, day: dt.date) -> Occurrence:
    start = dt.datetime.combine(day, shift.starts_at, tzinfo=SHANGHAI)
    end_day = day if shift.ends_at > shift.starts_at else day + dt.timedelta(days=1)
    return Occurrence(shift, day, start, dt.datetime.combine(end_day, shift.ends_at, tzinfo=SHANGHAI))


@register_step(45, "desk: inquiries, escorts, handover")
def seed_frontdesk(context: DemoContext) -> None:
    hospital, departments, _wards, staff = context.data["hospitals"][0]
    users = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=("agent", "ward_manager", "clinician"))
        .select_related("staff")
    }
    agent = users["agent"]
    end = dt.datetime.combine(context.as_of, dt.time(18), tzinfo=SHANGHAI)
    limit = min(end, timezone.now())
    patients = list(Patient.objects.filter(hospital=hospital, merged_into__isnull=True).order_by("pk")[:2000])
    referrals = list(
        ExternalHospital.objects.filter(hospital=hospital, services_offered__contains="碎石").order_by(
            "-reputation"
        )
    )
    doctors = {code: list(kinds.get("doctor", [])) for code, kinds in staff.items()}
    colleagues = _desk_colleagues(hospital, departments)
    inquiries = _inquiries(
        context,
        hospital=hospital,
        departments=departments,
        doctors=doctors,
        agents=[agent, *colleagues],
        patients=patients,
        referrals=referrals,
        limit=limit,
    )
    team = _escort_staff(hospital, departments, agent.staff)
    requesters = [agent, *(users[name] for name in ("ward_manager", "clinician") if name in users)]
    escorts = _escorts(context, hospital=hospital, requesters=requesters, team=team, limit=limit)
    handovers = _handovers(context, hospital=hospital, roster=[agent, *colleagues], limit=limit)
    logs = 0
    for offset in range(DAYS, -1, -1):
        day = context.as_of - dt.timedelta(days=offset)
        if day.weekday() < 5 and day <= timezone.localtime(limit).date():
            # The demo agent writes a log every working day; a colleague on duty writes one too.
            for author in (agent, colleagues[offset % len(colleagues)]):
                worklog_save(actor=author, day=day, notes=context.rng.choice(NOTES), now=limit)
                logs += 1
    context.log(f"desk: {inquiries} inquiries, {escorts} escorts, {handovers} handovers, {logs} work logs")
