"""Demo step 89 (issue 21): improvement actions raised from each source — a complaint's root cause, the
monthly report, a red KPI, an inspection finding, the ward's daily sync, a meeting — in orthopaedics (the
demo department head's) and paediatrics; two done with a measured effect on satisfaction (the
department and start date are picked from the demo's own answers so that one worked and one did not),
one late and escalated by the daily sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from carebridge.complaints.models import Complaint
from carebridge.core.demo.steps import DemoContext, register_check, register_step
from carebridge.core.models import Department, Staff
from carebridge.followup.models import WardMeeting, WardSync
from carebridge.performance.choices import ActionSource, ActionStatus, EffectVerdict
from carebridge.performance.domain.effect import effect_judge
from carebridge.performance.models import ImprovementAction, KpiAssignment
from carebridge.performance.selectors.measures import MEASURES
from carebridge.performance.services.actions import (
    action_create,
    action_effect_check,
    action_move,
    actions_remind_and_escalate,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = 60


@register_check("improvement actions")
def demo_loaded() -> bool:
    return ImprovementAction.objects.exists()


def _at(as_of: dt.date, days_ago: int) -> dt.datetime:
    return dt.datetime.combine(as_of - dt.timedelta(days=days_ago), dt.time(10), tzinfo=SHANGHAI)


def _verdict(department: Department, start: dt.datetime) -> str:
    measure = MEASURES["satisfaction"]
    window = dt.timedelta(days=WINDOW)
    before = measure.sample(department, start - window, start)
    after = measure.sample(
        department, start + dt.timedelta(days=WINDOW + 5) - window, start + dt.timedelta(days=WINDOW + 5)
    )
    return effect_judge(measure="", before=before, after=after)["verdict"]


def _pick(departments: list[Department], as_of: dt.date) -> dict[str, tuple[Department, int]]:
    """A (department, days ago) whose satisfaction improved, and one where it did not change."""
    found: dict[str, tuple[Department, int]] = {}
    for department in departments:
        for days_ago in range(WINDOW + 10, 181, 10):
            verdict = _verdict(department, _at(as_of, days_ago))
            if verdict in (EffectVerdict.IMPROVED, EffectVerdict.NO_CHANGE) and verdict not in found:
                found[verdict] = (department, days_ago)
            if len(found) == 2:
                return found
    return found


def _owner(department: Department) -> Staff:
    return (
        Staff.objects.filter(home_department=department).order_by("pk").first()
        or Staff.objects.filter(hospital=department.hospital).order_by("pk")[:1].get()
    )


@register_step(89, "improvement actions: from every source, effect checks, a late one escalated")
def seed_actions(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=("dept_head", "quality_officer", "ward_manager")
        )
    }
    head, quality = users.get("dept_head"), users.get("quality_officer")
    orth, pedi = departments.get("ORTH"), departments.get("PEDI")
    if orth is None or pedi is None:
        return
    as_of = context.as_of
    count = 0

    def raise_(
        department: Department, title: str, source: str, days_ago: int, due_in: int = 60, **extra: Any
    ) -> ImprovementAction:
        nonlocal count
        count += 1
        created = _at(as_of, days_ago + 1)
        return action_create(
            department=department,
            title=title,
            owner=_owner(department),
            source=source,
            actor=head or quality,
            due_date=(created + dt.timedelta(days=due_in)).date(),
            at=created,
            **extra,
        )

    # Two actions with a measured effect on satisfaction: one that worked, one that did not.
    candidates = [d for d in (orth, pedi, *departments.values()) if d.kind == "clinical"]
    picks = _pick(list(dict.fromkeys(candidates)), as_of)
    # A small demo has too few answers to judge: the checks then say so (the minimum-n rule), honestly.
    picks.setdefault(EffectVerdict.IMPROVED, (orth, WINDOW + 40))
    picks.setdefault(EffectVerdict.NO_CHANGE, (pedi, WINDOW + 40))
    complaint = (
        Complaint.objects.filter(hospital=hospital, departments=orth)
        .exclude(root_cause="")
        .order_by("pk")
        .first()
    )
    titles = {
        EffectVerdict.IMPROVED: ("术后疼痛宣教与换药时间告知", ActionSource.COMPLAINT, complaint),
        EffectVerdict.NO_CHANGE: ("出院指导单改版", ActionSource.REPORT, None),
    }
    for verdict, (department, days_ago) in picks.items():
        title, source, origin = titles[EffectVerdict(verdict)]
        action = raise_(
            department,
            title,
            source,
            days_ago,
            source_object=origin if department == orth else None,
            plan="每周检查落实情况",
            measure="satisfaction",
            window_days=WINDOW,
        )
        action_move(action=action, to=ActionStatus.DOING, actor=head, at=_at(as_of, days_ago))
        checked = action_effect_check(action=action, actor=quality, at=_at(as_of, days_ago - WINDOW - 5))
        # Done with a measured effect either way: one that worked, one that did not (PDCA "act" decides next).
        action_move(action=checked, to=ActionStatus.DONE, actor=head, at=_at(as_of, days_ago - WINDOW - 4))
        context.log(f"  effect of “{title}”: {checked.effect.get('sentence', '')}")
    # Actions still under way, one from each other source.
    if complaint is not None and not ImprovementAction.objects.filter(source=ActionSource.COMPLAINT).exists():
        raise_(orth, "投诉根因整改：候诊区秩序", ActionSource.COMPLAINT, 20, source_object=complaint)
    assignment = (
        KpiAssignment.objects.filter(objective__perspective__scorecard__department=orth)
        .order_by("pk")
        .first()
    )
    raise_(
        orth,
        "随访及时率回升计划",
        ActionSource.KPI,
        15,
        assignment=assignment,
        source_object=assignment,
        measure="" if assignment else "calls_in_time",
    )
    raise_(orth, "病区卫生检查问题整改", ActionSource.INSPECTION, 10, due_in=20)
    sync = WardSync.objects.filter(department=pedi).exclude(issues=[]).order_by("pk").first()
    if sync is not None:
        raise_(pedi, sync.issues[0]["text"], ActionSource.DAILY_SYNC, 3, source_object=sync)
    meeting = WardMeeting.objects.filter(hospital=hospital).order_by("pk").first()
    if meeting is not None and meeting.decisions:
        raise_(pedi, meeting.decisions[0], ActionSource.MEETING, 5, source_object=meeting)
    # The family forum's first decision became an action of the paediatric ward (its second is still open).
    forum = WardMeeting.objects.filter(hospital=hospital, kind="family_forum").order_by("pk").first()
    if forum is not None and forum.decisions:
        raise_(pedi, forum.decisions[0], ActionSource.MEETING, 4, source_object=forum)
    # A late action: due twelve days ago, still under way — the daily sweep escalates it to the head.
    late = raise_(orth, "门诊预约改为分时段", ActionSource.REPORT, 70, due_in=58, measure="calls_in_time")
    action_move(action=late, to=ActionStatus.DOING, actor=head, at=_at(as_of, 69))
    swept = actions_remind_and_escalate(today=as_of)
    context.log(f"improvement actions: {count}, {swept['escalated']} escalated")
