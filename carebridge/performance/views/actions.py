"""Pages of improvement actions: the list (and its Excel export), raising one from a source, an action with
its history, moves and effect check, and the department head's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.excel import sheet_bytes
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.lib.text import is_id
from carebridge.performance.choices import OPEN_ACTION, ActionSource
from carebridge.performance.forms.actions import ActionFilterForm, ActionForm, MoveForm
from carebridge.performance.models import ImprovementAction, KpiAssignment
from carebridge.performance.selectors.actions import action_counts, action_get, action_list
from carebridge.performance.selectors.measures import MEASURES
from carebridge.performance.selectors.scores import scorecards_visible
from carebridge.performance.services.actions import (
    ACTION_LIFECYCLE,
    action_create,
    action_effect_check,
    action_move,
)

VIEW = "performance.view_improvementaction"
CHANGE = "performance.change_improvementaction"
ADD = "performance.add_improvementaction"
ROWS_SHOWN = 300

# Where the page of a source record is (model label → URL name taking ``pk``); a source app that is not
# installed, or a record without a page, is shown as text.
SOURCE_PAGES: dict[str, str] = {
    "complaints.complaint": "desk:complaint_detail",
    "followup.wardsync": "followup:sync_detail",
    "followup.wardmeeting": "followup:meeting_detail",
}


def source_url(action: ImprovementAction, user: Any) -> str:
    """The page of the action's source, when the user may open it (else the label is shown as text)."""
    if action.source_type is None or action.source_id is None:
        return ""
    if action.source_type.model == "kpiassignment" and action.assignment_id is not None:
        card_id = action.assignment.objective.perspective.scorecard_id  # type: ignore[union-attr]
        if scorecards_visible(user=user).filter(pk=card_id).exists():
            return reverse("performance:scorecard", args=[card_id])
        return ""
    name = SOURCE_PAGES.get(f"{action.source_type.app_label}.{action.source_type.model}")
    model = action.source_type.model_class()
    if (
        name is None
        or model is None
        or not restrict(model._default_manager.filter(pk=action.source_id), user).exists()
    ):
        return ""
    try:
        return reverse(name, args=[action.source_id])
    except NoReverseMatch:
        return ""


def _source_from(request: HttpRequest) -> tuple[Any, str]:
    """The source record named by ``?source_model=app.model&source_id=N`` — read through that app's own
    scoped selector is not available here, so only records the user may view by permission and scope
    (``restrict``) are accepted."""
    label, pk = request.GET.get("source_model", ""), request.GET.get("source_id", "")
    if not label or not is_id(pk) or label not in SOURCE_PAGES:
        return None, ""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None, ""
    obj = restrict(model.objects.all(), request.user).filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return obj, label


@login_required
@permission_required(VIEW, raise_exception=True)
def action_list_page(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, user=request.user)
    rows = action_list(user=request.user, filters=form.filters())
    return render(
        request,
        "performance/action_list.html",
        {"form": form, "rows": rows[:ROWS_SHOWN], "count": rows.count(), "today": timezone.localdate()},
    )


def export_response(rows: Any) -> HttpResponse:
    """The .xlsx of a list of actions (the page's and the API's export)."""
    header = [
        _("Title"), _("Department"), _("Owner"), _("Due date"), _("Status"), _("Raised from"),
        _("Source"), _("Measure"), _("Verdict"), _("Effect"),
    ]  # fmt: skip
    body = (
        [
            a.title,
            a.department.name,
            a.owner.name,
            a.due_date,
            a.get_status_display(),
            a.get_source_display(),
            a.source_label,
            str(MEASURES[a.measure].label) if a.measure in MEASURES else "",
            a.get_verdict_display(),
            (a.effect or {}).get("sentence", ""),
        ]
        for a in rows
    )
    content = sheet_bytes(
        title=_("Improvement actions"),
        header=header,
        rows=body,
        widths=(30, 14, 10, 12, 10, 16, 24, 20, 12, 60),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="improvement-actions.xlsx"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def action_export(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, user=request.user)
    return export_response(action_list(user=request.user, filters=form.filters()))


def _assignment_from(request: HttpRequest) -> KpiAssignment | None:
    """The scorecard KPI named by ``?assignment=N``, on a scorecard the user may read (404 otherwise)."""
    pk = request.GET.get("assignment", "")
    if not is_id(pk):
        return None
    assignment = (
        KpiAssignment.objects.select_related("kpi", "objective__perspective__scorecard__department")
        .filter(pk=int(pk), objective__perspective__scorecard__in=scorecards_visible(user=request.user))
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


@login_required
@permission_required(ADD, raise_exception=True)
def action_new(request: HttpRequest) -> HttpResponse:
    source_object, label = _source_from(request)
    assignment = _assignment_from(request)
    initial: dict[str, Any] = {"due_date": timezone.localdate() + dt.timedelta(days=30), "window_days": 30}
    if source_object is not None:
        initial["source"] = {
            "complaints.complaint": ActionSource.COMPLAINT,
            "followup.wardsync": ActionSource.DAILY_SYNC,
            "followup.wardmeeting": ActionSource.MEETING,
        }.get(label, ActionSource.OTHER)
        initial["title"] = str(source_object)[:200]
    elif assignment is not None:
        # A red KPI turned into an action: the KPI is both the source and what the action should move.
        source_object = assignment
        card = assignment.objective.perspective.scorecard
        initial.update(
            source=ActionSource.KPI, title=_("Bring %(kpi)s back to target") % {"kpi": assignment.kpi.name}
        )
        if card.department_id:
            initial["department"] = card.department_id
    for key in ("source", "measure", "title", "department"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = ActionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = action_create(
                department=data["department"],
                title=data["title"],
                owner=data["owner"],
                due_date=data["due_date"],
                source=data["source"],
                source_object=source_object,
                source_label=(
                    f"{assignment.kpi.name} · {assignment.objective.perspective.scorecard}"
                    if assignment
                    else ""
                ),
                plan=data["plan"],
                measure=data["measure"],
                window_days=data["window_days"],
                assignment=assignment,
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Improvement action raised."))
            return redirect("performance:action_detail", action.pk)
    return render(
        request,
        "performance/action_form.html",
        {"form": form, "source_object": source_object, "assignment": assignment},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get(user=request.user, pk=pk)
    can_change = request.user.has_perm(CHANGE)
    return render(
        request,
        "performance/action_detail.html",
        {
            "action": action,
            "source_url": source_url(action, request.user),
            "measure": MEASURES.get(action.measure),
            "can_change": can_change,
            "move_form": MoveForm(allowed=ACTION_LIFECYCLE.allowed_choices(action)),
            "can_check": can_change
            and (action.measure or action.assignment_id)
            and action.status in ("doing", "check"),
        },
    )


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def action_move_page(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get(user=request.user, pk=pk)
    form = MoveForm(request.POST, allowed=ACTION_LIFECYCLE.allowed_choices(action))
    if not form.is_valid():
        messages.error(request, _("Choose a status the action may move to."))
        return redirect("performance:action_detail", pk)
    try:
        action_move(
            action=action, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("performance:action_detail", pk)


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def action_check_page(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get(user=request.user, pk=pk)
    try:
        action = action_effect_check(action=action, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, action.effect.get("sentence", ""))
    return redirect("performance:action_detail", pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def department_page(request: HttpRequest) -> HttpResponse:
    """The department head's page: per department in scope, the open and late actions and the effects."""
    today = timezone.localdate()
    departments = []
    for department in departments_in_scope(user=request.user).order_by("code", "id"):
        rows = action_list(user=request.user, filters={"department": department.pk})
        open_rows = [a for a in rows if a.status in OPEN_ACTION]
        checked = [a for a in rows if a.verdict]
        if not open_rows and not checked:
            continue
        departments.append(
            {
                "department": department,
                "counts": action_counts(user=request.user, department_ids=[department.pk]),
                "open": open_rows,
                "checked": checked[-10:],
            }
        )
    return render(request, "performance/department.html", {"departments": departments, "today": today})
