"""The staff bonus-coefficient table (seed 003 篇2: the appraisal sets the bonus coefficient): every staff
scorecard the reader may see, its total score for the period and the coefficient, on screen and in Excel."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.performance.domain.periods import Span
from carebridge.performance.domain.scoring import bonus_coefficient
from carebridge.performance.models import Scorecard
from carebridge.performance.models.scorecards import ScorecardLevel
from carebridge.performance.selectors.scores import scorecard_scores, scorecards_visible
from carebridge.performance.views.scorecards import VIEW, span_of


@dataclass
class BonusRow:
    card: Scorecard
    total: float | None
    coverage: float
    coefficient: float | None
    perspectives: list[tuple[str, float | None]]


def bonus_rows(*, user: object, span: Span) -> list[BonusRow]:
    cards = (
        scorecards_visible(user=user)
        .filter(level=ScorecardLevel.STAFF)
        .order_by("department__name", "name", "id")
    )
    rows = []
    for card in cards:
        result = scorecard_scores(scorecard=card, span=span)
        rows.append(
            BonusRow(
                card=card,
                total=result.total,
                coverage=result.coverage,
                coefficient=bonus_coefficient(result.total),
                perspectives=[(p.name, p.score) for p in result.perspectives],
            )
        )
    return rows


@login_required
@permission_required(VIEW, raise_exception=True)
def bonus_table(request: HttpRequest) -> HttpResponse:
    span = span_of(request)
    rows = bonus_rows(user=request.user, span=span)
    if request.GET.get("format") == "xlsx":
        header = [_("Staff member"), _("Department"), _("Scorecard")]
        names = rows[0].perspectives if rows else []
        header += [name for name, _score in names]
        header += [_("Total score"), _("Weight with figures (%)"), _("Bonus coefficient")]
        body = [
            [
                row.card.staff.name if row.card.staff else "",
                row.card.department.name if row.card.department else "",
                row.card.name,
                *[score if score is not None else "" for _name, score in row.perspectives],
                row.total if row.total is not None else "",
                row.coverage,
                row.coefficient if row.coefficient is not None else "",
            ]
            for row in rows
        ]
        content = sheet_bytes(title=_("Bonus coefficients") + " " + span.label, header=header, rows=body)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="bonus-{span.label}.xlsx"'
        return response
    return render(request, "performance/bonus.html", {"rows": rows, "span": span})
