"""Demo step: 18 months of care plans, touchpoints and call histories for the demo hospitals' inpatient stays.

What the follow-up services would have recorded for every stay the registry's demo generated (both
hospitals): a plan owned by the ward's project manager (项目经理), the admission interview with its customer
file, mid-stay talks before special examinations or medication, the pre-discharge interview, the tier
chosen by the hospital's real tier policy (``policy.tier_decide``) at discharge, the doctor's or nurse's
post-discharge call and the tier's follow-up calls, each with its attempts under the policy's redial rules
and escalation chain (phone → SMS → home visit or letter → lost, 失访).

For speed the rows are written with ``bulk_create`` exactly as the services write them (plans, touchpoints,
their transition rows, attempts, issues), not through the services: a service call per stay costs
hundreds of queries, and back-dated history cannot go through ``moment()``'s "not in the future" check
when ``--as-of`` is today. Audit rows are not written (``AuditEvent.at`` is always "now"); one
``demo.followup`` row records the load.

Realism: about 65% of calls reach someone at the first attempt (rising over the 18 months), the rest are
redialled within calling hours, some go to SMS, a few to home visits or letters, about 3% end lost. Two
wards fall short on purpose: 骨科三病区 (ORTH-3, low reach) and 呼吸与危重症医学科二病区 (RESP-2, calls made
late); the paediatric wards, where the programme started, do best. Deterministic with ``context.rng``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carebridge.core.deadlines import WorkCalendar
from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import AuditEvent, Hospital, Staff, Ward
from carebridge.followup import policy as rules
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    CallOutcome,
    ContactChannel,
    EscalationStep,
    IssueKind,
    IssueStatus,
    MedicationFlag,
    MidStayTrigger,
    OwnerRule,
    PlanStatus,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models import (
    CallAttempt,
    CallIssue,
    CarePlan,
    CarePlanTransition,
    FollowupPolicy,
    FollowupTier,
    Touchpoint,
    TouchpointTemplate,
    TouchpointTransition,
    WardProjectManager,
)
from carebridge.patients.models import Encounter, PatientPhone


# Shares of calls per ward profile (the paediatric wards run the programme; two wards fall short).
@dataclass(frozen=True)
class Profile:
    reach_first: float  # someone answers the first attempt
    reach_retry: float  # … a later attempt
    unreachable: float  # patients who never answer the phone
    late: float  # calls first tried after their window
    forgotten: float  # tier B/C calls nobody tries (closed when their window lapses)
    interview_late: float = 0.03  # admission interviews done after their 24 hours


DEFAULT = Profile(reach_first=0.64, reach_retry=0.45, unreachable=0.05, late=0.06, forgotten=0.01)
PROFILES: dict[str, Profile] = {
    "PEDI": Profile(
        reach_first=0.72, reach_retry=0.55, unreachable=0.02, late=0.01, forgotten=0.0, interview_late=0.0
    ),
    "NEON": Profile(
        reach_first=0.72, reach_retry=0.55, unreachable=0.02, late=0.01, forgotten=0.0, interview_late=0.0
    ),
    "ORTH-3": Profile(
        reach_first=0.42, reach_retry=0.30, unreachable=0.14, late=0.12, forgotten=0.06, interview_late=0.15
    ),
    "RESP-2": Profile(
        reach_first=0.60, reach_retry=0.45, unreachable=0.05, late=0.45, forgotten=0.08, interview_late=0.10
    ),
}
FAILED_NOTES = ("家访未遇，邻居称已搬离", "信函退回：查无此人", "地址不详，无法投递", "多次上门无人应答")
NEEDS = (
    "陪护床位",
    "饮食指导",
    "费用清单解释",
    "检查前告知",
    "用药指导",
    "康复锻炼指导",
    "儿童游戏区",
    "心理疏导",
    "出院后复诊预约",
)
EXPECTATIONS = (
    "尽快明确诊断",
    "少做不必要的检查",
    "手术顺利，恢复快",
    "控制症状，早日出院",
    "了解出院后注意事项",
)
PREFERENCES = ("上午10点后电话联系", "请先联系家属", "可以微信联系", "晚上不方便接电话", "希望由主管医生回访")
ISSUES = (
    (IssueKind.SUGGESTION, "希望出院带药能附上用药时间表。", "已转科室，出院宣教单增加用药时间表。"),
    (IssueKind.SUGGESTION, "复诊挂号太难，希望给随访病人留号。", "已反馈门诊部，开通随访复诊预约。"),
    (IssueKind.COMPLIMENT, "感谢病区护士照顾周到，特别是夜班护士。", "已转达病区并记入表扬。"),
    (IssueKind.CLINICAL_QUESTION, "伤口有点红，问是否需要回院换药。", "主管医生回电，建议次日门诊换药。"),
    (IssueKind.CLINICAL_QUESTION, "出院后血压偏高，问药量是否调整。", "主管医生回电指导调整用药。"),
)
MEDICATION: dict[str, tuple[tuple[str, float], ...]] = {
    "CARD": ((MedicationFlag.ANTICOAGULANT, 0.15), (MedicationFlag.ANTIPLATELET, 0.35)),
    "CTSU": ((MedicationFlag.ANTICOAGULANT, 0.4),),
    "NEUR": ((MedicationFlag.ANTIPLATELET, 0.3),),
    "ENDO": ((MedicationFlag.INSULIN, 0.5),),
    "ONCO": ((MedicationFlag.CHEMOTHERAPY, 0.55), (MedicationFlag.OPIOID, 0.15)),
    "HEMA": ((MedicationFlag.CHEMOTHERAPY, 0.45),),
    "NEPH": ((MedicationFlag.IMMUNOSUPPRESSANT, 0.2),),
    "ORTH": ((MedicationFlag.ANTICOAGULANT, 0.2), (MedicationFlag.OPIOID, 0.1)),
    "GSUR": ((MedicationFlag.OPIOID, 0.08),),
}


def _profile(ward: Ward | None, department_code: str) -> Profile:
    if ward is not None and ward.code in PROFILES:
        return PROFILES[ward.code]
    return PROFILES.get(department_code, DEFAULT)


@dataclass
class _Hospital:
    hospital: Hospital
    policy: FollowupPolicy
    templates: dict[str, TouchpointTemplate]
    tiers: dict[str, FollowupTier]
    owners: dict[int, Staff]  # ward id → project manager
    zone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


@dataclass
class _Call:
    """One call touchpoint and the events of its history, applied once every call of the plan is known."""

    touchpoint: Touchpoint
    events: list[tuple[Any, ...]] = field(default_factory=list)
    lost_at: dt.datetime | None = None


@dataclass
class _Stay:
    """What the history of one stay is made from."""

    plan: CarePlan
    encounter: Encounter
    setup: _Hospital
    profile: Profile
    owner: Staff | None
    owner_user: Any
    phones: list[PatientPhone]
    discharged: dt.datetime | None
    unreachable: bool = False


class _Builder:
    def __init__(self, context: DemoContext, now: dt.datetime) -> None:
        self.rng = context.rng
        self.now = now
        self.first = now - dt.timedelta(days=548)
        self.calendar = WorkCalendar()
        users = get_user_model().objects.filter(username__in=("agent", "ward_manager"))
        by_name = {u.username: u for u in users}
        self.agent = by_name.get("agent")
        self.plans: list[CarePlan] = []
        self.plan_transitions: list[CarePlanTransition] = []
        self.touchpoints: list[Touchpoint] = []
        self.transitions: list[TouchpointTransition] = []
        self.attempts: list[CallAttempt] = []
        self.issues: list[tuple[CallAttempt, tuple[str, str, str], CarePlan]] = []
        self.call_number = 0
        self._by_plan: dict[int, list[Touchpoint]] = defaultdict(list)

    # --- helpers ---------------------------------------------------------------------------------

    def _progress(self, at: dt.datetime) -> float:
        """0 eighteen months ago … 1 at the demo's today: the programme gets better with time."""
        return min(1.0, max(0.0, (at - self.first) / (self.now - self.first)))

    def _user_of(self, staff: Staff | None) -> Any:
        return staff.user if staff is not None and staff.user_id is not None else None

    def _touchpoint(
        self,
        plan: CarePlan,
        template: TouchpointTemplate,
        owner: Staff | None,
        at: dt.datetime,
        **fields: Any,
    ) -> Touchpoint:
        touchpoint = Touchpoint(
            plan=plan,
            kind=template.kind,
            title=template.title,
            owner_rule=template.owner_rule,
            owner=owner,
            **fields,
        )
        self.touchpoints.append(touchpoint)
        self._by_plan[id(plan)].append(touchpoint)
        self.transitions.append(
            TouchpointTransition(
                touchpoint=touchpoint,
                at=at,
                to_status=TouchpointStatus.SCHEDULED,
                to_step=EscalationStep.PHONE
                if template.kind in (TouchpointKind.POST_DISCHARGE_CALL, TouchpointKind.FOLLOW_UP_CALL)
                else "",
            )
        )
        return touchpoint

    def _move(
        self,
        touchpoint: Touchpoint,
        to: str,
        at: dt.datetime,
        *,
        actor: Any = None,
        reason: str = "",
        step: str | None = None,
    ) -> None:
        """What ``transitions.touchpoint_move`` writes."""
        current, current_step = touchpoint.status, touchpoint.step
        new_step = step or current_step
        if to == current and new_step == current_step:
            return
        touchpoint.status, touchpoint.step = to, new_step
        if to not in OPEN_TOUCHPOINT:
            touchpoint.completed_at = touchpoint.completed_at or at
            touchpoint.completed_by = touchpoint.completed_by or actor
            touchpoint.closed_reason = reason.strip()[:255]
        self.transitions.append(
            TouchpointTransition(
                touchpoint=touchpoint,
                at=at,
                actor=actor,
                from_status=current,
                to_status=to,
                from_step=current_step if new_step != current_step else "",
                to_step=new_step if new_step != current_step else "",
                reason=reason.strip(),
            )
        )

    def _plan_move(self, plan: CarePlan, to: str, at: dt.datetime, reason: str = "") -> None:
        self.plan_transitions.append(
            CarePlanTransition(
                plan=plan,
                at=at,
                field=CarePlanTransition.FIELD_STATUS,
                from_value=plan.status,
                to_value=to,
                reason=reason,
            )
        )
        plan.status = to
        plan.closed_at = at if to == PlanStatus.CLOSED else None
        plan.closed_reason = reason[:255] if to == PlanStatus.CLOSED else ""

    def _customer_file(self, encounter: Encounter, phones: list[PatientPhone]) -> dict[str, Any]:
        rng = self.rng
        contacts = [
            {
                "name": f"{encounter.patient.name[0]}{'先生' if rng.random() < 0.5 else '女士'}",
                "relationship": phone.label or "家属",
                "phone": phone.number,
            }
            for phone in phones
            if phone.kind == "family"
        ]
        return {
            "needs": rng.sample(NEEDS, rng.randint(1, 3)),
            "expectations": rng.choice(EXPECTATIONS),
            "preferences": rng.choice(PREFERENCES),
            "contacts": contacts,
        }

    # --- one stay --------------------------------------------------------------------------------

    def stay(self, encounter: Encounter, setup: _Hospital, phones: list[PatientPhone]) -> None:
        owner = setup.owners.get(encounter.ward_id or 0)
        ended = encounter.ended_at
        plan = CarePlan(
            hospital=setup.hospital,
            encounter=encounter,
            patient=encounter.patient,
            department=encounter.department,
            ward_id=encounter.ward_id,
            owner=owner,
            admitted_at=encounter.started_at,
        )
        here = _Stay(
            plan=plan,
            encounter=encounter,
            setup=setup,
            profile=_profile(encounter.ward, encounter.department.code),
            owner=owner,
            owner_user=self._user_of(owner),
            phones=phones,
            discharged=ended if ended is not None and ended <= self.now else None,
        )
        self.plans.append(plan)
        self.plan_transitions.append(
            CarePlanTransition(
                plan=plan,
                at=plan.admitted_at,
                field=CarePlanTransition.FIELD_STATUS,
                to_value=PlanStatus.IN_STAY,
            )
        )
        self._admission(here)
        pre = setup.templates[TouchpointKind.PRE_DISCHARGE_INTERVIEW]
        pre_discharge = self._touchpoint(plan, pre, owner, plan.admitted_at)
        self._midstay(here)
        if here.discharged is not None:
            self._discharge(here, pre_discharge, here.discharged)

    def _admission(self, here: _Stay) -> None:
        """The admission interview and its customer file (客户数据档案)."""
        rng, plan = self.rng, here.plan
        admitted = plan.admitted_at
        admission = here.setup.templates[TouchpointKind.ADMISSION_INTERVIEW]
        due = rules.deadline(
            start=admitted, amount=admission.amount, unit=admission.unit, zone=here.setup.zone
        )
        interview = self._touchpoint(plan, admission, here.owner, admitted, due_at=due)
        late = rng.random() < here.profile.interview_late
        done_at = (
            due + dt.timedelta(hours=rng.uniform(2, 30))
            if late
            else admitted + dt.timedelta(hours=rng.uniform(1, 20))
        )
        if here.discharged is not None:
            done_at = min(done_at, here.discharged - dt.timedelta(minutes=30))
        if done_at <= self.now:
            customer_file = self._customer_file(here.encounter, here.phones)
            interview.notes = "入院面谈：介绍主管医师、护士和诊疗计划，建立客户档案。"
            interview.data = {"customer_file": customer_file}
            plan.customer_file = customer_file
            self._move(interview, TouchpointStatus.DONE, done_at, actor=here.owner_user)

    def _midstay(self, here: _Stay) -> None:
        """Mid-stay talks before special examinations or medication (中途沟通)."""
        rng, plan = self.rng, here.plan
        midstay = here.setup.templates.get(TouchpointKind.MID_STAY_TALK)
        stay_hours = ((here.discharged or self.now) - plan.admitted_at).total_seconds() / 3600
        if midstay is None or stay_hours <= 72:
            return
        for sequence in range(1, rng.choices((0, 1, 2), (30, 52, 18))[0] + 1):
            event_at = plan.admitted_at + dt.timedelta(hours=rng.uniform(24, max(25, stay_hours - 12)))
            trigger = rng.choice((MidStayTrigger.SPECIAL_EXAMINATION, MidStayTrigger.SPECIAL_MEDICATION))
            talk = self._touchpoint(
                plan,
                midstay,
                here.owner,
                plan.admitted_at + dt.timedelta(hours=12),
                sequence=sequence,
                due_at=event_at - dt.timedelta(hours=midstay.amount),
                trigger=trigger,
                event_at=event_at,
                event_description=rng.choice(
                    ("增强CT", "胃镜检查", "冠脉造影", "骨髓穿刺")
                    if trigger == MidStayTrigger.SPECIAL_EXAMINATION
                    else ("化疗", "输注生物制剂", "抗凝治疗", "激素冲击")
                ),
            )
            talk_at = event_at - dt.timedelta(hours=rng.uniform(2.5, 8))
            if talk_at <= self.now:
                talk.notes = "检查/用药前沟通：说明目的、风险和注意事项，家属无新需求。"
                self._move(talk, TouchpointStatus.DONE, talk_at, actor=here.owner_user)

    def _discharge(self, here: _Stay, pre_discharge: Touchpoint, discharged: dt.datetime) -> None:
        """The pre-discharge interview, the tier by the hospital's policy, the calls and their histories."""
        rng, plan, encounter = self.rng, here.plan, here.encounter
        pre_discharge.due_at = discharged
        pre_discharge.notes = "出院前长谈：满意度调查，出院关怀和用药、复诊指导。"
        pre_at = discharged - dt.timedelta(hours=rng.uniform(0.5, 4))
        self._move(pre_discharge, TouchpointStatus.DONE, pre_at, actor=here.owner_user)
        medication = MEDICATION.get(encounter.department.code, ())
        flags = sorted({flag for flag, share in medication if rng.random() < share})
        decision = rules.tier_decide(
            encounter=encounter, medication_flags=flags, default_tier=here.setup.policy.default_tier
        )
        plan.discharged_at = discharged
        plan.medication_flags = flags
        plan.tier, plan.tier_rule, plan.tier_reason = decision.tier, decision.rule, decision.reason[:255]
        plan.tier_facts, plan.tier_assigned_at = dict(decision.facts), discharged
        self.plan_transitions.append(
            CarePlanTransition(
                plan=plan,
                at=discharged,
                field=CarePlanTransition.FIELD_TIER,
                to_value=decision.tier,
                reason=decision.reason,
            )
        )
        self._plan_move(plan, PlanStatus.FOLLOW_UP, discharged, "出院")
        calls = self._calls(plan, here.setup, encounter, discharged)
        here.unreachable = rng.random() < here.profile.unreachable * (1.2 - 0.4 * self._progress(discharged))
        if not encounter.patient.contact_consent:
            for call in calls:
                self._move(
                    call.touchpoint,
                    TouchpointStatus.SKIPPED,
                    discharged,
                    reason="未同意联系（PIPL第29条），免访。",
                )
        else:
            for call in calls:
                self._simulate(call, here)
            self._settle_lost(calls)
        self._close_if_done(plan)

    def _calls(
        self,
        plan: CarePlan,
        setup: _Hospital,
        encounter: Encounter,
        discharged: dt.datetime,
    ) -> list[_Call]:
        zone, policy = setup.zone, setup.policy
        calls = []
        post = setup.templates.get(TouchpointKind.POST_DISCHARGE_CALL)
        if post is not None:
            clinician = encounter.attending_doctor or encounter.primary_nurse
            touchpoint = self._touchpoint(
                plan,
                post,
                clinician,
                discharged,
                due_at=rules.deadline(
                    start=discharged, amount=post.amount, unit=post.unit, zone=zone, calendar=self.calendar
                ),
                available_at=rules.next_calling_time(after=discharged, policy=policy, zone=zone),
            )
            calls.append(_Call(touchpoint))
        tier = setup.tiers.get(plan.tier)
        if tier is not None:
            for window in tier.windows.all():
                due = rules.deadline(
                    start=discharged,
                    amount=window.amount,
                    unit=window.unit,
                    zone=zone,
                    calendar=self.calendar,
                )
                available = (
                    discharged if window.sequence == 1 else max(discharged, due - dt.timedelta(days=7))
                )
                template = TouchpointTemplate(
                    kind=TouchpointKind.FOLLOW_UP_CALL,
                    title=f"{tier.name} · {window.sequence}"[:128],
                    owner_rule=OwnerRule.CALL_CENTRE,
                )
                touchpoint = self._touchpoint(
                    plan,
                    template,
                    None,
                    discharged,
                    sequence=window.sequence,
                    tier=tier.code,
                    tier_rank=tier.rank,
                    due_at=due,
                    available_at=rules.next_calling_time(after=available, policy=policy, zone=zone),
                )
                calls.append(_Call(touchpoint))
        return calls

    # --- a call's history ------------------------------------------------------------------------

    def _simulate(self, call: _Call, here: _Stay) -> None:
        """The attempts of one call under the policy's rules, as events (applied later)."""
        rng, setup, profile = self.rng, here.setup, here.profile
        touchpoint = call.touchpoint
        assert touchpoint.due_at is not None and touchpoint.available_at is not None  # noqa: S101
        is_centre = touchpoint.kind == TouchpointKind.FOLLOW_UP_CALL
        if is_centre and touchpoint.tier in ("B", "C") and rng.random() < profile.forgotten:
            auto_close = setup.tiers[touchpoint.tier].auto_close_after_days or 0
            expire_at = touchpoint.due_at + dt.timedelta(days=auto_close, hours=2)
            if expire_at <= self.now:
                reason = f"窗口期后{auto_close}天仍未完成，自动关闭。"
                call.events.append(("move", expire_at, TouchpointStatus.EXPIRED, None, reason, None))
            return
        if not here.phones:
            call.events.append(("route", touchpoint.available_at, "无电话号码：家访或信函。"))
            self._visit(call, here, touchpoint.available_at + dt.timedelta(days=rng.uniform(2, 10)))
            return
        window = max(dt.timedelta(hours=6), touchpoint.due_at - touchpoint.available_at)
        if rng.random() < profile.late * (1.3 - 0.6 * self._progress(touchpoint.due_at)):
            start = touchpoint.due_at + dt.timedelta(hours=rng.uniform(6, 96))
        else:
            start = touchpoint.available_at + window * rng.uniform(0.02, 0.7)
        at = rules.next_calling_time(after=start, policy=setup.policy, zone=setup.zone)
        self._phone(call, here, at, self.agent if is_centre else None)

    def _draw(self, here: _Stay, p: float) -> str:
        rng = self.rng
        if rng.random() < (0.0 if here.unreachable else p):
            return CallOutcome.REFUSED if rng.random() < 0.02 else CallOutcome.REACHED
        roll = rng.random()
        if roll < 0.04 and not here.unreachable:
            return CallOutcome.WRONG_NUMBER
        return CallOutcome.BUSY if roll < 0.22 else CallOutcome.NO_ANSWER

    def _phone(self, call: _Call, here: _Stay, at: dt.datetime, agent: Any) -> None:
        """Phone attempts: redials within calling hours, at most so many a day, then the next step."""
        policy, zone, phones = here.setup.policy, here.setup.zone, here.phones
        assert call.touchpoint.due_at is not None  # noqa: S101
        first_p = min(0.9, here.profile.reach_first + 0.08 * self._progress(call.touchpoint.due_at) - 0.04)
        unanswered, wrong = 0, 0
        day_counts: dict[dt.date, int] = defaultdict(int)
        while at <= self.now:
            outcome = self._draw(here, first_p if unanswered + wrong == 0 else here.profile.reach_retry)
            phone = phones[wrong % len(phones)]
            call.events.append(
                ("attempt", at, ContactChannel.PHONE, outcome, EscalationStep.PHONE, agent, phone.pk)
            )
            if outcome in (CallOutcome.REACHED, CallOutcome.REFUSED):
                done = outcome == CallOutcome.REACHED
                status = TouchpointStatus.DONE if done else TouchpointStatus.REFUSED
                call.events.append(
                    ("move", at, status, None, "已接通" if done else "家属表示不需要回访。", agent)
                )
                return
            if unanswered + wrong == 0:
                call.events.append(("move", at, TouchpointStatus.IN_PROGRESS, None, "", agent))
            if outcome == CallOutcome.WRONG_NUMBER:
                wrong += 1
                if wrong >= len(phones):
                    step = EscalationStep.VISIT_OR_LETTER
                    call.events.append(("escalate", at, step, "无可用电话号码。", agent))
                    self._visit(call, here, at + dt.timedelta(days=self.rng.uniform(2, 10)))
                    return
                at = rules.next_calling_time(after=at + dt.timedelta(minutes=5), policy=policy, zone=zone)
                continue
            unanswered += 1
            if unanswered >= policy.phone_attempts_before_message:
                reason = f"{unanswered}次电话未接通。"
                call.events.append(("escalate", at, EscalationStep.MESSAGE, reason, agent))
                self._message(call, here, at)
                return
            day_counts[at.astimezone(here.setup.tz).date()] += 1
            if day_counts[at.astimezone(here.setup.tz).date()] >= policy.max_attempts_per_day:
                at = rules.next_day_calling_start(after=at, policy=policy, zone=zone)
            else:
                minutes = policy.busy_retry_minutes if outcome == CallOutcome.BUSY else policy.retry_minutes
                at = rules.next_calling_time(
                    after=at + dt.timedelta(minutes=minutes), policy=policy, zone=zone
                )
        call.events.append(("available", at))

    def _message(self, call: _Call, here: _Stay, at: dt.datetime) -> None:
        """The SMS or WeChat message; a reply within the wait reaches the patient, else a visit or letter."""
        rng, policy, phone = self.rng, here.setup.policy, here.phones[0]
        channel = ContactChannel.WECHAT if policy.message_channel == "wechat" else ContactChannel.SMS
        call.events.append(("attempt", at, channel, CallOutcome.SENT, EscalationStep.MESSAGE, None, phone.pk))
        wait = dt.timedelta(hours=policy.message_wait_hours)
        if rng.random() < (0.1 if here.unreachable else 0.35):
            reply = at + wait * rng.uniform(0.05, 0.9)
            if reply > self.now:
                call.events.append(("available", at + wait))
                return
            step = EscalationStep.MESSAGE
            call.events.append(("attempt", reply, channel, CallOutcome.REACHED, step, self.agent, phone.pk))
            call.events.append(
                ("move", reply, TouchpointStatus.DONE, None, "短信回复，已联系上。", self.agent)
            )
            return
        if at + wait > self.now:
            call.events.append(("available", at + wait))
            return
        call.events.append(("escalate", at + wait, EscalationStep.VISIT_OR_LETTER, "短信未回复。", None))
        self._visit(call, here, at + wait + dt.timedelta(days=rng.uniform(1, 12)))

    def _visit(self, call: _Call, here: _Stay, at: dt.datetime) -> None:
        """The project manager's home visit or letter: reached, or the patient is lost (失访)."""
        rng, owner_user, unreachable = self.rng, here.owner_user, here.unreachable
        if at > self.now:
            return
        channel = ContactChannel.HOME_VISIT if rng.random() < 0.4 else ContactChannel.LETTER
        if rng.random() < (0.45 if unreachable else 0.7):
            call.events.append(
                (
                    "attempt",
                    at,
                    channel,
                    CallOutcome.REACHED,
                    EscalationStep.VISIT_OR_LETTER,
                    owner_user,
                    None,
                )
            )
            call.events.append(("move", at, TouchpointStatus.DONE, None, "家访/信函已联系上。", owner_user))
            return
        note = rng.choice(FAILED_NOTES)
        call.events.append(
            (
                "attempt",
                at,
                channel,
                CallOutcome.FAILED,
                EscalationStep.VISIT_OR_LETTER,
                owner_user,
                None,
                note,
            )
        )
        call.events.append(("move", at, TouchpointStatus.LOST, EscalationStep.LOST, note, owner_user))
        call.lost_at = at

    def _settle_lost(self, calls: list[_Call]) -> None:
        """Apply the events; a call lost cancels the plan's other calls still open at that moment."""
        lost = [c.lost_at for c in calls if c.lost_at is not None]
        first_lost = min(lost) if lost else None
        for call in calls:
            events = call.events
            if first_lost is not None and call.lost_at != first_lost:
                events = [e for e in events if e[1] < first_lost]
            self._apply(call.touchpoint, events)
            if (
                first_lost is not None
                and call.lost_at != first_lost
                and call.touchpoint.status in OPEN_TOUCHPOINT
            ):
                self._move(call.touchpoint, TouchpointStatus.CANCELLED, first_lost, reason="患者失访。")

    def _apply(self, touchpoint: Touchpoint, events: Iterable[tuple[Any, ...]]) -> None:
        plan = touchpoint.plan
        for event in events:
            kind = event[0]
            if kind == "escalate":
                _, at, step, reason, actor = event
                if step == EscalationStep.VISIT_OR_LETTER:
                    touchpoint.owner = touchpoint.owner or plan.owner
                    touchpoint.available_at = at
                status = (
                    TouchpointStatus.IN_PROGRESS
                    if touchpoint.status == TouchpointStatus.SCHEDULED
                    else touchpoint.status
                )
                self._move(touchpoint, status, at, actor=actor, reason=reason, step=step)
            elif kind == "route":  # no phone number: straight to the project manager's visit or letter
                _, at, reason = event
                touchpoint.owner = plan.owner
                self._move(
                    touchpoint,
                    TouchpointStatus.SCHEDULED,
                    at,
                    reason=reason,
                    step=EscalationStep.VISIT_OR_LETTER,
                )
            elif kind == "available":
                touchpoint.available_at = event[1]
            elif kind == "move":
                _, at, to, step, reason, actor = event
                self._move(touchpoint, to, at, actor=actor, reason=reason, step=step)
            elif kind == "attempt":
                at, channel, outcome, step, agent, phone_id = event[1:7]
                notes = event[7] if len(event) > 7 else ""
                attempt = CallAttempt(
                    touchpoint=touchpoint,
                    at=at,
                    agent=agent,
                    channel=channel,
                    step=step,
                    outcome=outcome,
                    phone_id=phone_id if channel == ContactChannel.PHONE else None,
                    notes=notes,
                )
                if channel == ContactChannel.PHONE and outcome == CallOutcome.REACHED and agent is not None:
                    self.call_number += 1
                    attempt.call_id = f"demo-{plan.hospital.code}-{self.call_number:07d}"
                    attempt.recording_url = f"http://pbx.intranet/recordings/{attempt.call_id}.wav"
                    attempt.duration_seconds = self.rng.randint(60, 420)
                    attempt.answers = {"health_status": "恢复良好", "medication": "按时服药"}
                    if self.rng.random() < 0.05:
                        self.issues.append((attempt, self.rng.choice(ISSUES), plan))
                self.attempts.append(attempt)

    def _close_if_done(self, plan: CarePlan) -> None:
        mine = self._by_plan[id(plan)]
        if any(t.status in OPEN_TOUCHPOINT for t in mine):
            return
        last = max((t.completed_at for t in mine if t.completed_at), default=plan.discharged_at)
        assert last is not None  # noqa: S101
        lost = any(t.status == TouchpointStatus.LOST for t in mine)
        self._plan_move(plan, PlanStatus.CLOSED, last, "失访" if lost else "全部接触点已完成。")

    # --- writing ---------------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        CarePlan.objects.bulk_create(self.plans, batch_size=1000)
        CarePlanTransition.objects.bulk_create(self.plan_transitions, batch_size=2000)
        Touchpoint.objects.bulk_create(self.touchpoints, batch_size=1000)
        TouchpointTransition.objects.bulk_create(self.transitions, batch_size=2000)
        CallAttempt.objects.bulk_create(self.attempts, batch_size=2000)
        CallIssue.objects.bulk_create(
            [
                CallIssue(
                    attempt=attempt,
                    kind=kind,
                    text=text,
                    department=plan.department,
                    status=IssueStatus.ANSWERED if self.rng.random() < 0.8 else IssueStatus.OPEN,
                    answer=answer,
                    raised_by=self.agent,
                    raised_at=attempt.at,
                )
                for attempt, (kind, text, answer), plan in self.issues
                if self.agent is not None
            ]
        )
        return {
            "plans": len(self.plans),
            "touchpoints": len(self.touchpoints),
            "attempts": len(self.attempts),
            "issues": len(self.issues),
        }


# --- the step --------------------------------------------------------------------------------------


def _setup(
    hospital: Hospital, wards: dict[str, list[Ward]], staff: dict[str, dict[str, list[Staff]]]
) -> _Hospital:
    """The hospital's follow-up configuration (defaults installed) and a project manager for every ward:
    the demo ward manager for the paediatric wards, a senior nurse of the department elsewhere."""
    policy = rules.policy_for(hospital)
    manager = Staff.objects.filter(hospital=hospital, user__username="ward_manager").first()
    rows = []
    for code, department_wards in wards.items():
        nurses = staff.get(code, {}).get("nurse", [])
        for ward in department_wards:
            chosen = (
                manager
                if manager is not None and code in ("PEDI", "NEON")
                else (nurses[0] if nurses else None)
            )
            if chosen is not None:
                rows.append(WardProjectManager(ward=ward, staff=chosen))
    WardProjectManager.objects.bulk_create(rows, ignore_conflicts=True)
    owners = {
        row.ward_id: row.staff
        for row in WardProjectManager.objects.filter(ward__department__hospital=hospital).select_related(
            "staff__user"
        )
    }
    return _Hospital(
        hospital=hospital,
        policy=policy,
        templates={t.kind: t for t in TouchpointTemplate.objects.filter(hospital=hospital, is_active=True)},
        tiers={t.code: t for t in FollowupTier.objects.filter(hospital=hospital).prefetch_related("windows")},
        owners=owners,
        zone=hospital.time_zone,
    )


def demo_now(as_of: dt.date) -> dt.datetime:
    """The demo's present: the end of ``as_of`` in Shanghai, or now if that is earlier."""
    end = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=ZoneInfo("Asia/Shanghai"))
    return min(end, timezone.now())


@register_step(42, "follow-up: care plans, touchpoints, calls")
def seed_followup(context: DemoContext) -> None:
    now = demo_now(context.as_of)
    builder = _Builder(context, now)
    for hospital, _departments, wards, staff in context.data.get("hospitals", []):
        setup = _setup(hospital, wards, staff)
        stays = (
            Encounter.objects.filter(
                hospital=hospital, kind="inpatient", started_at__lte=now, care_plan__isnull=True
            )
            .select_related("patient", "department", "ward", "attending_doctor", "primary_nurse")
            .prefetch_related(
                "diagnoses",
                Prefetch("patient__phones", queryset=PatientPhone.objects.order_by("-is_primary", "id")),
            )
            .order_by("started_at", "id")
        )
        for encounter in stays:
            builder.stay(encounter, setup, list(encounter.patient.phones.all()))
    with transaction.atomic():
        counts = builder.write()
        AuditEvent.objects.create(
            action="demo.followup",
            object_type="followup.careplan",
            object_id="*",
            summary=", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    context.log("follow-up: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
