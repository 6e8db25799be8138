"""Pages of the 双创 inspections: rounds, a round with its finding form, a finding (rectify, verify),
the department head's own findings, the findings list with each department's month, and the photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.lib.text import is_digits, is_id
from carebridge.performance.choices import FindingStatus
from carebridge.performance.forms.inspections import FindingForm, RectifyForm, RoundForm, VerifyForm
from carebridge.performance.selectors.inspections import (
    area_list,
    department_findings_month,
    finding_get,
    finding_list,
    head_findings,
    round_get,
    round_list,
)
from carebridge.performance.services.inspections import (
    finding_record,
    finding_rectify,
    finding_verify,
    may_rectify,
    may_verify,
    round_create,
)

ROWS_SHOWN = 200
FILTERS = ("status", "department", "round", "month", "overdue", "escalated", "late", "in_time", "mine")


def list_filters(params: Any) -> dict[str, str]:
    """The findings list's filters from a query string; values that cannot apply are dropped."""
    filters = {key: str(params.get(key, "")).strip() for key in FILTERS}
    if filters["status"] not in FindingStatus.values:
        filters["status"] = ""
    for key in ("department", "round"):
        if not is_id(filters[key]):
            filters[key] = ""
    month = filters["month"]
    if month and not (len(month) == 7 and month[4] == "-" and is_digits(month.replace("-", ""))):
        filters["month"] = ""
    return {key: value for key, value in filters.items() if value}


@login_required
@permission_required("performance.view_inspectionround", raise_exception=True)
def rounds(request: HttpRequest) -> HttpResponse:
    areas = area_list(user=request.user)
    form = None
    if request.user.has_perm("performance.add_inspectionround"):
        form = RoundForm(request.POST or None, areas=areas, initial={"held_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                inspection = round_create(
                    hospital_id=staff_hospital(user=request.user).pk, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                return redirect("performance:round", pk=inspection.pk)
    return render(
        request, "performance/rounds.html", {"rows": round_list(user=request.user)[:ROWS_SHOWN], "form": form}
    )


@login_required
@permission_required("performance.view_inspectionround", raise_exception=True)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = round_get(user=request.user, pk=pk)
    areas = area_list(user=request.user)
    form = None
    if request.user.has_perm("performance.inspect_finding"):
        initial = {"deadline": timezone.localdate() + dt.timedelta(days=3)}
        form = FindingForm(request.POST or None, request.FILES or None, areas=areas, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                finding = finding_record(
                    inspection=inspection, area=data["area"], description=data["description"],
                    deadline=data["deadline"], checklist_item=data["checklist_item"], photos=data["photos"],
                    actor=request.user,
                )  # fmt: skip
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Finding recorded and assigned to %(head)s.") % {"head": _name(finding.responsible)},
                )
                return redirect("performance:round", pk=inspection.pk)
    findings = finding_list(user=request.user, filters={"round": inspection.pk})
    return render(
        request, "performance/round.html", {"inspection": inspection, "form": form, "findings": findings}
    )


def _name(user: Any) -> str:
    from carebridge.core.selectors.organisation import person_name

    return person_name(user)


@login_required
@permission_required("performance.view_finding", raise_exception=True)
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = finding_get(user=request.user, pk=pk)
    rectify = RectifyForm() if may_rectify(request.user, finding) else None
    verify = VerifyForm() if may_verify(request.user, finding) else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rectify" and rectify is not None:
                rectify = RectifyForm(request.POST, request.FILES)
                if rectify.is_valid():
                    finding_rectify(
                        finding=finding, actor=request.user, note=rectify.cleaned_data["note"],
                        photos=rectify.cleaned_data["photos"],
                    )  # fmt: skip
                    messages.success(request, _("Rectification reported; the inspector will verify it."))
                    return redirect("performance:finding", pk=finding.pk)
            elif action == "verify" and verify is not None:
                verify = VerifyForm(request.POST)
                if verify.is_valid():
                    accept = verify.cleaned_data["decision"] == "accept"
                    reason = verify.cleaned_data["reason"]
                    finding_verify(finding=finding, actor=request.user, accept=accept, reason=reason)
                    messages.success(request, _("Decision recorded."))
                    return redirect("performance:finding", pk=finding.pk)
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            (rectify if action == "rectify" else verify).apply_service_errors(error)  # type: ignore[union-attr]
    context = {
        "finding": finding,
        "rectify": rectify,
        "verify": verify,
        "overdue": finding.status == FindingStatus.OPEN and finding.deadline < timezone.localdate(),
    }
    return render(request, "performance/finding.html", context)


@login_required
@permission_required("performance.view_finding", raise_exception=True)
def finding_photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    finding = finding_get(user=request.user, pk=pk)
    photo = next((p for p in finding.photos.all() if p.pk == photo_id), None)
    if photo is None:
        raise Http404("No such photo.")
    return FileResponse(photo.file.open("rb"), filename=photo.original_name, content_type=photo.content_type)


@login_required
@permission_required("performance.rectify_finding", raise_exception=True)
def my_findings(request: HttpRequest) -> HttpResponse:
    """The department head's page: what is still to rectify or awaiting verification, escalated first."""
    today = timezone.localdate()
    rows = head_findings(user=request.user)
    month = department_findings_month(user=request.user, year=today.year, month=today.month)
    return render(request, "performance/my_findings.html", {"rows": rows, "today": today, "month": month})


@login_required
@permission_required("performance.view_finding", raise_exception=True)
def findings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("period", "").split("-", 1))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    filters = list_filters(request.GET)
    rows = finding_list(user=request.user, filters=filters)
    context = {
        "rows": rows[:ROWS_SHOWN],
        "count": rows.count(),
        "filters": filters,
        "query": request.GET.urlencode(),
        "statuses": FindingStatus.choices,
        "month": department_findings_month(user=request.user, year=year, month=month),
        "period": f"{year:04d}-{month:02d}",
        "today": today,
    }
    return render(request, "performance/findings.html", context)
