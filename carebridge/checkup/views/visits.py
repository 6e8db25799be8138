"""Registration and the visit page: the day's list, booking, check-in with the printable guide sheet
(A4, with the visit number as a scannable code), leaving, cancelling, breakfast, waiving an item."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.domain.codes import qr_svg
from carebridge.checkup.domain.events import notes_for
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.forms.visits import BookingForm, CheckInForm, EscortForm, ReasonForm
from carebridge.checkup.selectors.catalogue import item_list, package_list
from carebridge.checkup.selectors.customers import group_list
from carebridge.checkup.selectors.flow import next_room
from carebridge.checkup.selectors.visits import completeness, escort_candidates, visit_get, visit_list
from carebridge.checkup.services.questionnaire import health_questionnaire_version, visit_questionnaire_record
from carebridge.checkup.services.registry import customer_find_or_register
from carebridge.checkup.services.visits import (
    ESCORT_CHANGEABLE,
    VISIT,
    order_waive,
    visit_book,
    visit_cancel,
    visit_check_in,
    visit_escort_change,
    visit_leave,
    visit_meal_record,
)
from carebridge.checkup.views.base import back, current_centre, log_access, refusal_message
from carebridge.core.pagination import CappedPaginator
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.domain import instruments, questionnaire


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@permission_required("checkup.view_visit", raise_exception=True)
def visit_day(request: HttpRequest) -> HttpResponse:
    """The day's visits at the centre, by status."""
    centre = current_centre(request)
    day = _day(request)
    status = request.GET.get("status", "")
    queryset = visit_list(user=request.user).filter(department=centre, scheduled_for=day)
    if status in VisitStatus.values:
        queryset = queryset.filter(status=status)
    page = CappedPaginator(queryset.order_by("number", "id"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "checkup/visit_day.html",
        {
            "centre": centre,
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "page": page,
            "status": status,
            "statuses": VisitStatus.choices,
        },
    )


@login_required
@permission_required("checkup.add_visit", raise_exception=True)
def visit_new(request: HttpRequest) -> HttpResponse:
    centre = current_centre(request)
    form = BookingForm(
        request.POST or None,
        packages=package_list(user=request.user),
        items=item_list(user=request.user),
        groups=group_list(user=request.user),
        escorts=escort_candidates(user=request.user, centre=centre),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                patient, _created = customer_find_or_register(
                    hospital=staff_hospital(user=request.user),
                    actor=request.user,
                    name=data["name"],
                    sex=data["sex"],
                    birth_date=data["birth_date"],
                    national_id=data["national_id"].strip().upper(),
                    phone=data["phone"].strip(),
                )
                group = data["group"]
                visit = visit_book(
                    patient=patient,
                    department=centre,
                    scheduled_for=data["scheduled_for"],
                    actor=request.user,
                    package=data["package"],
                    addons=list(data["addons"]),
                    extra_items=list(data["items"]),
                    channel=group.channel if group else data["channel"],
                    occupation_class=group.occupation_class if group else data["occupation_class"],
                    group=group,
                    escort=data["escort"],
                )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Booked: %(number)s.") % {"number": visit.number})
            return redirect("checkup:visit_detail", pk=visit.pk)
    return render(request, "checkup/visit_new.html", {"form": form, "centre": centre})


@login_required
@permission_required("checkup.view_visit", raise_exception=True)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    log_access(request, visit.patient)
    suggestion = next_room(visit=visit) if visit.status == VisitStatus.CHECKED_IN else None
    notes = notes_for(visit, request.user)
    return render(
        request,
        "checkup/visit_detail.html",
        {
            "visit": visit,
            "age": age_on(visit.patient.birth_date, visit.scheduled_for),
            "completeness": completeness(visit),
            "suggestion": suggestion,
            "queue": visit.queue_entries.select_related("room").order_by("joined_at", "id"),
            "transitions": visit.transitions.select_related("actor__staff"),
            "moves": VISIT.allowed(visit),
            "check_in_form": CheckInForm(),
            "reason_form": ReasonForm(),
            "escort_form": EscortForm(
                escorts=escort_candidates(user=request.user, centre=visit.department),
                initial={"escort": visit.escort_id},
            )
            if visit.status in ESCORT_CHANGEABLE and request.user.has_perm("checkup.change_visit")
            else None,
            "notes": notes,
            "noted_results": {result_id for note in notes for result_id in note.result_ids},
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        if action == "check_in":
            form = CheckInForm(request.POST)
            form.is_valid()
            visit = visit_check_in(
                visit=visit,
                actor=request.user,
                arrived_fasting=bool(form.cleaned_data.get("arrived_fasting")),
                pregnancy_possible=bool(form.cleaned_data.get("pregnancy_possible")),
            )
            messages.success(request, _("Checked in. Print the guide sheet."))
        elif action == "leave":
            visit_leave(visit=visit, actor=request.user)
            messages.success(request, _("The person has left the centre."))
        elif action == "meal":
            visit_meal_record(visit=visit, actor=request.user)
            messages.success(request, _("Breakfast recorded."))
        elif action in ("cancel", "no_show"):
            visit_cancel(
                visit=visit,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                no_show=action == "no_show",
            )
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return back(request, reverse("checkup:visit_detail", args=[visit.pk]))


@login_required
@require_POST
def visit_check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "check_in")


@login_required
@require_POST
def visit_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "leave")


@login_required
@require_POST
def visit_meal_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "meal")


@login_required
@require_POST
def visit_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "no_show" if request.POST.get("no_show") else "cancel")


@login_required
@permission_required("checkup.change_visit", raise_exception=True)
@require_POST
def visit_escort_view(request: HttpRequest, pk: int) -> HttpResponse:
    """专人陪检 after booking: give, change or remove the dedicated escort."""
    visit = visit_get(user=request.user, pk=pk)
    form = EscortForm(request.POST, escorts=escort_candidates(user=request.user, centre=visit.department))
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    else:
        try:
            visit_escort_change(visit=visit, escort=form.cleaned_data["escort"], actor=request.user)
            messages.success(request, _("Escort saved."))
        except (ValidationError, PermissionDenied) as error:
            refusal_message(request, error)
    return redirect("checkup:visit_detail", pk=visit.pk)


@login_required
@require_POST
def order_waive_view(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    order = next((o for o in visit.orders.all() if o.pk == order_pk), None)
    if order is None:
        messages.error(request, _("No such item in this visit."))
    else:
        try:
            order_waive(order=order, actor=request.user, reason=request.POST.get("reason", ""))
        except (ValidationError, PermissionDenied) as error:
            refusal_message(request, error)
    return redirect("checkup:visit_detail", pk=visit.pk)


@login_required
@permission_required("checkup.view_visit", raise_exception=True)
def guide_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide sheet (导检单), A4: the person, the preparation, every room with its items, the code."""
    visit = visit_get(user=request.user, pk=pk)
    log_access(request, visit.patient)
    rooms: dict[int, dict] = {}
    for order in visit.orders.all():
        if order.status == "waived":
            continue
        room = order.item.room
        entry = rooms.setdefault(room.pk, {"room": room, "items": [], "preparations": set()})
        entry["items"].append(order.item)
        entry["preparations"].update(order.item.preparations)
    return render(
        request,
        "checkup/guide_sheet.html",
        {
            "visit": visit,
            "age": age_on(visit.patient.birth_date, visit.scheduled_for),
            "code": qr_svg(visit.number),
            "rooms": sorted(rooms.values(), key=lambda r: (r["room"].sequence, r["room"].pk)),
            "suggestion": next_room(visit=visit) if visit.status == VisitStatus.CHECKED_IN else None,
        },
    )


@login_required
@permission_required("checkup.check_in_visit", raise_exception=True)
def visit_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    """The health questionnaire (健康问卷) before or at check-in: the person fills it in on the centre's
    tablet, or staff enter the paper form; the chief examiner sees the answers."""
    visit = visit_get(user=request.user, pk=pk)
    log_access(request, visit.patient)
    version = health_questionnaire_version(visit.hospital_id)
    if version is None:
        messages.error(request, _("The centre has no published health questionnaire."))
        return redirect("checkup:visit_detail", pk=visit.pk)
    language = get_language() or "zh-hans"
    specs = list(instruments.iter_items(version.definition))
    saved = visit.questionnaire
    answers: dict = dict(saved.answers) if saved is not None and saved.version_id == version.pk else {}
    errors: dict[str, str] = {}
    mode = request.POST.get("mode", ResponseMode.PAPER)
    if request.method == "POST":
        answers = questionnaire.merge({}, questionnaire.read_answers(request.POST, specs))
        try:
            visit_questionnaire_record(visit=visit, actor=request.user, answers=answers, mode=mode)
        except PermissionDenied as error:
            refusal_message(request, error)
            return redirect("checkup:visit_detail", pk=visit.pk)
        except ValidationError as error:
            errors = {code: texts[0] for code, texts in error.message_dict.items()}
            messages.error(request, _("Nothing was saved: see the questions marked in red."))
        else:
            messages.success(request, _("The health questionnaire was saved."))
            return redirect("checkup:visit_detail", pk=visit.pk)
    visible = instruments.visible_codes(specs, answers)
    sections = [
        (
            page,
            questionnaire.fields(
                page.specs, language=language, answers=answers, errors=errors, visible=visible
            ),
        )
        for page in questionnaire.pages(version.definition, language)
    ]
    return render(
        request,
        "checkup/questionnaire.html",
        {
            "visit": visit,
            "version": version,
            "title": instruments.localised(version.definition.get("title"), language),
            "intro": instruments.localised(version.definition.get("intro"), language),
            "sections": sections,
            "mode": mode,
            "errors": errors,
            "section": "visits",
        },
        status=400 if errors else 200,
    )
