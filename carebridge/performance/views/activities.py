"""Pages of activities: the register with filters, a new activity, one activity (files, free screening),
the yearly summary table and statistics per month and type, and the health-day calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.lib.text import is_digits
from carebridge.performance.choices import ActivityKind
from carebridge.performance.forms.activities import ActivityForm, AttachForm, ScreeningForm
from carebridge.performance.selectors.activities import (
    activity_get,
    activity_list,
    health_day_calendar,
    monthly_counts,
    screening_list,
    yearly_summary,
)
from carebridge.performance.services.activities import (
    FIELDS,
    SCREENING_KINDS,
    activity_attach,
    activity_create,
    screening_register,
)
from carebridge.performance.views.training import _year

ROWS_SHOWN = 200


@login_required
@permission_required("performance.view_activity", raise_exception=True)
def activities(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("kind", "year", "search")}
    if filters["kind"] not in ActivityKind.values:
        filters["kind"] = ""
    if not (is_digits(filters["year"]) and 1900 <= int(filters["year"]) <= 2100):
        filters["year"] = ""
    filters = {k: v for k, v in filters.items() if v}
    rows = activity_list(user=request.user, filters=filters)
    context = {
        "rows": rows[:ROWS_SHOWN],
        "count": rows.count(),
        "filters": filters,
        "kinds": ActivityKind.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "performance/activities.html", context)


@login_required
@permission_required("performance.add_activity", raise_exception=True)
def activity_new(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = ActivityForm(request.POST or None, request.FILES or None, hospital_id=hospital.pk)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FIELDS}
        try:
            activity = activity_create(
                hospital_id=hospital.pk, actor=request.user, values=values,
                attachments=form.cleaned_data["attachments"],
            )  # fmt: skip
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return redirect("performance:activity", pk=activity.pk)
    return render(request, "performance/activity_form.html", {"form": form})


@login_required
@permission_required("performance.view_activity", raise_exception=True)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_get(user=request.user, pk=pk)
    attach = AttachForm() if request.user.has_perm("performance.add_activityattachment") else None
    may_screen = request.user.has_perm("performance.add_screening") and activity.kind in SCREENING_KINDS
    screen = ScreeningForm() if may_screen and activity.held_on == timezone.localdate() else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "attach" and attach is not None:
                attach = AttachForm(request.POST, request.FILES)
                if attach.is_valid():
                    activity_attach(
                        activity=activity, actor=request.user, uploads=attach.cleaned_data["attachments"]
                    )
                    return redirect("performance:activity", pk=activity.pk)
            elif request.POST.get("action") == "screen" and screen is not None:
                screen = ScreeningForm(request.POST)
                if screen.is_valid():
                    centre = Department.objects.filter(hospital_id=activity.hospital_id, code="CHKP").first()
                    if centre is None:
                        raise ValidationError(_("The hospital has no checkup centre (department CHKP)."))
                    data = screen.cleaned_data
                    screening_register(
                        activity=activity, centre=centre, actor=request.user, name=data["name"],
                        sex=data["sex"], birth_date=data["birth_date"], phone=data["phone"],
                        consent=data["consent"], values=screen.values(),
                    )  # fmt: skip
                    messages.success(request, _("Screening filed with the checkup centre's results."))
                    return redirect("performance:activity", pk=activity.pk)
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            form = screen if request.POST.get("action") == "screen" else attach
            if form is not None and hasattr(form, "apply_service_errors"):
                form.apply_service_errors(error)
            else:
                messages.error(request, " ".join(error.messages))
    screenings = screening_list(user=request.user, activity=activity)
    context = {"activity": activity, "attach": attach, "screen": screen, "screenings": screenings}
    return render(request, "performance/activity.html", context)


@login_required
@permission_required("performance.view_activityattachment", raise_exception=True)
def activity_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    activity = activity_get(user=request.user, pk=pk)
    attachment = next((a for a in activity.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404("No such file.")
    return FileResponse(
        attachment.file.open("rb"), filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@permission_required("performance.view_standards_statistics", raise_exception=True)
def activity_summary(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    table, total = yearly_summary(user=request.user, year=year)
    context = {
        "year": year,
        "table": table,
        "total": total,
        "months": monthly_counts(user=request.user, year=year),
        "kinds": ActivityKind.choices,
    }
    return render(request, "performance/activity_summary.html", context)


@login_required
@permission_required("performance.view_healthday", raise_exception=True)
def calendar(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "performance/calendar.html",
        {"year": year, "days": health_day_calendar(user=request.user, year=year)},
    )
