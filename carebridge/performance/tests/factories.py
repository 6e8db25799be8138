"""How scorecard tests build their scorecards: through the services, one perspective and one objective
holding the KPIs asked for, weights split to sum to 100."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carebridge.performance.models import Kpi, Scorecard
from carebridge.performance.models.scorecards import PerspectiveKind, ScorecardLevel
from carebridge.performance.services.scorecards import (
    assignment_add,
    kpi_catalogue_sync,
    objective_add,
    perspective_add,
    scorecard_create,
)


def split(n: int) -> list[Decimal]:
    """``n`` weights summing to exactly 100."""
    base = (Decimal(100) / n).quantize(Decimal("0.01"))
    weights = [base] * n
    weights[-1] = Decimal(100) - base * (n - 1)
    return weights


def build_scorecard(
    *,
    actor: Any,
    hospital: Any,
    kpis: dict[str, dict[str, Any]],
    level: str = ScorecardLevel.HOSPITAL,
    department: Any = None,
    staff: Any = None,
    name: str = "医院计分卡",
) -> Scorecard:
    """A scorecard with one customer perspective, one objective and ``kpis`` ({code: {target, minimum, …}})."""
    kpi_catalogue_sync()
    card = scorecard_create(
        actor=actor, hospital=hospital, level=level, name=name, department=department, staff=staff
    )
    perspective = perspective_add(
        actor=actor, scorecard=card, kind=PerspectiveKind.CUSTOMER, name="客户", weight=Decimal(100)
    )
    objective = objective_add(actor=actor, perspective=perspective, name="患者满意", weight=Decimal(100))
    for (code, options), weight in zip(kpis.items(), split(len(kpis)), strict=True):
        values = {"target": Decimal(95), "minimum": Decimal(60), **options}
        assignment_add(
            actor=actor, objective=objective, kpi=Kpi.objects.get(code=code), weight=weight, **values
        )
    return card
