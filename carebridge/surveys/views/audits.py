"""Pages of mystery-patient audits: the rounds, and one round's results by department and service point
(with the Excel export of its visits)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.surveys.selectors.audits import (
    audit_results,
    audit_round_get,
    audit_round_list,
    audit_visit_list,
)

VIEW = "surveys.view_auditround"


@login_required
@permission_required(VIEW, raise_exception=True)
def audit_round_list_page(request: HttpRequest) -> HttpResponse:
    rounds = audit_round_list(user=request.user)
    if request.GET.get("format") == "xlsx":
        content = sheet_bytes(
            title=_("Mystery-patient rounds"),
            header=[_("Name"), _("From"), _("To"), _("Checklist items")],
            rows=([r.name, r.starts_on, r.ends_on, len(r.checklist)] for r in rounds),
            widths=(30, 12, 12, 12),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-rounds.xlsx"'
        return response
    return render(request, "surveys/audit_round_list.html", {"rounds": rounds})


@login_required
@permission_required(VIEW, raise_exception=True)
def audit_round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit_round = audit_round_get(user=request.user, pk=pk)
    if request.GET.get("format") == "xlsx":
        visits = audit_visit_list(user=request.user, audit_round=audit_round)
        codes = [item["code"] for item in audit_round.checklist]
        content = sheet_bytes(
            title=audit_round.name,
            header=[
                _("Visited at"),
                _("Department"),
                _("Service point"),
                _("Auditor code"),
                _("Score"),
                *codes,
            ],
            rows=(
                [
                    timezone.localtime(v.visited_at).strftime("%Y-%m-%d %H:%M"),
                    v.department.name,
                    v.service_point,
                    v.auditor,
                    v.score,
                    *[_("yes") if v.answers.get(c) else _("no") for c in codes],
                ]
                for v in visits
            ),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-round-{audit_round.pk}.xlsx"'
        return response
    return render(
        request,
        "surveys/audit_round_detail.html",
        {"round": audit_round, "results": audit_results(user=request.user, audit_round=audit_round)},
    )
