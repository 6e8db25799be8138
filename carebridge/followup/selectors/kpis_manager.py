"""The project manager's own KPIs (篇4 1.1, issue 21): their definitions, which ``kpis`` turns into
:class:`kpis.KpiSpec` rows of :data:`kpis.KPIS` (read them there). This module does not import ``kpis``
(no import circle), so it repeats the two small rules it shares with it: a period is ``[start, end)``
judged at ``now``; cancelled and skipped calls are not counted. The ``manager`` dimension of ``kpis``
gives these per project manager (the plan's owner).


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
from collections.abc import Callable
from typing import Any, TypedDict

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.followup.choices import CALL_KINDS, StayItemStatus, TouchpointKind, TouchpointStatus
from carebridge.followup.models import CarePlan, StayPlan, StayPlanItem, Touchpoint

# ``kpis.Period``: first/last months, zone, and ``start``, ``end``, ``now`` (aware datetimes).
Period = Any
NOT_COUNTED = (TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED)


def _in_period(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def _discharged(plans: QuerySet[CarePlan], period: Period) -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(_in_period("discharged_at", period), pk__in=plans.values("pk"))


def _done_in_window() -> Q:
    return Q(status=TouchpointStatus.DONE, completed_at__lte=F("due_at"))


class Definition(TypedDict):
    """What ``kpis`` needs to make a :class:`kpis.KpiSpec` (its fields, the code aside)."""

    label: Promise
    unit: str  # ``kpis.UNIT_PLAN`` ("plan") or ``kpis.UNIT_TOUCHPOINT`` ("touchpoint")
    plan_path: str
    time_field: str
    base: Callable[[QuerySet[CarePlan], Period], QuerySet[Any]]
    numerator: Callable[[], Q]
    help_text: Promise


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


MANAGER_DEFINITIONS: dict[str, Definition] = {
    "stay_plan_24h": Definition(
        label=_("Stay plans agreed within 24 h"),
        unit="plan",
        plan_path="",
        time_field="admitted_at",
        base=_admitted,
        numerator=_agreed_in_time,
        help_text=_(
            "Stays with a stay plan agreed with the attending doctor and nurse within 24 hours of "
            "admission / stays admitted in the period."
        ),
    ),
    "stay_items_done": Definition(
        label=_("Stay-plan items done by discharge"),
        unit="plan",
        plan_path="",
        time_field="discharged_at",
        base=_discharged_with_items,
        numerator=_items_done_by_discharge,
        help_text=_(
            "Discharged stays whose every stay-plan item (dropped ones aside) was done by discharge / "
            "discharged stays with a stay plan."
        ),
    ),
    "introduction_complete": Definition(
        label=_("Introduction checklist complete"),
        unit="touchpoint",
        plan_path="plan__",
        time_field="completed_at",
        base=_admission_interviews,
        numerator=lambda: Q(data__introduction__complete=True),
        help_text=_(
            "Admission interviews that introduced every topic (experts, techniques, specialties, "
            "outcomes, prognosis, service flow) / admission interviews done in the period."
        ),
    ),
    "calls_on_time": Definition(
        label=_("Follow-up calls on time"),
        unit="touchpoint",
        plan_path="plan__",
        time_field="due_at",
        base=_calls_due,
        numerator=_done_in_window,
        help_text=_(
            "Post-discharge and tiered follow-up calls done by their due time / calls due in the period."
        ),
    ),
}
