"""Pages of chronic-disease programmes: the programmes with their rates, one programme's patients (enrol
every eligible patient, take one out), and the Excel export of the enrolments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.excel import sheet_bytes
from carebridge.followup.choices import EnrolmentStatus
from carebridge.followup.selectors.programmes import (
    enrolment_get,
    enrolment_list,
    programme_get,
    programme_list,
    programme_rates,
)
from carebridge.followup.services.programmes import programme_enrol_eligible, programme_leave

VIEW = "followup.view_chronicprogramme"
RUN = "followup.add_programmeenrolment"
ROWS_SHOWN = 300


@login_required
@permission_required(VIEW, raise_exception=True)
def programme_list_page(request: HttpRequest) -> HttpResponse:
    rows = [(p, programme_rates(user=request.user, programme=p)) for p in programme_list(user=request.user)]
    return render(request, "followup/programme_list.html", {"rows": rows})


@login_required
@permission_required(VIEW, raise_exception=True)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    status = status if status in EnrolmentStatus.values else ""
    rows = enrolment_list(user=request.user, programme=programme, status=status)
    return render(
        request,
        "followup/programme_detail.html",
        {
            "programme": programme,
            "rates": programme_rates(user=request.user, programme=programme),
            "rows": rows[:ROWS_SHOWN],
            "count": rows.count(),
            "status": status,
            "statuses": EnrolmentStatus.choices,
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def programme_export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_get(user=request.user, pk=pk)
    rows = enrolment_list(user=request.user, programme=programme)
    content = sheet_bytes(
        title=programme.name,
        header=[
            _("MRN"),
            _("Status"),
            _("Enrolling diagnosis"),
            _("Enrolled at"),
            _("Left at"),
            _("Why left"),
            _("Last return visit"),
        ],
        rows=(
            [
                e.patient.mrn,
                e.get_status_display(),
                e.diagnosis_code,
                e.enrolled_at.date(),
                e.left_at.date() if e.left_at else "",
                e.leave_reason,
                e.returned_at.date() if e.returned_at else "",
            ]
            for e in rows
        ),
        widths=(14, 12, 12, 12, 12, 30, 14),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.code}.xlsx"'
    return response


@require_POST
@login_required
@permission_required(RUN, raise_exception=True)
def programme_enrol_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_get(user=request.user, pk=pk)
    joined = programme_enrol_eligible(programme=programme, actor=request.user)
    messages.success(request, _("%(n)s patients enrolled.") % {"n": joined})
    return redirect("followup:programme_detail", pk)


@require_POST
@login_required
@permission_required("followup.change_programmeenrolment", raise_exception=True)
def enrolment_leave_page(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = enrolment_get(user=request.user, pk=pk)
    try:
        programme_leave(enrolment=enrolment, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The patient left the programme; open recall calls were cancelled."))
    return redirect("followup:programme_detail", enrolment.programme_id)
