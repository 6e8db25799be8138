"""What an effect check compares: the samples of the KPI an action should move (a scorecard KPI
assignment) or of the platform measure it names, in the window before and the window after.

A scorecard KPI is tested when it is a computed rate — a share of counted cases (numerator ⊆ denominator),
the two-proportion test applies. A KPI typed in by hand, or a computed sum or mean, has no cases to test:
the check then reports its two figures and says it cannot judge them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from carebridge.performance.domain.effect import Sample, ShareSample
from carebridge.performance.models import ImprovementAction
from carebridge.performance.models.scorecards import KpiAggregation, KpiDirection
from carebridge.performance.selectors.kpis.registry import computed_kpi
from carebridge.performance.selectors.measures import MEASURES
from carebridge.performance.selectors.scores import kpi_scope


@dataclass(frozen=True)
class EffectInputs:
    label: str
    higher_is_better: bool
    before: Sample | None
    after: Sample | None
    # Why no test is possible (``before``/``after`` are then ``None``); figures shown for information.
    untestable: str = ""
    figures: tuple[float | None, float | None] = (None, None)


def effect_inputs(
    action: ImprovementAction,
    *,
    before: tuple[dt.datetime, dt.datetime],
    after: tuple[dt.datetime, dt.datetime],
) -> EffectInputs:
    """The samples of the action's KPI (preferred) or measure over the two windows."""
    assignment = action.assignment
    if assignment is not None:
        kpi = assignment.kpi
        higher = kpi.direction != KpiDirection.LOWER
        definition = computed_kpi(kpi.code)
        if definition is None:
            return EffectInputs(
                kpi.name,
                higher,
                None,
                None,
                untestable=_("the KPI is entered by hand, with no cases to test"),
            )
        scope = kpi_scope(assignment.objective.scorecard, assignment)
        values = [definition.compute(scope, *span) for span in (before, after)]
        if definition.aggregation != KpiAggregation.RATE or any(
            v.denominator is None or v.numerator is None or v.numerator > v.denominator for v in values
        ):
            return EffectInputs(
                kpi.name,
                higher,
                None,
                None,
                untestable=_("the KPI is not a share of counted cases"),
                figures=(values[0].value, values[1].value),
            )
        samples = [ShareSample(hits=int(v.numerator or 0), n=int(v.denominator or 0)) for v in values]
        return EffectInputs(kpi.name, higher, samples[0], samples[1])
    measure = MEASURES[action.measure]
    return EffectInputs(
        str(measure.label),
        measure.higher_is_better,
        measure.sample(action.department, *before),
        measure.sample(action.department, *after),
    )
