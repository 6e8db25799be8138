"""Writes of the balanced scorecard: the KPI catalogue, the scorecard tree and its weights, figures entered
by hand, closing a month (its scores frozen as version 1) and correcting a closed month (a new version
with a reason). Each service is one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.performance.domain import scoring
from carebridge.performance.domain.periods import month_span
from carebridge.performance.models import (
    Kpi,
    KpiAssignment,
    KpiEntry,
    Objective,
    Perspective,
    Scorecard,
    ScorePeriod,
    ScoreVersion,
)
from carebridge.performance.models.scorecards import (
    KpiDirection,
    KpiSource,
    ScorecardLevel,
    ScorecardStatus,
    ScoringRule,
)
from carebridge.performance.selectors.kpis.registry import computed_kpis
from carebridge.performance.selectors.scores import hospital_zone, scorecard_scores


@transaction.atomic
def kpi_catalogue_sync() -> list[Kpi]:
    """A catalogue row for every registered computed KPI (new ones created, definitions refreshed; the
    parameters a hospital has set are kept)."""
    rows = []
    for code, definition in sorted(computed_kpis().items()):
        kpi, _created = Kpi.objects.get_or_create(
            code=code,
            defaults={"parameters": dict(definition.parameters)},
        )
        kpi.name = str(definition.name)
        kpi.definition = str(definition.definition)
        kpi.numerator_text = str(definition.numerator_text)
        kpi.denominator_text = str(definition.denominator_text)
        kpi.unit, kpi.direction, kpi.aggregation = (
            definition.unit,
            definition.direction,
            definition.aggregation,
        )
        kpi.source = KpiSource.COMPUTED
        kpi.save()
        rows.append(kpi)
    return rows


@transaction.atomic
def kpi_create(*, actor: Any, code: str, name: str, source: str = KpiSource.MANUAL, **fields: Any) -> Kpi:
    """A KPI entered by hand or imported (financial figures, attendance)."""
    if source == KpiSource.COMPUTED:
        raise ValidationError({"source": [_("Computed KPIs come from the registry, not from this form.")]})
    if Kpi.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("A KPI with this code already exists.")]})
    kpi = Kpi(code=code, name=name, source=source, **fields)
    kpi.full_clean()
    kpi.save()
    audit_record(actor=actor, action="performance.kpi_create", obj=kpi, summary=name)
    return kpi


@transaction.atomic
def scorecard_create(
    *,
    actor: Any,
    hospital: Hospital,
    level: str,
    name: str,
    department: Department | None = None,
    staff: Staff | None = None,
) -> Scorecard:
    if level in (ScorecardLevel.DEPARTMENT, ScorecardLevel.CENTRE) and department is None:
        raise ValidationError({"department": [_("A department or centre scorecard needs its department.")]})
    if level == ScorecardLevel.STAFF and staff is None:
        raise ValidationError({"staff": [_("A staff scorecard needs its staff member.")]})
    if level == ScorecardLevel.STAFF and staff is not None and department is None:
        department = staff.home_department
    card = Scorecard.objects.create(
        hospital=hospital, level=level, name=name, department=department, staff=staff, owner=actor
    )
    audit_record(actor=actor, action="performance.scorecard_create", obj=card, summary=name)
    return card


def _editable(scorecard: Scorecard) -> None:
    if scorecard.status == ScorecardStatus.RETIRED:
        raise ValidationError(_("A retired scorecard cannot change."))


@transaction.atomic
def perspective_add(
    *, actor: Any, scorecard: Scorecard, kind: str, name: str, weight: Decimal
) -> Perspective:
    _editable(scorecard)
    position = scorecard.perspectives.count()
    perspective = Perspective.objects.create(
        scorecard=scorecard, kind=kind, name=name, weight=weight, position=position
    )
    audit_record(actor=actor, action="performance.perspective_add", obj=perspective, summary=name)
    return perspective


@transaction.atomic
def objective_add(
    *, actor: Any, perspective: Perspective, name: str, weight: Decimal, owner: Any = None
) -> Objective:
    _editable(perspective.scorecard)
    objective = Objective.objects.create(
        perspective=perspective,
        name=name,
        weight=weight,
        owner=owner,
        position=perspective.objectives.count(),
    )
    audit_record(actor=actor, action="performance.objective_add", obj=objective, summary=name)
    return objective


def _check_thresholds(
    *,
    direction: str,
    target: Decimal,
    minimum: Decimal,
    green_from: Decimal,
    amber_from: Decimal,
    rule: str,
    steps: Any,
) -> None:
    errors: dict[str, list[str]] = {}
    better = (lambda a, b: a >= b) if direction == KpiDirection.HIGHER else (lambda a, b: a <= b)
    if target == minimum and rule != ScoringRule.STEPPED:
        errors["minimum"] = [_("The minimum must differ from the target.")]
    elif not better(target, minimum):
        errors["target"] = [_("The target must be better than the minimum.")]
    if not better(green_from, amber_from):
        errors["green_from"] = [_("Green must start at a better value than amber.")]
    if rule == ScoringRule.STEPPED:
        try:
            ok = bool(steps) and all(len(s) == 2 and float(s[0]) == float(s[0]) for s in steps)
        except (TypeError, ValueError):
            ok = False
        if not ok:
            errors["steps"] = [_("A stepped rule needs steps: pairs of threshold and score.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_add(
    *,
    actor: Any,
    objective: Objective,
    kpi: Kpi,
    weight: Decimal,
    target: Decimal,
    minimum: Decimal,
    green_from: Decimal | None = None,
    amber_from: Decimal | None = None,
    rule: str = ScoringRule.CAPPED,
    steps: list[list[float]] | None = None,
    owner: Any = None,
    updater: Any = None,
) -> KpiAssignment:
    """Place a KPI under an objective. Bands default to green at the target and amber at the minimum."""
    _editable(objective.perspective.scorecard)
    green = target if green_from is None else green_from
    amber = minimum if amber_from is None else amber_from
    _check_thresholds(
        direction=kpi.direction,
        target=Decimal(target),
        minimum=Decimal(minimum),
        green_from=Decimal(green),
        amber_from=Decimal(amber),
        rule=rule,
        steps=steps,
    )
    assignment = KpiAssignment.objects.create(
        objective=objective,
        kpi=kpi,
        weight=weight,
        target=target,
        minimum=minimum,
        green_from=green,
        amber_from=amber,
        rule=rule,
        steps=steps or [],
        owner=owner,
        updater=updater,
        position=objective.assignments.count(),
    )
    audit_record(actor=actor, action="performance.assignment_add", obj=assignment, summary=kpi.code)
    return assignment


def weight_errors(scorecard: Scorecard) -> list[str]:
    """Every level whose weights do not sum to 100, as sentences (empty when all do)."""
    problems = []
    perspectives = list(scorecard.perspectives.all())
    total = scoring.weight_problem(p.weight for p in perspectives)
    if total is not None:
        problems.append(
            _("The perspectives of “%(name)s” weigh %(total)s in all; they must sum to 100.")
            % {"name": scorecard.name, "total": _number(total)}
        )
    for perspective in perspectives:
        objectives = list(perspective.objectives.all())
        total = scoring.weight_problem(o.weight for o in objectives)
        if total is not None:
            problems.append(
                _("The objectives of “%(name)s” weigh %(total)s in all; they must sum to 100.")
                % {"name": perspective.name, "total": _number(total)}
            )
        for objective in objectives:
            total = scoring.weight_problem(a.weight for a in objective.assignments.all())
            if total is not None:
                problems.append(
                    _("The KPIs of “%(name)s” weigh %(total)s in all; they must sum to 100.")
                    % {"name": objective.name, "total": _number(total)}
                )
    return problems


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


@transaction.atomic
def weights_set(
    *, actor: Any, rows: list[Perspective] | list[Objective] | list[KpiAssignment], weights: Mapping[int, Any]
) -> None:
    """Set the weights of one level (the perspectives of a scorecard, the objectives of a perspective or
    the KPIs of an objective) at once; refused, with nothing changed, unless they sum to 100."""
    try:
        values = {row.pk: Decimal(str(weights[row.pk])) for row in rows}
    except (KeyError, InvalidOperation) as error:
        raise ValidationError(_("Give a number for every weight of this level.")) from error
    if any(v < 0 for v in values.values()):
        raise ValidationError(_("Weights cannot be negative."))
    total = scoring.weight_problem(values.values())
    if total is not None:
        raise ValidationError(
            _("These weights sum to %(total)s; the weights of one level must sum to 100.")
            % {"total": _number(total)}
        )
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(weight=values[row.pk])
    if rows:
        audit_record(
            actor=actor,
            action="performance.weights_set",
            object_type=rows[0]._meta.label_lower,
            object_id=",".join(str(r.pk) for r in rows),
            changes={str(k): str(v) for k, v in values.items()},
        )


@transaction.atomic
def scorecard_activate(*, actor: Any, scorecard: Scorecard) -> Scorecard:
    """Put a scorecard in force: refused while the weights of any level do not sum to 100."""
    problems = weight_errors(scorecard)
    if not KpiAssignment.objects.filter(objective__perspective__scorecard=scorecard).exists():
        problems.append(_("The scorecard has no KPI yet."))
    if problems:
        raise ValidationError(problems)
    scorecard.status = ScorecardStatus.ACTIVE
    scorecard.save(update_fields=["status"])
    audit_record(actor=actor, action="performance.scorecard_activate", obj=scorecard)
    return scorecard


# --- figures entered by hand -----------------------------------------------------------------------


def _month_closed(scorecard: Scorecard, month: dt.date) -> bool:
    return ScorePeriod.objects.filter(scorecard=scorecard, month=month).exists()


def _save_entry(
    *,
    actor: Any,
    scorecard: Scorecard,
    kpi: Kpi,
    month: dt.date,
    value: Decimal,
    numerator: Decimal | None,
    denominator: Decimal | None,
    source: str,
    note: str,
    source_key: str,
) -> KpiEntry:
    if kpi.source == KpiSource.COMPUTED:
        raise ValidationError(
            _("“%(kpi)s” is computed by the platform; it cannot be typed in.") % {"kpi": kpi.name}
        )
    if not KpiAssignment.objects.filter(objective__perspective__scorecard=scorecard, kpi=kpi).exists():
        raise ValidationError(_("“%(kpi)s” is not on this scorecard.") % {"kpi": kpi.name})
    entry, created = KpiEntry.objects.update_or_create(
        kpi=kpi,
        scorecard=scorecard,
        month=month.replace(day=1),
        defaults={
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "source": source,
            "note": note,
            "source_key": source_key,
            "entered_by": actor,
            "entered_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="performance.entry_save",
        obj=entry,
        summary=f"{kpi.code} {month:%Y-%m}",
        changes={"value": str(value), "created": created},
    )
    return entry


@transaction.atomic
def kpi_entry_save(
    *,
    actor: Any,
    scorecard: Scorecard,
    kpi: Kpi,
    month: dt.date,
    value: Decimal,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    source: str = KpiSource.MANUAL,
    note: str = "",
    source_key: str = "",
) -> KpiEntry:
    """Enter (or replace) a month's figure of a hand-entered KPI; refused for a closed month."""
    if _month_closed(scorecard, month.replace(day=1)):
        raise ValidationError(
            _("%(month)s is closed; correct it with a new version and a reason.")
            % {"month": f"{month:%Y-%m}"}
        )
    return _save_entry(
        actor=actor,
        scorecard=scorecard,
        kpi=kpi,
        month=month,
        value=value,
        numerator=numerator,
        denominator=denominator,
        source=source,
        note=note,
        source_key=source_key,
    )


# --- closing and correcting ------------------------------------------------------------------------


@transaction.atomic
def period_close(
    *, actor: Any, scorecard: Scorecard, month: dt.date, now: dt.datetime | None = None
) -> ScoreVersion:
    """Close and freeze a month once approved: its scores are stored as version 1 and no longer move."""
    now = now or timezone.now()
    month = month.replace(day=1)
    _start, end = month_span(month).bounds(hospital_zone(scorecard))
    if end > now:
        raise ValidationError(_("A month can be closed only after it has ended."))
    if _month_closed(scorecard, month):
        raise ValidationError(_("%(month)s is already closed.") % {"month": f"{month:%Y-%m}"})
    period = ScorePeriod.objects.create(scorecard=scorecard, month=month, closed_by=actor, closed_at=now)
    version = _new_version(actor=actor, period=period, reason="", now=now)
    audit_record(actor=actor, action="performance.period_close", obj=period, summary=f"{month:%Y-%m}")
    return version


@transaction.atomic
def period_correct(
    *,
    actor: Any,
    scorecard: Scorecard,
    month: dt.date,
    reason: str,
    figures: Mapping[int, Mapping[str, Any]] | None = None,
    now: dt.datetime | None = None,
) -> ScoreVersion:
    """Correct a closed month: a new version with a reason, counted again from today's data, with the
    hand-entered figures given in ``figures`` ({kpi id: {"value", "numerator", "denominator"}}) replaced."""
    now = now or timezone.now()
    month = month.replace(day=1)
    period = ScorePeriod.objects.select_for_update().filter(scorecard=scorecard, month=month).first()
    if period is None:
        raise ValidationError(
            _("%(month)s is not closed: change its figures directly.") % {"month": f"{month:%Y-%m}"}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the closed scores are corrected.")]})
    for kpi_id, values in (figures or {}).items():
        kpi = Kpi.objects.get(pk=kpi_id)
        _save_entry(
            actor=actor,
            scorecard=scorecard,
            kpi=kpi,
            month=month,
            value=Decimal(str(values["value"])),
            numerator=_decimal(values.get("numerator")),
            denominator=_decimal(values.get("denominator")),
            source=KpiSource.MANUAL,
            note=reason[:255],
            source_key="",
        )
    version = _new_version(actor=actor, period=period, reason=reason.strip(), now=now)
    audit_record(
        actor=actor,
        action="performance.period_correct",
        obj=period,
        summary=f"{month:%Y-%m} v{version.number}",
        changes={"reason": reason.strip()},
    )
    return version


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _new_version(*, actor: Any, period: ScorePeriod, reason: str, now: dt.datetime) -> ScoreVersion:
    result = scorecard_scores(scorecard=period.scorecard, span=month_span(period.month), now=now, live=True)
    number = (period.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    data = result.to_json()
    data["version"], data["reason"] = number, reason
    return ScoreVersion.objects.create(
        period=period,
        number=number,
        reason=reason,
        data=data,
        total=Decimal(str(result.total)) if result.total is not None else None,
        created_by=actor,
        created_at=now,
    )
