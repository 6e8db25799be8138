"""Scorecard pages: the list, one scorecard for a month/quarter/year (tree, bands, how each figure is
computed, trend), the rows behind a computed figure, the KPI catalogue, figures entered by hand, the
weights, closing and correcting a month, and the staff bonus-coefficient table (Excel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.lib.periods import add_months, month_start
from carebridge.performance.domain.periods import MONTH, Span, month_span, parse_span
from carebridge.performance.models import Kpi, KpiAssignment, KpiEntry, Objective, Perspective, Scorecard
from carebridge.performance.models.scorecards import KpiSource, ScorecardLevel
from carebridge.performance.selectors.kpis.registry import PART_DENOMINATOR, PART_NUMERATOR, computed_kpi
from carebridge.performance.selectors.scores import (
    assignments_of,
    hospital_zone,
    kpi_rows,
    scorecard_scores,
    scorecards_visible,
    trend,
)
from carebridge.performance.services.scorecards import (
    kpi_entry_save,
    period_close,
    period_correct,
    weight_errors,
    weights_set,
)

VIEW = "performance.view_scorecards"
ROWS_SHOWN = 500


def default_span(now: dt.datetime | None = None) -> Span:
    """Last month: the latest month whose figures are complete."""
    today = timezone.localdate(now or timezone.now())
    return month_span(add_months(month_start(today), -1))


def span_of(request: HttpRequest) -> Span:
    return parse_span(request.GET.get("period")) or default_span()


def _card(request: HttpRequest, pk: int) -> Scorecard:
    return get_object_or_404(scorecards_visible(user=request.user), pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def scorecard_list(request: HttpRequest) -> HttpResponse:
    span = span_of(request)
    cards = list(scorecards_visible(user=request.user).order_by("level", "name", "id"))
    rows = [(card, scorecard_scores(scorecard=card, span=span)) for card in cards[:60]]
    return render(
        request,
        "performance/scorecard_list.html",
        {"rows": rows, "span": span, "levels": dict(ScorecardLevel.choices), "more": len(cards) > 60},
    )


def _periods_around(span: Span) -> dict[str, str]:
    month = span.first if span.kind == MONTH else span.last
    quarter = (month.month - 1) // 3 + 1
    return {
        "month": f"{month:%Y-%m}",
        "quarter": f"{month.year}-Q{quarter}",
        "year": f"{month.year}",
        "previous": span.previous().label,
        "next": Span(
            span.kind, add_months(span.first, len(span.months())), add_months(span.last, len(span.months()))
        ).label,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    span = span_of(request)
    result = scorecard_scores(scorecard=card, span=span)
    assignments = {a.pk: a for a in assignments_of(card)}
    trends: dict[int, list[Any]] = {}
    if span.kind == MONTH and request.GET.get("trend") != "0":
        for assignment in assignments.values():
            figures = trend(scorecard=card, assignment=assignment, last=span.first, months=12)
            trends[assignment.pk] = [round(f.value, 1) if f.value is not None else None for f in figures]
    closed = card.periods.filter(month=span.first).first() if span.kind == MONTH else None
    context = {
        "card": card,
        "span": span,
        "result": result,
        "periods": _periods_around(span),
        "trends": trends,
        "trend_months": [f"{m:%Y-%m}" for m in Span(MONTH, add_months(span.first, -11), span.first).months()],
        "closed": closed,
        "versions": closed.versions.order_by("number") if closed else [],
        "weight_errors": weight_errors(card),
        "manual": [a for a in assignments.values() if a.kpi.source != KpiSource.COMPUTED],
    }
    return render(request, "performance/scorecard_detail.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def kpi_rows_view(request: HttpRequest, pk: int, assignment: int) -> HttpResponse:
    card = _card(request, pk)
    row = get_object_or_404(
        KpiAssignment.objects.select_related("kpi"), pk=assignment, objective__perspective__scorecard=card
    )
    definition = computed_kpi(row.kpi.code)
    if definition is None:
        raise Http404
    span = span_of(request)
    part = (
        request.GET.get("part")
        if request.GET.get("part") in (PART_DENOMINATOR, PART_NUMERATOR)
        else PART_DENOMINATOR
    )
    queryset = kpi_rows(scorecard=card, assignment=row, span=span, part=part)
    total = queryset.count()
    numerator_total = kpi_rows(scorecard=card, assignment=row, span=span, part=PART_NUMERATOR).count()
    denominator_total = kpi_rows(scorecard=card, assignment=row, span=span, part=PART_DENOMINATOR).count()
    shown = list(queryset[:ROWS_SHOWN])
    numerator_ids = set(
        kpi_rows(scorecard=card, assignment=row, span=span, part=PART_NUMERATOR)
        .filter(pk__in=[r.pk for r in shown])
        .values_list("pk", flat=True)
    )
    headers = [str(label) for label, _accessor in definition.columns]
    table = [
        {
            "pk": r.pk,
            "counted": r.pk in numerator_ids,
            "cells": [accessor(r) for _label, accessor in definition.columns],
        }
        for r in shown
    ]
    context = {
        "card": card,
        "assignment": row,
        "definition": definition,
        "span": span,
        "part": part,
        "total": total,
        "numerator_total": numerator_total,
        "denominator_total": denominator_total,
        "headers": headers,
        "table": table,
        "truncated": total > len(shown),
    }
    return render(request, "performance/kpi_rows.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def kpi_catalogue(request: HttpRequest) -> HttpResponse:
    kpis = list(Kpi.objects.filter(is_active=True).order_by("source", "code"))
    return render(request, "performance/kpi_catalogue.html", {"kpis": kpis})


# --- changes ---------------------------------------------------------------------------------------


def _decimal(value: str | None) -> Decimal | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from error


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


@login_required
@permission_required("performance.enter_kpi_values", raise_exception=True)
@require_POST
def entry_save(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    span = parse_span(request.POST.get("period"))
    kpi = get_object_or_404(Kpi, pk=request.POST.get("kpi") or 0)
    try:
        if span is None or span.kind != MONTH:
            raise ValidationError(_("Choose a month."))
        value = _decimal(request.POST.get("value"))
        if value is None:
            raise ValidationError(_("Enter the value."))
        kpi_entry_save(
            actor=request.user,
            scorecard=card,
            kpi=kpi,
            month=span.first,
            value=value,
            numerator=_decimal(request.POST.get("numerator")),
            denominator=_decimal(request.POST.get("denominator")),
            note=request.POST.get("note", "")[:255],
        )
        messages.success(request, _("The figure was saved."))
    except ValidationError as error:
        for text in _errors(error):
            messages.error(request, text)
    return redirect(f"{card_url(card)}?period={request.POST.get('period', '')}")


def card_url(card: Scorecard) -> str:
    from django.urls import reverse

    return reverse("performance:scorecard", args=[card.pk])


@login_required
@permission_required("performance.close_score_periods", raise_exception=True)
@require_POST
def period_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    span = parse_span(request.POST.get("period"))
    try:
        if span is None or span.kind != MONTH:
            raise ValidationError(_("Choose a month."))
        period_close(actor=request.user, scorecard=card, month=span.first)
        messages.success(request, _("The month is closed; its scores are frozen."))
    except ValidationError as error:
        for text in _errors(error):
            messages.error(request, text)
    return redirect(f"{card_url(card)}?period={request.POST.get('period', '')}")


@login_required
@permission_required("performance.close_score_periods", raise_exception=True)
@require_POST
def period_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    span = parse_span(request.POST.get("period"))
    try:
        if span is None or span.kind != MONTH:
            raise ValidationError(_("Choose a month."))
        figures: dict[int, dict[str, Any]] = {}
        kpi_id, value = request.POST.get("kpi"), _decimal(request.POST.get("value"))
        if kpi_id and value is not None:
            figures[int(kpi_id)] = {"value": value}
        version = period_correct(
            actor=request.user,
            scorecard=card,
            month=span.first,
            reason=request.POST.get("reason", ""),
            figures=figures,
        )
        messages.success(
            request, _("Version %(number)s of the month was saved.") % {"number": version.number}
        )
    except (ValidationError, ValueError, Kpi.DoesNotExist) as error:
        texts = (
            _errors(error) if isinstance(error, ValidationError) else [_("Choose a KPI of this scorecard.")]
        )
        for text in texts:
            messages.error(request, text)
    return redirect(f"{card_url(card)}?period={request.POST.get('period', '')}")


@login_required
@permission_required("performance.manage_scorecards", raise_exception=True)
def weights_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    perspectives = list(card.perspectives.order_by("position", "id"))
    if request.method == "POST":
        try:
            level = request.POST.get("level", "")
            rows: list[Any]
            if level == "perspectives":
                rows = perspectives
            elif level.startswith("objectives-"):
                rows = list(
                    Objective.objects.filter(perspective__scorecard=card, perspective_id=int(level[11:]))
                )
            elif level.startswith("kpis-"):
                rows = list(
                    KpiAssignment.objects.filter(
                        objective__perspective__scorecard=card, objective_id=int(level[5:])
                    )
                )
            else:
                raise ValidationError(_("Choose a level."))
            weights = {row.pk: request.POST.get(f"w-{row.pk}", "") for row in rows}
            weights_set(actor=request.user, rows=rows, weights=weights)
            messages.success(request, _("The weights were saved."))
            return redirect("performance:weights", pk=card.pk)
        except (ValidationError, ValueError) as error:
            texts = _errors(error) if isinstance(error, ValidationError) else [_("Choose a level.")]
            for text in texts:
                messages.error(request, text)
    context = {
        "card": card,
        "perspectives": [
            (
                p,
                [
                    (o, list(o.assignments.select_related("kpi").order_by("position", "id")))
                    for o in p.objectives.order_by("position", "id")
                ],
            )
            for p in perspectives
        ],
        "weight_errors": weight_errors(card),
        "perspective_model": Perspective,
    }
    return render(request, "performance/weights.html", context)


__all__ = ["KpiEntry", "hospital_zone"]
