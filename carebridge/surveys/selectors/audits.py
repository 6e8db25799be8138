"""Reading mystery-patient audits: rounds, visits, and the results of a round by department and by
service point (mean score, n, share of visits meeting each checklist item), scoped by ``restrict()``."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Avg, Count, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.core.scope import restrict
from carebridge.surveys.models import AuditRound, AuditVisit


class AuditGroup(TypedDict):
    label: str
    n: int
    mean: float


def audit_round_list(*, user: Any) -> QuerySet[AuditRound]:
    return restrict(AuditRound.objects.all(), user).order_by("-starts_on", "-id")


def audit_round_get(*, user: Any, pk: int) -> AuditRound:
    return get_object_or_404(audit_round_list(user=user), pk=pk)


def audit_visit_list(*, user: Any, audit_round: AuditRound | None = None) -> QuerySet[AuditVisit]:
    rows = restrict(AuditVisit.objects.select_related("round", "department"), user)
    if audit_round is not None:
        rows = rows.filter(round=audit_round)
    return rows.order_by("visited_at", "id")


def audit_results(*, user: Any, audit_round: AuditRound) -> dict[str, Any]:
    """Mean score and n by department and by service point; per checklist item the share of visits met."""
    visits = audit_visit_list(user=user, audit_round=audit_round)
    by_department = [
        AuditGroup(label=row["department__name"], n=row["n"], mean=round(row["mean"], 1))
        for row in visits.values("department__name")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by("mean")
    ]
    by_point = [
        AuditGroup(label=row["service_point"], n=row["n"], mean=round(row["mean"], 1))
        for row in visits.values("service_point").annotate(n=Count("id"), mean=Avg("score")).order_by("mean")
    ]
    answers = list(visits.values_list("answers", flat=True))
    items = [
        {
            "code": item["code"],
            "text": item["text"],
            "met": sum(1 for a in answers if a.get(item["code"])),
            "n": len(answers),
        }
        for item in audit_round.checklist
    ]
    return {"by_department": by_department, "by_point": by_point, "items": items, "n": len(answers)}
