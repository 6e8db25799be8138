"""Pages of training: courses, sessions (and a new one), a session with its attendance (entry and sheet
import with the row report), the year's figures with mandatory courses due."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.lib.text import is_digits
from carebridge.performance.forms.training import AttendanceForm, ImportForm, SessionForm
from carebridge.performance.selectors.training import (
    attendance_list,
    course_list,
    mandatory_due,
    session_get,
    session_list,
    staff_in_scope,
    training_year,
)
from carebridge.performance.services.training import attendance_import, attendance_record, session_create

ROWS_SHOWN = 200


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return int(value) if is_digits(value) and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@permission_required("performance.view_course", raise_exception=True)
def courses(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/courses.html", {"rows": course_list(user=request.user)})


@login_required
@permission_required("performance.view_trainingsession", raise_exception=True)
def sessions(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = None
    if request.user.has_perm("performance.add_trainingsession"):
        form = SessionForm(
            request.POST or None, courses=course_list(user=request.user).filter(is_active=True)
        )
        if request.method == "POST" and form.is_valid():
            try:
                session = session_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                return redirect("performance:session", pk=session.pk)
    rows = session_list(user=request.user, filters={"year": year})
    return render(
        request, "performance/sessions.html", {"rows": rows[:ROWS_SHOWN], "year": year, "form": form}
    )


@login_required
@permission_required("performance.view_trainingsession", raise_exception=True)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_get(user=request.user, pk=pk)
    may_add = request.user.has_perm("performance.add_attendance")
    entry = AttendanceForm(staff=staff_in_scope(request.user).order_by("name")) if may_add else None
    upload = ImportForm() if may_add else None
    report = None
    if request.method == "POST" and may_add:
        if request.POST.get("action") == "import":
            upload = ImportForm(request.POST, request.FILES)
            if upload.is_valid():
                sheet = upload.cleaned_data["file"]
                try:
                    report = attendance_import(
                        session=session, content=sheet.read(), file_name=sheet.name, actor=request.user,
                        mode=upload.cleaned_data["mode"],
                    )  # fmt: skip
                except ValidationError as error:
                    upload.apply_service_errors(error)
        else:
            entry = AttendanceForm(request.POST, staff=staff_in_scope(request.user).order_by("name"))
            if entry.is_valid():
                try:
                    attendance_record(session=session, actor=request.user, **entry.cleaned_data)
                except ValidationError as error:
                    entry.apply_service_errors(error)
                else:
                    messages.success(request, _("Attendance recorded."))
                    return redirect("performance:session", pk=session.pk)
    rows = attendance_list(user=request.user, filters={"session": session.pk})
    context = {"session": session, "rows": rows, "entry": entry, "upload": upload, "report": report}
    return render(request, "performance/session.html", context)


@login_required
@permission_required("performance.view_standards_statistics", raise_exception=True)
def training_statistics(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "figures": training_year(user=request.user, year=year),
        "due": mandatory_due(user=request.user),
    }
    return render(request, "performance/training_statistics.html", context)
