"""The project manager's own KPIs (篇4 1.1, issue 21), part of the follow-up KPIs (:data:`kpis.KPIS`,
which imports this module once it has defined what these build on; import ``kpis``, not this module).
The ``manager`` dimension of ``kpis`` gives them per project manager (the plan's owner).


``stay_plan_24h`` — stay plans agreed within 24 hours of admission
    denominator: plans admitted in the period at least 24 hours before ``now`` (a younger stay is not
    judged yet); numerator: those with a stay plan agreed with the doctor and nurse no later than 24 hours
    after admission. Reference time: ``admitted_at``.
``stay_items_done`` — stays whose plan items were all done by discharge
    denominator: plans discharged in the period with a stay plan holding at least one item not dropped;
    numerator: those with no such item left undone at discharge (every one closed as done at or before
    ``discharged_at``). Reference time: ``discharged_at``.
``introduction_complete`` — introduction checklist complete
    denominator: admission interviews done in the period; numerator: those whose introduction checklist
    covers every topic (experts, techniques, specialties, outcomes, prognosis, service flow).
    Reference time: ``completed_at``.
``calls_on_time`` — follow-up calls on time
    denominator: calls of either kind (the doctor's or nurse's post-discharge call, tiered follow-up
    calls) due in the period and already due at ``now``, except cancelled or skipped; numerator: those
    done no later than their due time. Reference time: ``due_at``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from carebridge.followup.choices import CALL_KINDS, StayItemStatus, TouchpointKind, TouchpointStatus
from carebridge.followup.models import CarePlan, StayPlan, StayPlanItem, Touchpoint
from carebridge.followup.selectors.kpis import (
    NOT_COUNTED,
    UNIT_PLAN,
    UNIT_TOUCHPOINT,
    KpiSpec,
    Period,
    _discharged,
    _done_in_window,
    _in_period,
)

STAY_PLAN_WITHIN = dt.timedelta(hours=24)


def _admitted(plans: QuerySet[CarePlan], period: Period) -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(
        _in_period("admitted_at", period),
        pk__in=plans.values("pk"),
        admitted_at__lte=period.now - STAY_PLAN_WITHIN,
    )


def _agreed_in_time() -> Q:
    return Q(
        Exists(
            StayPlan.objects.filter(
                plan=OuterRef("pk"), agreed_at__lte=OuterRef("admitted_at") + STAY_PLAN_WITHIN
            )
        )
    )


def _live_items() -> QuerySet[StayPlanItem]:
    return StayPlanItem.objects.filter(stay_plan__plan=OuterRef("pk")).exclude(status=StayItemStatus.DROPPED)


def _discharged_with_items(plans: QuerySet[CarePlan], period: Period) -> QuerySet[CarePlan]:
    return _discharged(plans, period).filter(Exists(_live_items()))


def _items_done_by_discharge() -> Q:
    undone = _live_items().exclude(status=StayItemStatus.DONE, closed_at__lte=OuterRef("discharged_at"))
    return ~Q(Exists(undone))


def _admission_interviews(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(
        _in_period("completed_at", period),
        plan__in=plans.values("pk"),
        kind=TouchpointKind.ADMISSION_INTERVIEW,
        status=TouchpointStatus.DONE,
    )


def _calls_due(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(
        _in_period("due_at", period),
        plan__in=plans.values("pk"),
        kind__in=CALL_KINDS,
        due_at__lte=period.now,
    ).exclude(status__in=NOT_COUNTED)


MANAGER_SPECS: dict[str, KpiSpec] = {
    spec.code: spec
    for spec in (
        KpiSpec(
            code="stay_plan_24h",
            label=_("Stay plans agreed within 24 h"),
            unit=UNIT_PLAN,
            plan_path="",
            time_field="admitted_at",
            base=_admitted,
            numerator=_agreed_in_time,
            help_text=_(
                "Stays with a stay plan agreed with the attending doctor and nurse within 24 hours of "
                "admission / stays admitted in the period."
            ),
        ),
        KpiSpec(
            code="stay_items_done",
            label=_("Stay-plan items done by discharge"),
            unit=UNIT_PLAN,
            plan_path="",
            time_field="discharged_at",
            base=_discharged_with_items,
            numerator=_items_done_by_discharge,
            help_text=_(
                "Discharged stays whose every stay-plan item (dropped ones aside) was done by discharge / "
                "discharged stays with a stay plan."
            ),
        ),
        KpiSpec(
            code="introduction_complete",
            label=_("Introduction checklist complete"),
            unit=UNIT_TOUCHPOINT,
            plan_path="plan__",
            time_field="completed_at",
            base=_admission_interviews,
            numerator=lambda: Q(data__introduction__complete=True),
            help_text=_(
                "Admission interviews that introduced every topic (experts, techniques, specialties, "
                "outcomes, prognosis, service flow) / admission interviews done in the period."
            ),
        ),
        KpiSpec(
            code="calls_on_time",
            label=_("Follow-up calls on time"),
            unit=UNIT_TOUCHPOINT,
            plan_path="plan__",
            time_field="due_at",
            base=_calls_due,
            numerator=_done_in_window,
            help_text=_(
                "Post-discharge and tiered follow-up calls done by their due time / calls due in the period."
            ),
        ),
    )
}
MANAGER_CODES: tuple[str, ...] = tuple(MANAGER_SPECS)
