"""Demo step 75: a year of staff standards and activities for the demo hospital.

The customer-service centre's desk posts and staff with admission assessments, a year of rotations and
a plan for next month; the seed's courses delivered in batches (sessions, attendance, exam scores,
spend against the 5% budget); health lectures, two health-day free clinics with people screened through
the checkup results model, a welfare day, 双创 campaign tasks, media items and honours; and a weekly
Tuesday inspection round with findings — most rectified in time and verified, some rectified late,
a few still open past their deadline and escalated. Deterministic with ``context.rng``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from carebridge.core.demo.steps import DemoContext, register_check, register_step
from carebridge.core.models import Department, Staff
from carebridge.frontdesk.models import Shift
from carebridge.performance.choices import ActivityKind, FindingStatus, RoundKind
from carebridge.performance.domain import defaults
from carebridge.performance.models import (
    Activity,
    AdmissionAssessment,
    AdmissionCriterion,
    AdmissionScore,
    Attendance,
    Course,
    Finding,
    FindingTransition,
    HealthDay,
    InspectionArea,
    InspectionRound,
    Post,
    PostAssignment,
    TrainingSession,
    TrainingYear,
)
from carebridge.performance.services.activities import screening_register

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Rounds (weeks ago) whose first finding is still open past its deadline, escalated.
OVERDUE_WEEKS = (1, 3, 5)
# Extra department heads (no login) so that each inspected area has someone to rectify its findings.
HEADS = {
    "CARD": "head_card",
    "GSUR": "head_gsur",
    "PEDI": "head_pedi",
    "EMER": "head_emer",
    "CHKP": "head_chkp",
    "CSC": "head_csc",
}
AREAS = (
    ("门诊大厅", "CSC"),
    ("急诊走廊", "EMER"),
    ("骨科病区", "ORTH"),
    ("心内科病区", "CARD"),
    ("普外科病区", "GSUR"),
    ("儿科病区", "PEDI"),
    ("体检中心", "CHKP"),
    ("医疗废物暂存点", "ORTH"),
)
PROBLEMS = (
    "地面有积水",
    "楼道堆放杂物",
    "垃圾未分类投放",
    "卫生间有异味",
    "窗台积灰",
    "消防通道被占用",
    "医疗废物交接记录不全",
    "病媒生物防制设施缺损",
    "宣传栏内容过期",
    "吸烟区外有烟头",
)
OUTLETS = (
    "《健康报》",
    "《北京晚报》",
    "《法制晚报》",
    "北京城市广播",
    "北京电视台",
    "中央电视台",
    "人民网",
    "搜狐网",
    "新浪网",
    "医院微信公众号",
)


@register_check("staff standards and activities")
def demo_loaded() -> bool:
    return Activity.objects.exists()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _config(hospital: Any, departments: dict[str, Department]) -> dict[str, Any]:
    csc = departments.get("CSC")
    posts = {
        code: Post.objects.create(
            hospital=hospital, code=code, name=name, department=csc, minimum_staff=minimum
        )
        for code, name, minimum in defaults.POSTS
    }
    criteria = [
        AdmissionCriterion.objects.create(hospital=hospital, area=area, name=name, sequence=i)
        for i, (area, name) in enumerate(defaults.CRITERIA)
    ]
    courses = {}
    for code, title, hours, assessment, mark, mandatory in defaults.COURSES:
        course = Course.objects.create(
            hospital=hospital,
            code=code,
            title=title,
            hours=Decimal(hours),
            assessment=assessment,
            pass_mark=mark,
            content=title,
        )
        course.mandatory_for.set([posts[p] for p in mandatory])
        courses[code] = course
    days = {
        name: HealthDay.objects.create(hospital=hospital, month=m, day=d, name=name)
        for m, d, name in defaults.HEALTH_DAYS
    }
    return {"posts": posts, "criteria": criteria, "courses": courses, "days": days}


def _people(
    hospital: Any, departments: dict[str, Department], staff: dict[str, dict[str, list[Staff]]]
) -> list[Staff]:
    desk = [s for kind in staff.get("CSC", {}).values() for s in kind]
    agent = Staff.objects.filter(user__username="agent").first()
    return sorted({s.pk: s for s in [*desk, *([agent] if agent else [])]}.values(), key=lambda s: s.pk)


def _standards(
    context: DemoContext, hospital: Any, config: dict[str, Any], people: list[Staff], assessor: Any
) -> None:
    rng, today = context.rng, context.as_of
    posts = list(config["posts"].values())
    shift = Shift.objects.filter(hospital=hospital).order_by("id").first()
    assignments, scores = [], []
    for index, person in enumerate(people):
        assessment = AdmissionAssessment.objects.create(
            staff=person,
            assessed_on=today - dt.timedelta(days=rng.randint(400, 900)),
            assessor=assessor,
            passed=True,
        )
        for criterion in config["criteria"]:
            scores.append(
                AdmissionScore(assessment=assessment, criterion=criterion, score=Decimal(rng.randint(6, 10)))
            )
        start = today - dt.timedelta(days=rng.randint(330, 400))
        post = posts[index % len(posts)]
        while True:
            length = rng.randint(120, 220)
            end = start + dt.timedelta(days=length)
            current = end >= today
            assignments.append(
                PostAssignment(
                    staff=person,
                    post=post,
                    shift=shift,
                    starts_on=start,
                    ends_on=None if current else end,
                    reason="岗位轮换",
                )
            )
            if current:
                break
            start, post = end + dt.timedelta(days=1), posts[(posts.index(post) + 1) % len(posts)]
        if index % 3 == 0:
            assignments.append(
                PostAssignment(
                    staff=person,
                    post=posts[(posts.index(post) + 2) % len(posts)],
                    shift=shift,
                    planned=True,
                    starts_on=today + dt.timedelta(days=rng.randint(7, 40)),
                    reason="轮岗计划",
                )
            )
    AdmissionScore.objects.bulk_create(scores)
    PostAssignment.objects.bulk_create(assignments)


def _training(
    context: DemoContext, hospital: Any, config: dict[str, Any], people: list[Staff], others: list[Staff]
) -> int:
    rng, today = context.rng, context.as_of
    for year in (today.year - 1, today.year):
        TrainingYear.objects.create(
            hospital=hospital, year=year, hours_target=Decimal(24), personnel_spend=Decimal(3600000)
        )
    courses = list(config["courses"].values())
    rows = []
    sessions = 0
    for week in range(0, 52, 2):
        held_on = today - dt.timedelta(weeks=week, days=rng.randint(0, 4))
        course = courses[week // 2 % len(courses)]
        session = TrainingSession.objects.create(
            hospital=hospital,
            course=course,
            held_on=held_on,
            trainer=rng.choice(["王老师", "李主任", "张护士长", "外聘讲师"]),
            place=rng.choice(["门诊楼三楼会议室", "学术报告厅", "客服中心"]),
            cost=Decimal(rng.choice([0, 500, 800, 1200, 3000])),
        )
        sessions += 1
        pool = people + (rng.sample(others, min(len(others), 12)) if course.code == "infection" else [])
        for person in pool:
            if rng.random() > 0.8:
                continue
            score = None if course.pass_mark is None else Decimal(min(100, max(35, round(rng.gauss(80, 11)))))
            passed = (
                True
                if course.assessment == "attendance"
                else (None if score is None else score >= course.pass_mark)
            )
            rows.append(
                Attendance(session=session, staff=person, hours=course.hours, score=score, passed=passed)
            )
    # A year of exams has someone to retake: on a date whose random draws give no failure, the lowest
    # score of an examined course falls just under its pass mark (the demo shows the retake list either way).
    examined = [
        (row.score, row.session.course.pass_mark, row)
        for row in rows
        if row.score is not None and row.session.course.pass_mark is not None
    ]
    if examined and not any(row.passed is False for _, _, row in examined):
        _, pass_mark, lowest = min(examined, key=lambda triple: triple[0])
        lowest.score, lowest.passed = Decimal(pass_mark) - 5, False
    Attendance.objects.bulk_create(rows)
    return sessions


def _screen(context: DemoContext, activity: Activity, centre: Department | None, actor: Any) -> int:
    if centre is None or actor is None:
        return 0
    rng = context.rng
    done = 0
    for number in range(rng.randint(8, 14)):
        sex = rng.choice("MF")
        values = {
            "SBP": str(rng.randint(105, 172)),
            "DBP": str(rng.randint(62, 104)),
            "GLU": f"{rng.uniform(4.2, 6.9):.1f}",
        }
        try:
            with transaction.atomic():
                screening_register(
                    activity=activity,
                    centre=centre,
                    actor=actor,
                    name=f"义诊居民{activity.pk}-{number + 1}",
                    sex=sex,
                    birth_date=dt.date(rng.randint(1945, 1985), rng.randint(1, 12), rng.randint(1, 28)),
                    consent=True,
                    values=values,
                    at=_at(activity.held_on, 9, 10 + number * 3),
                )
        except ValidationError:
            continue  # the centre's day was full: the person was screened but not filed
        done += 1
    return done


def _activities(
    context: DemoContext, hospital: Any, departments: dict[str, Department], config: dict[str, Any]
) -> dict[str, int]:
    rng, today = context.rng, context.as_of
    start = today - dt.timedelta(days=364)
    organisers = [d for code, d in departments.items() if code in ("CSC", "CHKP", "NURS", "MEDA", "INFE")]
    counts = {"screened": 0}

    def add(kind: str, title: str, held_on: dt.date, **fields: Any) -> Activity:
        counts[kind] = counts.get(kind, 0) + 1
        return Activity.objects.create(
            hospital=hospital,
            kind=kind,
            title=title,
            held_on=held_on,
            organiser=rng.choice(organisers),
            **fields,
        )

    topics = (
        "高血压防治",
        "糖尿病饮食",
        "骨质疏松",
        "冬季呼吸道传染病预防",
        "儿童营养",
        "心肺复苏",
        "戒烟限酒",
        "科学运动",
    )
    for month in range(12):
        for _ in range(2):
            held_on = start + dt.timedelta(days=month * 30 + rng.randint(0, 27))
            add(
                ActivityKind.LECTURE,
                f"健康讲座：{rng.choice(topics)}",
                held_on,
                place=rng.choice(["门诊大厅", "社区活动中心", "学术报告厅"]),
                participants=rng.randint(2, 5),
                attendees=rng.randint(30, 150),
                hours=Decimal(2),
                leaflets=rng.randint(50, 200),
                prescriptions=rng.randint(20, 80),
                cost=Decimal(rng.randint(100, 600)),
                effect="听众反响良好，现场咨询踊跃。",
            )
    centre, screener = (
        departments.get("CHKP"),
        get_user_model().objects.filter(username="checkup_staff").first(),
    )
    clinics = 0
    for name, partner in (
        ("世界防治结核病日", "区疾控中心"),
        ("世界艾滋病日", "市卫生局"),
        ("世界无烟日", "区爱卫办"),
    ):
        day = config["days"][name]
        held_on = dt.date(today.year, day.month, day.day)
        if held_on > today:
            held_on = dt.date(today.year - 1, day.month, day.day)
        if clinics == 2 or held_on < start:
            continue
        clinics += 1
        clinic = add(
            ActivityKind.FREE_CLINIC,
            f"{name}大型义诊",
            held_on,
            health_day=day,
            partner=partner,
            place="医院门前广场",
            participants=rng.randint(12, 20),
            attendees=rng.randint(200, 400),
            hours=Decimal(4),
            boards=8 if clinics == 1 else 4,
            banners=2,
            leaflets=800,
            prescriptions=300,
            cost=Decimal(4500),
            effect="免费测血压、血糖，异常者纳入体检中心随访。",
        )
        counts["screened"] += _screen(context, clinic, centre, screener)
    add(
        ActivityKind.WELFARE_DAY,
        "送三下乡义诊与健康评估",
        start + dt.timedelta(days=rng.randint(100, 200)),
        partner="县卫生局",
        place="乡镇卫生院",
        participants=15,
        attendees=320,
        hours=Decimal(6),
        boards=4,
        banners=2,
        leaflets=600,
        cost=Decimal(6800),
    )
    for week in range(52):
        friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 + 7 * week)
        if friday >= start and week % 4 == 0:
            add(
                ActivityKind.CAMPAIGN,
                "周五义务清扫",
                friday,
                participants=rng.randint(10, 30),
                attendees=rng.randint(10, 30),
                hours=Decimal(1),
                place="西堤外环路",
            )
    add(
        ActivityKind.CAMPAIGN,
        "配合片区双创办值班周",
        start + dt.timedelta(days=150),
        participants=6,
        attendees=6,
        hours=Decimal(40),
        partner="片区双创指挥部",
    )
    add(
        ActivityKind.CAMPAIGN,
        "与临街商户签订“门前四包”责任书",
        start + dt.timedelta(days=90),
        participants=4,
        attendees=38,
        banners=1,
        partner="片区双创指挥部",
    )
    for _ in range(6):
        add(
            ActivityKind.COMMUNITY,
            "社区健康服务",
            start + dt.timedelta(days=rng.randint(0, 360)),
            place="社区卫生服务站",
            participants=rng.randint(3, 6),
            attendees=rng.randint(40, 120),
            hours=Decimal(3),
        )
    for _ in range(45):
        add(
            ActivityKind.MEDIA,
            rng.choice(["康复医学专访", "健康管理专题报道", "医院特色服务报道", "义诊活动报道"]),
            start + dt.timedelta(days=rng.randint(0, 364)),
            outlet=rng.choice(OUTLETS),
        )
    add(ActivityKind.HONOUR, "双创先进单位", start + dt.timedelta(days=200), outlet="片区双创指挥部")
    return counts


def _heads(hospital: Any, departments: dict[str, Department]) -> dict[str, Any]:
    User = get_user_model()
    group = Group.objects.get(name="dept_head")
    heads = {"ORTH": User.objects.filter(username="dept_head").first()}
    for code, username in HEADS.items():
        if code not in departments:
            continue
        user = User.objects.create_user(username=username)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(group)
        staff = Staff.objects.create(
            hospital=hospital,
            user=user,
            name=f"{departments[code].name}主任",
            kind="doctor",
            title="主任",
            home_department=departments[code],
        )
        staff.departments.set([departments[code]])
        heads[code] = user
    return {code: user for code, user in heads.items() if user is not None}


def _inspections(
    context: DemoContext, hospital: Any, departments: dict[str, Department], inspector: Any
) -> dict[str, int]:
    rng, today = context.rng, context.as_of
    heads = _heads(hospital, departments)
    areas = []
    for name, code in AREAS:
        department = departments.get(code)
        if department is None or (code not in heads):
            continue
        area = InspectionArea.objects.create(
            hospital=hospital,
            name=name,
            department=department,
            checklist=["地面", "墙面", "卫生间", "垃圾分类", "病媒生物防制"],
        )
        areas.append((area, heads[code]))
    findings, transitions = [], []
    counts = {"rounds": 0, "findings": 0, "open_overdue": 0}
    tuesday = today - dt.timedelta(days=(today.weekday() - 1) % 7)
    for week in range(52):
        day = tuesday - dt.timedelta(weeks=week)
        inspection = InspectionRound.objects.create(
            hospital=hospital, kind=RoundKind.TUESDAY, held_on=day, inspector=inspector
        )
        inspection.areas.set([a for a, _ in areas])
        counts["rounds"] += 1
        first = True
        for area, head in rng.sample(
            areas, k=min(len(areas), max(rng.choice([0, 1, 1, 2, 3]), week in OVERDUE_WEEKS))
        ):
            found = _at(day, 9, rng.randint(0, 59))
            deadline = day + dt.timedelta(days=3)
            finding = Finding(
                hospital=hospital,
                round=inspection,
                area=area,
                department=area.department,
                responsible=head,
                checklist_item=rng.choice(area.checklist),
                description=rng.choice(PROBLEMS),
                deadline=deadline,
                found_at=found,
            )
            history = [("", FindingStatus.OPEN, inspector, found)]
            fate = rng.random()
            if deadline >= today:
                pass  # still within its deadline
            elif week in OVERDUE_WEEKS and first:
                finding.escalated_at = _at(deadline + dt.timedelta(days=1), 0, 5)
                counts["open_overdue"] += 1
            else:
                late = fate < 0.2
                rectified = _at(
                    deadline + dt.timedelta(days=rng.randint(1, 4))
                    if late
                    else deadline - dt.timedelta(days=rng.randint(0, 2)),
                    16,
                )
                finding.rectified_at, finding.rectification = rectified, "已整改，科主任、护士长带头整顿。"
                history.append((FindingStatus.OPEN, FindingStatus.RECTIFIED, head, rectified))
                if late:
                    finding.escalated_at = _at(deadline + dt.timedelta(days=1), 0, 5)
                verified = rectified + dt.timedelta(hours=rng.randint(16, 40))
                if verified.date() < today:
                    finding.verified_at, finding.verified_by = verified, inspector
                    history.append((FindingStatus.RECTIFIED, FindingStatus.VERIFIED, inspector, verified))
            finding.status = history[-1][1]
            first = False
            findings.append((finding, history))
    Finding.objects.bulk_create([f for f, _ in findings])
    for finding, history in findings:
        transitions += [
            FindingTransition(finding=finding, from_status=a, to_status=b, actor=actor, at=at)
            for a, b, actor, at in history
        ]
    FindingTransition.objects.bulk_create(transitions)
    counts["findings"] = len(findings)
    return counts


@register_step(75, "standards: training, rotation, activities, free screening, 双创 inspections")
def seed_standards(context: DemoContext) -> None:
    hospital, departments, _wards, staff = context.data["hospitals"][0]
    User = get_user_model()
    office = User.objects.filter(username="quality_officer").first()
    if office is None:
        return
    config = _config(hospital, departments)
    people = _people(hospital, departments, staff)
    _standards(context, hospital, config, people, office)
    others = [s for code, kinds in staff.items() if code != "CSC" for group in kinds.values() for s in group]
    sessions = _training(context, hospital, config, people, rng_sample(context.rng, others, 40))
    activities = _activities(context, hospital, departments, config)
    inspections = _inspections(context, hospital, departments, office)
    held = sum(activities.values()) - activities["screened"]
    context.log(
        f"standards: {len(people)} desk staff, {sessions} training sessions, {held} activities "
        f"({activities['screened']} people screened), {inspections['rounds']} inspection rounds with "
        f"{inspections['findings']} findings ({inspections['open_overdue']} open and overdue)"
    )


def rng_sample(rng: random.Random, rows: list[Staff], k: int) -> list[Staff]:
    return rng.sample(rows, min(k, len(rows)))
