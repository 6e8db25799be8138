"""Demo steps of the ward programme and the chronic-disease programmes (issue 21), imported by ``loader``.

86: a paediatric asthma programme (J45, up to 14 years) and a hypertension programme (I10, cardiology):
patients with the diagnosis enrolled at different times, so recall calls are due now — beyond the 30-day
window — in the agents' queue; one family left the programme, some patients came back for a visit.
87: ten days of the paediatric ward's daily sync, a project managers' meeting and a family forum.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Staff
from carebridge.followup.choices import EnrolmentStatus, MeetingKind
from carebridge.followup.models import ProgrammeEnrolment, RecallStep, SyncIssue
from carebridge.followup.services.programmes import (
    _diagnosis_q,
    programme_create,
    programme_enrol,
    programme_leave,
    programme_return_record,
)
from carebridge.followup.services.ward_programme import meeting_record, sync_record
from carebridge.patients.models import Patient

SHANGHAI = ZoneInfo("Asia/Shanghai")
ASTHMA_SCHEDULE: list[RecallStep] = [
    {"day": 45, "kind": "call", "title": "哮喘控制情况回访"},
    {"day": 90, "kind": "recheck", "title": "肺功能复查提醒"},
    {"day": 180, "kind": "education", "title": "哮喘家长课堂邀请"},
    {"day": 365, "kind": "recheck", "title": "年度复查提醒"},
]
HYPERTENSION_SCHEDULE: list[RecallStep] = [
    {"day": 60, "kind": "call", "title": "血压控制情况回访"},
    {"day": 120, "kind": "education", "title": "高血压健康讲座邀请"},
    {"day": 180, "kind": "recheck", "title": "半年复查提醒"},
]
MAX_ENROLLED = 60


def _moment(as_of: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(as_of - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=SHANGHAI)


@register_step(86, "chronic-disease programmes: paediatric asthma and hypertension")
def seed_programmes(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    agent = get_user_model().objects.filter(username="agent").first()
    specs = (
        ("peds-asthma", "儿童哮喘管理项目", ["J45"], departments.get("PEDI"), 14, ASTHMA_SCHEDULE),
        ("hypertension", "高血压慢病管理项目", ["I10"], departments.get("CARD"), None, HYPERTENSION_SCHEDULE),
    )
    for code, name, prefixes, department, max_age, schedule in specs:
        programme = programme_create(
            hospital=hospital,
            code=code,
            name=name,
            icd10_prefixes=prefixes,
            schedule=schedule,
            department=department,
            max_age=max_age,
            actor=None,
        )
        candidates = (
            Patient.objects.filter(hospital=hospital, deceased_at__isnull=True, merged_into__isnull=True)
            .filter(_diagnosis_q(programme))
            .distinct()
            .order_by("pk")[: MAX_ENROLLED * 2]
        )
        enrolled: list[ProgrammeEnrolment] = []
        for patient in candidates:
            if len(enrolled) >= MAX_ENROLLED:
                break
            # Spread over the last seven months: some recall calls are due now, long after discharge.
            when = _moment(context.as_of, context.rng.randint(5, 210), context.rng.randint(9, 16))
            try:
                enrolled.append(programme_enrol(programme=programme, patient=patient, actor=agent, at=when))
            except Exception:  # noqa: S112 - over the age limit: not enrolled, as in real use
                continue
        for index, enrolment in enumerate(enrolled):
            if index % 9 == 4 and enrolment.status == EnrolmentStatus.ACTIVE:
                programme_leave(enrolment=enrolment, reason="家属要求退出（转当地医院管理）", actor=agent)
            elif index % 3 == 0:
                days = max((context.as_of - enrolment.enrolled_at.date()).days - 1, 0)
                back = enrolment.enrolled_at + dt.timedelta(days=context.rng.randint(0, days))
                programme_return_record(enrolment=enrolment, at=back, actor=agent)
        context.log(f"programmes: {programme.name}, {len(enrolled)} patients")


@register_step(87, "ward programme: daily syncs, meetings and forums")
def seed_ward_routines(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    paediatrics = departments.get("PEDI")
    manager = get_user_model().objects.filter(username="ward_manager").select_related("staff").first()
    if paediatrics is None or manager is None:
        return
    pm = manager.staff
    colleagues = list(Staff.objects.filter(home_department=paediatrics).order_by("pk")[:4])
    issues = [
        "家属反映夜间病房噪音大",
        "雾化治疗等候时间长",
        "出院带药说明不清楚",
        "患儿家长希望增加哮喘宣教",
        "陪护床位不足",
    ]
    for day in range(10, 0, -1):
        raised: list[SyncIssue] = (
            [
                SyncIssue(
                    text=issues[(day + k) % len(issues)],
                    owner=colleagues[k % len(colleagues)].pk,
                    resolved=day > 3,
                )
                for k in range(context.rng.randint(0, 2))
            ]
            if colleagues
            else []
        )
        sync_record(
            department=paediatrics,
            held_on=context.as_of - dt.timedelta(days=day),
            project_manager=pm,
            attendees=[pm, *colleagues],
            issues=raised,
            notes="下班前与科主任、主管医师、分管护士沟通",
            actor=manager,
        )
    meeting_record(
        hospital=hospital,
        kind=MeetingKind.PM_MEETING,
        held_on=context.as_of - dt.timedelta(days=14),
        title="项目经理例会：本月回访与满意度汇总",
        chaired_by=pm,
        attendance=12,
        department=None,
        minutes="各病区项目经理汇报本月入院访谈、出院回访完成情况；讨论回访中反映的共性问题。",
        decisions=["统一出院带药说明模板", "儿科试行哮喘家长课堂"],
        actor=manager,
    )
    meeting_record(
        hospital=hospital,
        kind=MeetingKind.FAMILY_FORUM,
        held_on=context.as_of - dt.timedelta(days=7),
        title="儿科家长座谈会",
        chaired_by=pm,
        attendance=18,
        department=paediatrics,
        minutes="家长代表反映夜间噪音、雾化等候、出院指导等问题，科主任逐条回应。",
        decisions=["夜间22点后减少治疗操作", "雾化室增加一台设备"],
        actor=manager,
    )
    context.log("ward programme: 10 daily syncs, 1 meeting, 1 forum")
