"""The rows of the demo's follow-up history, collected in memory and written in bulk exactly as the services
write them (plans, touchpoints, their transition rows — the plans' through the life cycle's ``row``, the
touchpoints' as tuples of the same values —, attempts, issues). :class:`DemoRows` is the base of the demo
builder (``demo.calls``, ``demo.stays``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from carebridge.core.deadlines import WorkCalendar
from carebridge.core.demo.bulk import bulk_insert, insert_rows
from carebridge.core.demo.steps import DemoContext
from carebridge.core.models import Hospital, Staff, Transition
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    EscalationStep,
    IssueStatus,
    PlanStatus,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.demo.profiles import Profile
from carebridge.followup.models import (
    CallAttempt,
    CallIssue,
    CarePlan,
    CarePlanTransition,
    FollowupPolicy,
    FollowupTier,
    TierRule,
    Touchpoint,
    TouchpointTemplate,
    TouchpointTransition,
)
from carebridge.followup.services.transitions import PLAN_LIFECYCLE
from carebridge.patients.models import Encounter, PatientPhone

TRANSITION_FIELDS = (
    "touchpoint_id",
    "at",
    "actor_id",
    "from_status",
    "to_status",
    "reason",
    "from_step",
    "to_step",
)


@dataclass
class HospitalSetup:
    hospital: Hospital
    policy: FollowupPolicy
    templates: dict[str, TouchpointTemplate]
    tiers: dict[str, FollowupTier]
    owners: dict[int, Staff]  # ward id → project manager
    zone: str
    rules: list[TierRule] = field(default_factory=list)  # the tier policy, read once per run

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


@dataclass
class Call:
    """One call touchpoint and the events of its history, applied once every call of the plan is known."""

    touchpoint: Touchpoint
    events: list[tuple[Any, ...]] = field(default_factory=list)
    lost_at: dt.datetime | None = None


@dataclass
class Stay:
    """What the history of one stay is made from."""

    plan: CarePlan
    encounter: Encounter
    setup: HospitalSetup
    profile: Profile
    owner: Staff | None
    owner_user: Any
    phones: list[PatientPhone]
    discharged: dt.datetime | None
    unreachable: bool = False


class DemoRows:
    """The rows written so far and the helpers that write them as the services would."""

    def __init__(self, context: DemoContext, now: dt.datetime) -> None:
        self.rng = context.rng
        self.now = now
        self.first = now - dt.timedelta(days=548)
        self.calendar = WorkCalendar()
        users = get_user_model().objects.filter(username__in=("agent", "ward_manager"))
        by_name = {u.username: u for u in users}
        self.agent = by_name.get("agent")
        self.plans: list[CarePlan] = []
        self.plan_transitions: list[Transition] = []  # CarePlanTransition rows (PLAN_LIFECYCLE.row)
        self.touchpoints: list[Touchpoint] = []
        # TouchpointTransition rows as tuples (TRANSITION_FIELDS, the touchpoint itself first: its key is
        # known once the touchpoints are written), what TOUCHPOINT_LIFECYCLE.row would hold.
        self.transitions: list[tuple[Any, ...]] = []
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
            hospital_id=plan.hospital_id,
            patient_id=plan.patient_id,
            department_id=plan.department_id,
            kind=template.kind,
            title=template.title,
            owner_rule=template.owner_rule,
            owner=owner,
            **fields,
        )
        self.touchpoints.append(touchpoint)
        self._by_plan[id(plan)].append(touchpoint)
        self._transition(
            touchpoint,
            at,
            None,
            "",
            TouchpointStatus.SCHEDULED,
            to_step=EscalationStep.PHONE
            if template.kind in (TouchpointKind.POST_DISCHARGE_CALL, TouchpointKind.FOLLOW_UP_CALL)
            else "",
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
        self._transition(
            touchpoint,
            at,
            actor,
            current,
            to,
            reason=reason.strip(),
            from_step=current_step if new_step != current_step else "",
            to_step=new_step if new_step != current_step else "",
        )

    def _transition(
        self,
        touchpoint: Touchpoint,
        at: dt.datetime,
        actor: Any,
        from_status: str,
        to_status: str,
        *,
        reason: str = "",
        from_step: str = "",
        to_step: str = "",
    ) -> None:
        # Only a signed-in user is recorded, as ``Lifecycle.row`` does.
        recorded = actor if getattr(actor, "is_authenticated", False) else None
        if recorded is not None and recorded.pk is None:
            raise ValueError("a transition's actor must be saved first")
        actor_id = recorded.pk if recorded is not None else None
        self.transitions.append(
            (touchpoint, at, actor_id, from_status, to_status, reason, from_step, to_step)
        )

    def _plan_move(self, plan: CarePlan, to: str, at: dt.datetime, reason: str = "") -> None:
        self.plan_transitions.append(
            PLAN_LIFECYCLE.row(
                plan,
                from_status=plan.status,
                to_status=to,
                actor=None,
                at=at,
                reason=reason,
                field=CarePlanTransition.FIELD_STATUS,
            )
        )
        plan.status = to
        plan.closed_at = at if to == PlanStatus.CLOSED else None
        plan.closed_reason = reason[:255] if to == PlanStatus.CLOSED else ""

    # --- writing ---------------------------------------------------------------------------------

    def write(self) -> dict[str, int]:
        bulk_insert(self.plans)
        bulk_insert(cast("list[CarePlanTransition]", self.plan_transitions))
        bulk_insert(self.touchpoints)
        insert_rows(
            TouchpointTransition,
            TRANSITION_FIELDS,
            ((touchpoint.pk, *values) for touchpoint, *values in self.transitions),
        )
        bulk_insert(self.attempts)
        bulk_insert(
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
