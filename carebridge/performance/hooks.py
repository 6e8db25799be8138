"""What the performance app registers with the apps below it, when the app is ready: the targets their
pages show (``core/selectors/targets.py``), and the improvement actions raised from a record, listed on
that record's page (``core.panels``): a complaint, a ward's daily sync, a meeting show the actions raised
from them, with a button to raise one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.template.loader import render_to_string

from carebridge.core.panels import panel_register
from carebridge.core.scope import scope_for
from carebridge.core.selectors.targets import TargetFigure, register_target_provider
from carebridge.performance.selectors.actions import actions_for


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
        scorecards_visible,
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
    # The rows link only for someone who may open the hospital scorecard itself (a department head may not).
    may_drill = user.has_perm(PERMISSION) and scorecards_visible(user=user).filter(pk=card.pk).exists()
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


def source_panel(request: Any, obj: models.Model) -> str:
    user = request.user
    if not user.has_perm("performance.view_improvementaction"):
        return ""
    department_id = getattr(obj, "department_id", None)
    departments = getattr(obj, "departments", None)
    if department_id is None and departments is not None and hasattr(departments, "order_by"):
        first = departments.order_by("id").first()
        department_id = first.pk if first is not None else None
    actions = list(actions_for(user=user, obj=obj))
    # A meeting's or forum's decisions (``WardMeeting.decisions``) each raise an action of that title; the
    # panel offers the ones not raised yet.
    raised = {a.title for a in actions}
    decisions = [str(d) for d in getattr(obj, "decisions", None) or [] if isinstance(d, str)]
    return render_to_string(
        "performance/_source_actions.html",
        {
            "actions": actions,
            "open_decisions": [d for d in decisions if d[:200] not in raised],
            "can_add": user.has_perm("performance.add_improvementaction"),
            "source_model": obj._meta.label_lower,
            "obj": obj,
            "department": department_id or "",
        },
        request=request,
    )


for _label in ("complaints.complaint", "followup.wardsync", "followup.wardmeeting"):
    panel_register(_label)(source_panel)
