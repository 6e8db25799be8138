"""Demo step (issue 21, 篇4 1.1): stay plans and the admission interview's introduction checklist for the
paediatric wards, whose project manager is the demo ward manager — the newest stays (those in hospital now
and the last months'), so "my programme" (``followup:manager``) has figures and work to do.

Most plans are agreed within 24 hours of admission with the attending doctor and a nurse of the ward, and
their items done before discharge; some are late, some leave an item open, a few stays have none. Rows are
written in bulk as the services write them (the history is back-dated). A private random stream (seeded
from the demo's seed) keeps the other steps' streams as they were."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import Staff
from carebridge.followup.choices import IntroductionTopic, StayItemStatus, TouchpointKind, TouchpointStatus
from carebridge.followup.models import CarePlan, StayItemTransition, StayPlan, StayPlanItem, Touchpoint

ITEMS = (
    "向家长解释检查项目与时间安排",
    "雾化治疗时间表告知家长",
    "营养科会诊与饮食安排",
    "哮喘吸入装置使用教学",
    "出院前家长宣教（用药、复诊）",
    "安排陪护床位",
)
MOST = 160


@register_step(87, "ward programme: stay plans and introduction checklists")
def seed_stay_plans(context: DemoContext) -> None:
    rng = random.Random(context.seed * 7919 + 21)  # noqa: S311 - demo data, not secrets
    manager = get_user_model().objects.filter(username="ward_manager").select_related("staff").first()
    if manager is None or getattr(manager, "staff", None) is None:
        return
    plans = list(
        CarePlan.objects.filter(owner=manager.staff)
        .select_related("encounter")
        .order_by("-admitted_at", "-id")[:MOST]
    )
    nurses: dict[int, list[Staff]] = {}
    stay_plans, item_rows = [], []
    for plan in plans:
        doctor_id = plan.encounter.attending_doctor_id
        if plan.department_id not in nurses:
            nurses[plan.department_id] = list(
                Staff.objects.filter(home_department_id=plan.department_id, kind="nurse").order_by("pk")[:6]
            )
        ward_nurses = nurses[plan.department_id]
        if doctor_id is None or not ward_nurses or rng.random() < 0.08:
            continue  # no plan agreed for this stay
        hours = rng.choice((2, 4, 6, 10, 18, 22, 30, 40)) if rng.random() < 0.9 else rng.randint(48, 72)
        agreed = plan.admitted_at + dt.timedelta(hours=hours)
        end = plan.discharged_at or timezone.now()
        if agreed >= end:
            continue
        stay_plan = StayPlan(
            plan=plan,
            hospital_id=plan.hospital_id,
            department_id=plan.department_id,
            project_manager_id=plan.owner_id,
            doctor_id=doctor_id,
            nurse=rng.choice(ward_nurses),
            agreed_at=agreed,
            notes="与主管医师、分管护士共同制定",
        )
        stay_plans.append(stay_plan)
        for number, text in enumerate(rng.sample(ITEMS, rng.randint(2, 4)), start=1):
            item = StayPlanItem(stay_plan=stay_plan, sequence=number, text=text, owner_id=plan.owner_id)
            if plan.discharged_at is not None and rng.random() < 0.9:
                item.status, item.closed_by = StayItemStatus.DONE, manager
                item.closed_at = agreed + (plan.discharged_at - agreed) * rng.uniform(0.2, 0.95)
            elif plan.discharged_at is None and rng.random() < 0.4:
                item.status, item.closed_by = StayItemStatus.DONE, manager
                item.closed_at = agreed + dt.timedelta(hours=rng.randint(1, 12))
            item_rows.append(item)
    StayPlan.objects.bulk_create(stay_plans)
    StayPlanItem.objects.bulk_create(item_rows)
    # Each closed item's history row, as ``stay_item_close`` writes it.
    StayItemTransition.objects.bulk_create(
        StayItemTransition(
            item=item,
            at=item.closed_at,
            actor=manager,
            from_status=StayItemStatus.OPEN,
            to_status=item.status,
        )
        for item in item_rows
        if item.status != StayItemStatus.OPEN and item.closed_at is not None
    )
    interviews = list(
        Touchpoint.objects.filter(
            plan__in=[p.pk for p in plans],
            kind=TouchpointKind.ADMISSION_INTERVIEW,
            status=TouchpointStatus.DONE,
        ).order_by("pk")
    )
    for interview in interviews:
        topics = list(IntroductionTopic.values)
        if rng.random() < 0.25:
            topics = [t for t in topics if rng.random() < 0.7]
        interview.data = {
            **(interview.data or {}),
            "introduction": {"covered": topics, "complete": len(topics) == len(IntroductionTopic.values)},
        }
    Touchpoint.objects.bulk_update(interviews, ["data"])
    context.log(f"stay plans: {len(stay_plans)} with {len(item_rows)} items; {len(interviews)} checklists")
