"""Computed KPIs of the ward programme (seed 003 医院客服工作总结篇4, 2 结果), as the seed defines them,
and the follow-up rates by tier.

The seed's figures and the definitions used here (each a count over the rows it drills into):

``customer_files`` — 共建立客户数据资料 2855 份: customer files created, i.e. admission interviews done
    (入院后第一次面对面有效沟通, 建立客户数据档案) in the span. A count; rows: the interviews.
``critical_followed_up`` — 出院危重病患儿回访率 100%: stays with the critical flag discharged in the span;
    numerator: those with a post-discharge or tiered follow-up call done (the patient reached).
``specialty_called`` — 专科疾病(小儿哮喘、支气管肺炎等)一次以上电话回访率 60%: stays discharged in the span
    with a diagnosis in the KPI's disease group (ICD-10 prefixes, configurable: J45, J46 asthma; J18.0
    bronchopneumonia by default); numerator: those with at least one call of any kind done.
``three_comms_stay`` — 住院期间项目经理与客户三次以上沟通率 100%: stays discharged in the span; numerator:
    those with three or more in-stay touchpoints (admission interview, mid-stay talks, pre-discharge
    interview) done between admission and discharge. Calls after discharge do not count.
``share_satisfied`` — 出院时调查客户满意度 98%以上: discharge-survey responses about stays discharged in the
    span that answered the satisfaction item (``overall`` 0–10 by default); numerator: answers at or above
    the threshold (7 by default) — the share satisfied, not a mean.
``would_come_back`` — 90%以上客户表示……会再次到本科室就诊: responses as above that answered the come-back item
    (``come_back``, the inpatient questionnaire's "would you come back to this department", 0–10, by
    default); numerator: answers at or above the threshold (7 by default).
``returning_inpatients`` — 在科室住院病人, 老客户现已达到30%以上: inpatient stays admitted in the span;
    numerator: those whose patient had an earlier encounter of any kind in the same department in the 12
    months before admission (looking back, so the latest month is as complete as any other).
``followup_A``/``_B``/``_C`` — the follow-up page's definitions (``followup/selectors/kpis.py``).
``satisfaction_index`` — mean overall index (0–100) of those responses.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.followup.choices import CALL_KINDS, TierCode, TouchpointKind, TouchpointStatus
from carebridge.followup.models import CarePlan, Touchpoint
from carebridge.followup.selectors import kpis as followup_kpis
from carebridge.lib.periods import month_start
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Diagnosis, Encounter
from carebridge.performance.models.scorecards import KpiAggregation, KpiUnit
from carebridge.performance.selectors.kpis.registry import (
    PART_NUMERATOR,
    KpiScope,
    KpiValue,
    count,
    mean,
    register_kpi,
    register_rate_kpi,
)

IN_STAY_KINDS = (
    TouchpointKind.ADMISSION_INTERVIEW,
    TouchpointKind.MID_STAY_TALK,
    TouchpointKind.PRE_DISCHARGE_INTERVIEW,
)
LOOK_BACK = dt.timedelta(days=365)
SPECIALTY_DEFAULT = {"icd10_prefixes": ["J45", "J46", "J18.0"], "label": "小儿哮喘、支气管肺炎"}
SATISFIED_DEFAULT = {"item": "overall", "minimum": 7}
COME_BACK_DEFAULT = {"item": "come_back", "minimum": 7}


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}" if moment else "—"


_PLAN_COLUMNS = (
    (_("Department"), lambda p: p.department.name),
    (_("Ward"), lambda p: p.ward.name if p.ward_id else "—"),
    (_("Admitted"), lambda p: _local(p.admitted_at)),
    (_("Discharged"), lambda p: _local(p.discharged_at)),
    (_("Tier"), lambda p: p.get_tier_display() or "—"),
)


def _plans(scope: KpiScope) -> QuerySet[CarePlan]:
    queryset = CarePlan.objects.filter(hospital_id=scope.hospital_id).filter(scope.departments("department"))
    if scope.staff_id is not None:
        queryset = queryset.filter(owner_id=scope.staff_id)
    return queryset.select_related("department", "ward")


def _discharged(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[CarePlan]:
    return _plans(scope).filter(discharged_at__gte=start, discharged_at__lt=end)


def _done(kinds: Any) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(plan=OuterRef("pk"), kind__in=kinds, status=TouchpointStatus.DONE)


# --- customer files --------------------------------------------------------------------------------


def _files(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = "") -> QuerySet[Touchpoint]:
    queryset = Touchpoint.objects.filter(
        hospital_id=scope.hospital_id,
        kind=TouchpointKind.ADMISSION_INTERVIEW,
        status=TouchpointStatus.DONE,
        completed_at__gte=start,
        completed_at__lt=end,
    ).filter(scope.departments("department"))
    if scope.staff_id is not None:
        queryset = queryset.filter(plan__owner_id=scope.staff_id)
    return queryset.select_related("department")


@register_kpi(
    "customer_files",
    name=_("Customer files created"),
    rows=_files,
    unit=KpiUnit.COUNT,
    aggregation=KpiAggregation.SUM,
    definition=_("Admission interviews done in the period: each creates the stay's customer file (篇4)."),
    numerator_text=_("admission interviews done"),
    columns=(
        (_("Department"), lambda t: t.department.name if t.department_id else "—"),
        (_("Done"), lambda t: _local(t.completed_at)),
    ),
)
def customer_files(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    return count(_files(scope, start, end).order_by().count())


# --- stays -----------------------------------------------------------------------------------------

register_rate_kpi(
    "critical_followed_up",
    name=_("Critically ill discharged patients followed up"),
    base=lambda scope, start, end: _discharged(scope, start, end).filter(encounter__critical=True),
    numerator=lambda scope: Q(Exists(_done(CALL_KINDS))),
    definition=_(
        "Stays with the critical flag discharged in the period: the share with a follow-up call done."
    ),
    numerator_text=_("critical stays with a call done"),
    denominator_text=_("critical stays discharged"),
    columns=_PLAN_COLUMNS,
)


def _disease_group(scope: KpiScope) -> Q:
    prefixes = scope.parameters.get("icd10_prefixes") or SPECIALTY_DEFAULT["icd10_prefixes"]
    match = reduce(or_, (Q(code__istartswith=str(prefix)) for prefix in prefixes))
    return Q(Exists(Diagnosis.objects.filter(match, encounter=OuterRef("encounter_id"))))


register_rate_kpi(
    "specialty_called",
    name=_("Specialty-disease patients called at least once"),
    base=lambda scope, start, end: _discharged(scope, start, end).filter(_disease_group(scope)),
    numerator=lambda scope: Q(Exists(_done(CALL_KINDS))),
    definition=_(
        "Stays discharged in the period with a diagnosis of the KPI's disease group (ICD-10 prefixes; "
        "asthma and bronchopneumonia by default): the share with at least one call done."
    ),
    numerator_text=_("stays of the disease group with a call done"),
    denominator_text=_("stays of the disease group discharged"),
    parameters=SPECIALTY_DEFAULT,
    columns=_PLAN_COLUMNS,
)


def _three_in_stay(scope: KpiScope) -> Q:
    in_stay = (
        Touchpoint.objects.filter(
            kind__in=IN_STAY_KINDS,
            status=TouchpointStatus.DONE,
            completed_at__gte=OuterRef("admitted_at"),
            completed_at__lte=OuterRef("discharged_at"),
            plan=OuterRef("pk"),
        )
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
    )
    return Q(Exists(in_stay))


register_rate_kpi(
    "three_comms_stay",
    name=_("Stays with ≥3 communications during the stay"),
    base=_discharged,
    numerator=_three_in_stay,
    definition=_(
        "Stays discharged in the period: the share with three or more in-stay touchpoints (admission "
        "interview, mid-stay talks, pre-discharge interview) done between admission and discharge."
    ),
    numerator_text=_("stays with three or more in-stay communications"),
    denominator_text=_("stays discharged"),
    columns=_PLAN_COLUMNS,
)


# --- discharge survey ------------------------------------------------------------------------------


def _responses(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    from carebridge.surveys.models import Response

    plans = _discharged(scope, start, end)
    return Response.objects.filter(encounter__care_plan__in=plans.values("pk")).select_related(
        "department", "encounter__care_plan"
    )


def _answered_item(default: dict[str, Any]) -> Any:
    def base(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
        item = str(scope.parameters.get("item") or default["item"])
        return _responses(scope, start, end).filter(answers__has_key=item)

    return base


def _at_least(default: dict[str, Any]) -> Any:
    def condition(scope: KpiScope) -> Q:
        item = str(scope.parameters.get("item") or default["item"])
        minimum = scope.parameters.get("minimum", default["minimum"])
        return Q(**{f"answers__{item}__gte": minimum})

    return condition


_RESPONSE_COLUMNS = (
    (_("Department"), lambda r: r.department.name if r.department_id else "—"),
    (_("Submitted"), lambda r: _local(r.submitted_at)),
    (_("Discharged"), lambda r: _local(r.encounter.care_plan.discharged_at)),
    (_("Index"), lambda r: r.score if r.score is not None else "—"),
)

register_rate_kpi(
    "share_satisfied",
    name=_("Share satisfied at discharge"),
    base=_answered_item(SATISFIED_DEFAULT),
    numerator=_at_least(SATISFIED_DEFAULT),
    definition=_(
        "Discharge-survey answers to the satisfaction item (overall, 0–10) about stays discharged in the "
        "period: the share at or above the threshold (7 by default)."
    ),
    numerator_text=_("answers at or above the threshold"),
    denominator_text=_("answers to the satisfaction item"),
    parameters=SATISFIED_DEFAULT,
    columns=_RESPONSE_COLUMNS,
)

register_rate_kpi(
    "would_come_back",
    name=_("Would come back (loyalty)"),
    base=_answered_item(COME_BACK_DEFAULT),
    numerator=_at_least(COME_BACK_DEFAULT),
    definition=_(
        "Answers to the come-back item (would come back to this department, 0–10) about stays discharged "
        "in the period: the share at or above the threshold (7 by default)."
    ),
    numerator_text=_("answers at or above the threshold"),
    denominator_text=_("answers to the come-back item"),
    parameters=COME_BACK_DEFAULT,
    columns=_RESPONSE_COLUMNS,
)


def _scored(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = "") -> QuerySet[Any]:
    return _responses(scope, start, end).filter(score__isnull=False)


@register_kpi(
    "satisfaction_index",
    name=_("Satisfaction index"),
    rows=_scored,
    unit=KpiUnit.INDEX,
    definition=_("Mean overall index (0–100) of the discharge surveys about stays discharged in the period."),
    numerator_text=_("indexes summed"),
    denominator_text=_("surveys answered"),
    columns=_RESPONSE_COLUMNS,
)
def satisfaction_index(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    figures = (
        _scored(scope, start, end).order_by().aggregate(n=Count("pk"), total=Sum("score"), avg=Avg("score"))
    )
    return mean(figures["total"], figures["n"])


# --- returning inpatients --------------------------------------------------------------------------


def _admitted(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Encounter]:
    queryset = Encounter.objects.filter(
        hospital_id=scope.hospital_id, kind=EncounterKind.INPATIENT, started_at__gte=start, started_at__lt=end
    ).filter(scope.departments("department"))
    if scope.staff_id is not None:
        queryset = queryset.filter(care_plan__owner_id=scope.staff_id)
    return queryset.select_related("department", "ward")


def _returning(scope: KpiScope) -> Q:
    earlier = Encounter.objects.filter(
        patient_id=OuterRef("patient_id"),
        department_id=OuterRef("department_id"),
        started_at__lt=OuterRef("started_at"),
        started_at__gte=OuterRef("started_at") - LOOK_BACK,
    )
    return Q(Exists(earlier))


register_rate_kpi(
    "returning_inpatients",
    name=_("Returning customers among inpatients"),
    base=_admitted,
    numerator=_returning,
    definition=_(
        "Inpatient stays admitted in the period: the share whose patient had another visit or stay in the "
        "same department in the 12 months before admission (老客户)."
    ),
    numerator_text=_("stays of returning customers"),
    denominator_text=_("inpatient stays admitted"),
    columns=(
        (_("Department"), lambda e: e.department.name),
        (_("Ward"), lambda e: e.ward.name if e.ward_id else "—"),
        (_("Admitted"), lambda e: _local(e.started_at)),
    ),
)


# --- follow-up rates by tier (the follow-up page's definitions) ------------------------------------


def _period(start: dt.datetime, end: dt.datetime) -> followup_kpis.Period:
    zone = timezone.get_current_timezone_name()
    first = month_start(timezone.localtime(start).date())
    last = month_start((timezone.localtime(end) - dt.timedelta(seconds=1)).date())
    return followup_kpis.Period(first=first, last=last, zone=zone, now=timezone.now())


def _tier_kpi(tier: str) -> None:
    spec = followup_kpis.KPIS[f"followup_{tier}"]

    def base(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
        return spec.base(_plans(scope), _period(start, end)).select_related("department", "plan")

    register_rate_kpi(
        f"followup_{tier}",
        name=spec.label,
        base=base,
        numerator=lambda scope: spec.numerator(),
        definition=spec.help_text,
        numerator_text=_("calls done within their window"),
        denominator_text=_("calls due in the period"),
        columns=(
            (_("Department"), lambda t: t.department.name if t.department_id else "—"),
            (_("Due"), lambda t: _local(t.due_at)),
            (_("Status"), lambda t: t.get_status_display()),
        ),
    )


for _tier in TierCode.values:
    _tier_kpi(_tier)


__all__ = ["PART_NUMERATOR", "F", "customer_files", "satisfaction_index"]


# --- the project manager's own KPIs (篇4 1.1; ``followup/selectors/kpis.py`` defines them) ---------------


def _manager_kpi(code: str) -> None:
    spec = followup_kpis.KPIS[code]

    def base(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
        return spec.base(_plans(scope), _period(start, end)).select_related("department")

    if spec.unit == followup_kpis.UNIT_PLAN:
        columns: tuple[Any, ...] = _PLAN_COLUMNS
    else:
        columns = (
            (_("Department"), lambda t: t.department.name if t.department_id else "—"),
            (_("Due"), lambda t: _local(t.due_at)),
            (_("Status"), lambda t: t.get_status_display()),
        )
    register_rate_kpi(
        f"pm_{code}",
        name=spec.label,
        base=base,
        numerator=lambda scope: spec.numerator(),
        definition=spec.help_text,
        numerator_text=_("rows meeting the standard"),
        denominator_text=_("rows counted"),
        columns=columns,
    )


# On a staff scorecard (``KpiScope.staff_id``) these count the plans the staff member owns as project
# manager; on a department or hospital scorecard, every plan in scope.
for _code in followup_kpis.MANAGER_CODES:
    _manager_kpi(_code)
