"""The demo's stays: for every inpatient stay, the plan owned by the ward's project manager (项目经理), the
admission interview with its customer file, mid-stay talks before special examinations or medication, the
pre-discharge interview, the tier chosen by the hospital's real tier policy at discharge, and the calls
(the doctor's or nurse's post-discharge call and the tier's follow-up calls) with their histories.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    MidStayTrigger,
    OwnerRule,
    PlanStatus,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.demo.calls import CallHistories
from carebridge.followup.demo.profiles import EXPECTATIONS, MEDICATION, NEEDS, PREFERENCES, profile_for
from carebridge.followup.demo.rows import Call, HospitalSetup, Stay
from carebridge.followup.domain.calling import deadline, next_calling_time
from carebridge.followup.domain.tiers import tier_decide
from carebridge.followup.models import CarePlan, CarePlanTransition, Touchpoint, TouchpointTemplate
from carebridge.followup.services.transitions import PLAN_LIFECYCLE
from carebridge.patients.models import Encounter, PatientPhone


class FollowupBuilder(CallHistories):
    """Builds the follow-up history of the demo's stays; :meth:`write` stores it."""

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

    def stay(self, encounter: Encounter, setup: HospitalSetup, phones: list[PatientPhone]) -> None:
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
        here = Stay(
            plan=plan,
            encounter=encounter,
            setup=setup,
            profile=profile_for(encounter.ward, encounter.department.code),
            owner=owner,
            owner_user=self._user_of(owner),
            phones=phones,
            discharged=ended if ended is not None and ended <= self.now else None,
        )
        self.plans.append(plan)
        self.plan_transitions.append(
            PLAN_LIFECYCLE.row(
                plan,
                from_status="",
                to_status=PlanStatus.IN_STAY,
                actor=None,
                at=plan.admitted_at,
                field=CarePlanTransition.FIELD_STATUS,
            )
        )
        self._admission(here)
        pre = setup.templates[TouchpointKind.PRE_DISCHARGE_INTERVIEW]
        pre_discharge = self._touchpoint(plan, pre, owner, plan.admitted_at)
        self._midstay(here)
        if here.discharged is not None:
            self._discharge(here, pre_discharge, here.discharged)

    def _admission(self, here: Stay) -> None:
        """The admission interview and its customer file (客户数据档案)."""
        rng, plan = self.rng, here.plan
        admitted = plan.admitted_at
        admission = here.setup.templates[TouchpointKind.ADMISSION_INTERVIEW]
        due = deadline(start=admitted, amount=admission.amount, unit=admission.unit, zone=here.setup.zone)
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

    def _midstay(self, here: Stay) -> None:
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

    def _discharge(self, here: Stay, pre_discharge: Touchpoint, discharged: dt.datetime) -> None:
        """The pre-discharge interview, the tier by the hospital's policy, the calls and their histories."""
        rng, plan, encounter = self.rng, here.plan, here.encounter
        pre_discharge.due_at = discharged
        pre_discharge.notes = "出院前长谈：满意度调查，出院关怀和用药、复诊指导。"
        pre_at = discharged - dt.timedelta(hours=rng.uniform(0.5, 4))
        self._move(pre_discharge, TouchpointStatus.DONE, pre_at, actor=here.owner_user)
        medication = MEDICATION.get(encounter.department.code, ())
        flags = sorted({flag for flag, share in medication if rng.random() < share})
        decision = tier_decide(
            encounter=encounter,
            medication_flags=flags,
            default_tier=here.setup.policy.default_tier,
            rules=here.setup.rules,
        )
        plan.discharged_at = discharged
        plan.medication_flags = flags
        plan.tier, plan.tier_rule, plan.tier_reason = decision.tier, decision.rule, decision.reason[:255]
        plan.tier_facts, plan.tier_assigned_at = dict(decision.facts), discharged
        self.plan_transitions.append(
            PLAN_LIFECYCLE.row(
                plan,
                from_status="",
                to_status=decision.tier,
                actor=None,
                at=discharged,
                reason=decision.reason,
                field=CarePlanTransition.FIELD_TIER,
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
        setup: HospitalSetup,
        encounter: Encounter,
        discharged: dt.datetime,
    ) -> list[Call]:
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
                due_at=deadline(
                    start=discharged, amount=post.amount, unit=post.unit, zone=zone, calendar=self.calendar
                ),
                available_at=next_calling_time(after=discharged, policy=policy, zone=zone),
            )
            calls.append(Call(touchpoint))
        tier = setup.tiers.get(plan.tier)
        if tier is not None:
            for window in tier.windows.all():
                due = deadline(
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
                    available_at=next_calling_time(after=available, policy=policy, zone=zone),
                )
                calls.append(Call(touchpoint))
        return calls

    def _close_if_done(self, plan: CarePlan) -> None:
        mine = self._by_plan[id(plan)]
        if any(t.status in OPEN_TOUCHPOINT for t in mine):
            return
        last = max((t.completed_at for t in mine if t.completed_at), default=plan.discharged_at)
        assert last is not None  # noqa: S101
        lost = any(t.status == TouchpointStatus.LOST for t in mine)
        self._plan_move(plan, PlanStatus.CLOSED, last, "失访" if lost else "全部接触点已完成。")
