"""The scorecard's answers to the lower apps' questions: the targets their pages show
(``core/selectors/targets.py``). Registered when the app is ready."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carebridge.core.scope import scope_for
from carebridge.core.selectors.targets import TargetFigure, register_target_provider


def hospital_targets(user: Any, codes: Sequence[str]) -> list[TargetFigure]:
    """Last month's figure, target and band of ``codes`` on the user's hospital scorecard (the active
    hospital-level scorecard of the hospital in the user's scope)."""
    from carebridge.performance.models import Scorecard
    from carebridge.performance.models.scorecards import ScorecardLevel, ScorecardStatus
    from carebridge.performance.selectors.scores import (
        PERMISSION,
        assignments_of,
        kpi_result_for,
        monthly_series,
    )
    from carebridge.performance.views.scorecards import default_span

    scope = scope_for(user)
    if scope.is_empty:
        return []
    cards = Scorecard.objects.filter(level=ScorecardLevel.HOSPITAL, status=ScorecardStatus.ACTIVE)
    if scope.hospital_ids is not None:
        cards = cards.filter(hospital_id__in=scope.hospital_ids)
    card = cards.select_related("hospital").order_by("id").first()
    if card is None:
        return []
    wanted = [a for a in assignments_of(card) if a.kpi.code in codes]
    if not wanted:
        return []
    span = default_span()
    _months, series = monthly_series(scorecard=card, last=span.first, months=1)
    may_drill = user.has_perm(PERMISSION)
    figures = []
    for assignment in wanted:
        result = kpi_result_for(card, assignment, span, series.get(assignment.pk, []))
        figures.append(
            TargetFigure(
                code=result.code,
                name=result.name,
                period=span.label,
                value=result.value,
                target=result.target,
                band=result.band,
                unit=result.unit,
                rows_url=result.rows_url if may_drill else "",
            )
        )
    return figures


register_target_provider(hospital_targets)
