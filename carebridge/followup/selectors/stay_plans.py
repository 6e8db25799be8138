"""Reading stay plans (住院方案) and the introduction checklists, scoped through ``restrict()``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.core.models import Staff
from carebridge.core.scope import restrict
from carebridge.followup.choices import IntroductionTopic, StayItemStatus
from carebridge.followup.models import CarePlan, StayItemTransition, StayPlan, StayPlanItem, Touchpoint


def stay_plan_list(*, user: Any, department: int | None = None) -> QuerySet[StayPlan]:
    """The stay plans the user may see, newest first, with their item counts."""
    rows = restrict(StayPlan.objects.all(), user)
    if department:
        rows = rows.filter(department_id=department)
    return (
        rows.select_related("plan__patient", "department", "project_manager", "doctor", "nurse")
        .prefetch_related(
            Prefetch(
                "items", queryset=StayPlanItem.objects.select_related("owner").order_by("sequence", "id")
            ),
            Prefetch("items__transitions", queryset=StayItemTransition.objects.order_by("at", "id")),
        )
        .annotate(
            n_items=Count("items", filter=~Q(items__status=StayItemStatus.DROPPED)),
            n_done=Count("items", filter=Q(items__status=StayItemStatus.DONE)),
        )
        .order_by("-agreed_at", "-id")
    )


def stay_plan_get(*, user: Any, pk: int) -> StayPlan:
    return get_object_or_404(stay_plan_list(user=user), pk=pk)


def stay_plan_of(*, user: Any, plan: CarePlan) -> StayPlan | None:
    """The stay plan of a care plan the user already opened (``None``: none yet, or no permission)."""
    return stay_plan_list(user=user).filter(plan=plan).first()


def stay_plan_history(stay_plan: StayPlan) -> list[StayItemTransition]:
    """The changes of a stay plan's items in the order they happened (``at``, then ``id``: PostgreSQL
    returns rows in any order without it)."""
    return list(
        StayItemTransition.objects.filter(item__stay_plan=stay_plan)
        .select_related("item", "actor__staff")
        .order_by("at", "id")
    )


def stay_item_get(*, user: Any, pk: int) -> StayPlanItem:
    return get_object_or_404(
        StayPlanItem.objects.filter(stay_plan__in=restrict(StayPlan.objects.all(), user)).select_related(
            "stay_plan"
        ),
        pk=pk,
    )


def introduction_topics(touchpoint: Touchpoint) -> list[tuple[str, str, bool]]:
    """The checklist of an admission interview as (code, label, covered) in the seed's order."""
    covered = set(((touchpoint.data or {}).get("introduction") or {}).get("covered", []))
    return [(code, str(label), code in covered) for code, label in IntroductionTopic.choices]


def ward_staff(plan: CarePlan) -> QuerySet[Staff]:
    """The active staff of the stay's department, who may agree its plan."""
    return (
        Staff.objects.filter(hospital_id=plan.hospital_id, is_active=True)
        .filter(Q(home_department_id=plan.department_id) | Q(departments=plan.department_id))
        .distinct()
        .order_by("name", "id")
    )
