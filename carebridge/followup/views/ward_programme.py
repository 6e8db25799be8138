"""Pages of the ward programme's routines: daily syncs and meetings (lists, Excel, recording one, one
record with the improvement actions raised from it — the performance app's panel on the record's page
offers to raise one from each issue or decision)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.core.models import Staff
from carebridge.core.selectors.organisation import departments_in_scope, staff_hospital
from carebridge.followup.choices import MeetingKind
from carebridge.followup.forms.ward_programme import MeetingForm, sync_forms
from carebridge.followup.selectors.ward_programme import meeting_get, meeting_list, sync_get, sync_list
from carebridge.followup.services.ward_programme import meeting_record, meeting_update, sync_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_SHOWN = 300


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@permission_required("followup.view_wardsync", raise_exception=True)
def sync_list_page(request: HttpRequest) -> HttpResponse:
    rows = sync_list(user=request.user)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            sheet_bytes(
                title=_("Daily ward syncs"),
                header=[_("Date"), _("Department"), _("Project manager"), _("Attended"), _("Issues raised")],
                rows=(
                    [
                        s.held_on,
                        s.department.name,
                        s.project_manager.name,
                        "、".join(p.name for p in s.attendees.all()),
                        "；".join(i["text"] for i in s.issues),
                    ]
                    for s in rows
                ),
                widths=(12, 14, 12, 30, 60),
            ),
            "ward-syncs",
        )
    return render(request, "followup/sync_list.html", {"rows": rows[:ROWS_SHOWN], "count": rows.count()})


@login_required
@permission_required("followup.view_wardsync", raise_exception=True)
def sync_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sync = sync_get(user=request.user, pk=pk)
    owners = {s.pk: s.name for s in Staff.objects.filter(pk__in=[i.get("owner") for i in sync.issues])}
    issues = [{**i, "owner_name": owners.get(i.get("owner") or 0, "")} for i in sync.issues]
    return render(request, "followup/sync_detail.html", {"sync": sync, "issues": issues})


@login_required
@permission_required("followup.view_wardmeeting", raise_exception=True)
def meeting_list_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = meeting_list(user=request.user, kind=kind if kind in MeetingKind.values else "")
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            sheet_bytes(
                title=_("Meetings and forums"),
                header=[_("Date"), _("Kind"), _("Title"), _("Chaired by"), _("Attendance"), _("Decisions")],
                rows=(
                    [
                        m.held_on,
                        m.get_kind_display(),
                        m.title,
                        m.chaired_by.name,
                        m.attendance,
                        "；".join(m.decisions),
                    ]
                    for m in rows
                ),
                widths=(12, 18, 30, 12, 10, 60),
            ),
            "meetings",
        )
    return render(
        request,
        "followup/meeting_list.html",
        {"rows": rows[:ROWS_SHOWN], "count": rows.count(), "kinds": MeetingKind.choices, "kind": kind},
    )


@login_required
@permission_required("followup.view_wardmeeting", raise_exception=True)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "followup/meeting_detail.html", {"meeting": meeting_get(user=request.user, pk=pk)})


@login_required
@permission_required("followup.add_wardsync", raise_exception=True)
def sync_new(request: HttpRequest) -> HttpResponse:
    """Record the day's sync of one of the user's departments; a refused form changes nothing and comes
    back with its errors (400)."""
    form, issues = sync_forms(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and issues.is_valid():
            data = form.cleaned_data
            try:
                sync = sync_record(
                    department=data["department"],
                    ward=data["ward"],
                    held_on=data["held_on"],
                    project_manager=data["project_manager"],
                    attendees=data["attendees"],
                    issues=issues.issues(),
                    notes=data["notes"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("The daily sync was recorded."))
                return redirect("followup:sync_detail", pk=sync.pk)
        return render(request, "followup/sync_form.html", {"form": form, "issues": issues}, status=400)
    return render(request, "followup/sync_form.html", {"form": form, "issues": issues})


@login_required
@permission_required("followup.add_wardmeeting", raise_exception=True)
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a project-manager meeting or a family forum with its minutes and decisions; its page then
    offers to raise an improvement action from each decision."""
    form = MeetingForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            department = data["department"]
            try:
                meeting = meeting_record(
                    hospital=department.hospital if department else staff_hospital(user=request.user),
                    kind=data["kind"],
                    held_on=data["held_on"],
                    title=data["title"],
                    chaired_by=data["chaired_by"],
                    minutes=data["minutes"],
                    decisions=form.decision_lines(),
                    attendance=data["attendance"],
                    department=department,
                    actor=request.user,
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("The meeting was recorded."))
                return redirect("followup:meeting_detail", pk=meeting.pk)
        return render(request, "followup/meeting_form.html", {"form": form}, status=400)
    return render(request, "followup/meeting_form.html", {"form": form})


@login_required
@permission_required("followup.change_wardmeeting", raise_exception=True)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a meeting's record — minutes and decisions are often written up after it. A department's
    meeting is corrected only by someone whose scope holds that department (403 otherwise)."""
    meeting = meeting_get(user=request.user, pk=pk)
    if (
        meeting.department_id is not None
        and not departments_in_scope(user=request.user).filter(pk=meeting.department_id).exists()
    ):
        raise PermissionDenied
    initial = {
        "kind": meeting.kind,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "department": meeting.department_id,
        "chaired_by": meeting.chaired_by_id,
        "attendance": meeting.attendance,
        "minutes": meeting.minutes,
        "decisions": "\n".join(str(d) for d in meeting.decisions),
    }
    form = MeetingForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting_update(
                    meeting=meeting,
                    kind=data["kind"],
                    held_on=data["held_on"],
                    title=data["title"],
                    chaired_by=data["chaired_by"],
                    minutes=data["minutes"],
                    decisions=form.decision_lines(),
                    attendance=data["attendance"],
                    department=data["department"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("followup:meeting_detail", pk=meeting.pk)
        context = {"form": form, "meeting": meeting}
        return render(request, "followup/meeting_form.html", context, status=400)
    return render(request, "followup/meeting_form.html", {"form": form, "meeting": meeting})
