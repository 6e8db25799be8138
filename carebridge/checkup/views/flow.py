"""The day's flow: each room's queue (scan the guide sheet to check a person in, call in, check out)
and the guide nurse's board (every room's queue and wait, everybody's undone items and next room,
refreshed by htmx every few seconds; the nurse moves people from it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.checkup.forms.visits import MoveForm, ScanForm
from carebridge.checkup.models import QueueEntry, Room
from carebridge.checkup.selectors.catalogue import room_list
from carebridge.checkup.selectors.flow import board, room_loads, room_queue
from carebridge.checkup.selectors.visits import visit_by_number, visit_get
from carebridge.checkup.services.flow import queue_call, queue_finish, queue_join, queue_move
from carebridge.checkup.views.base import back, current_centre, refusal_message, room_for
from carebridge.core.scope import restrict

BOARD_REFRESH_SECONDS = 10
_PLACEHOLDER = 987654321


def _entry(request: HttpRequest, pk: int) -> QueueEntry:
    entry = restrict(QueueEntry.objects.select_related("room", "visit"), request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such queue entry in your scope.")
    return entry


@login_required
@permission_required("checkup.view_queueentry", raise_exception=True)
def rooms(request: HttpRequest) -> HttpResponse:
    centre = current_centre(request)
    return render(
        request,
        "checkup/rooms.html",
        {"centre": centre, "loads": list(room_loads(department_id=centre.pk).values())},
    )


def _room_context(request: HttpRequest, room: Room) -> dict:
    entries = list(room_queue(room=room))
    return {
        "room": room,
        "waiting": [e for e in entries if e.status == "waiting"],
        "inside": [e for e in entries if e.status == "in_service"],
        "load": room_loads(department_id=room.department_id).get(room.pk),
        "refresh": BOARD_REFRESH_SECONDS,
    }


@login_required
@permission_required("checkup.view_queueentry", raise_exception=True)
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A room's page: the scan field checks a person in here; the queue below is live."""
    room = room_for(request, pk)
    form = ScanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = visit_by_number(user=request.user, number=form.cleaned_data["number"])
        if visit is None:
            messages.error(request, _("No visit with this number today."))
        else:
            try:
                queue_join(visit=visit, room=room, actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                refusal_message(request, error)
            else:
                messages.success(
                    request,
                    _("%(name)s checked in at %(room)s.") % {"name": visit.patient.name, "room": room.name},
                )
        return redirect("checkup:room_detail", pk=room.pk)
    return render(request, "checkup/room_detail.html", {**_room_context(request, room), "form": form})


@login_required
@permission_required("checkup.view_queueentry", raise_exception=True)
def room_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's queue alone (htmx polling)."""
    return render(request, "checkup/_room_queue.html", _room_context(request, room_for(request, pk)))


@login_required
@require_POST
def queue_call_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    try:
        queue_call(entry=entry, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return back(request, reverse("checkup:room_detail", args=[entry.room_id]))


@login_required
@require_POST
def queue_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    try:
        queue_finish(entry=entry, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return back(request, reverse("checkup:room_detail", args=[entry.room_id]))


def _board_context(request: HttpRequest) -> dict:
    centre = current_centre(request)
    rooms = list(room_list(user=request.user).filter(department=centre))
    today = board(user=request.user, department_id=centre.pk)
    # Each row's two links, from one reversed pattern (no URL resolution per row of a busy morning).
    detail = reverse("checkup:visit_detail", args=[_PLACEHOLDER])
    move = reverse("checkup:visit_move", args=[_PLACEHOLDER])
    for row in today.people:
        pk = str(row.visit.pk)
        row.detail_url = detail.replace(str(_PLACEHOLDER), pk)
        row.move_url = move.replace(str(_PLACEHOLDER), pk)
    return {
        "centre": centre,
        "board": today,
        # The "send to" choices, rendered once for the hundreds of rows of a busy morning.
        "room_options": format_html_join(
            "", '<option value="{}">{}</option>', ((r.pk, r.name) for r in rooms)
        ),
        "refresh": BOARD_REFRESH_SECONDS,
        "can_move": request.user.has_perm("checkup.move_queueentry"),
    }


@login_required
@permission_required("checkup.view_queueentry", raise_exception=True)
def board_page(request: HttpRequest) -> HttpResponse:
    return render(request, "checkup/board.html", _board_context(request))


@login_required
@permission_required("checkup.view_queueentry", raise_exception=True)
def board_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "checkup/_board_panel.html", _board_context(request))


@login_required
@require_POST
def visit_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide nurse sends a person to another room (from the board)."""
    visit = visit_get(user=request.user, pk=pk)
    form = MoveForm(request.POST, rooms=room_list(user=request.user).filter(department=visit.department))
    if form.is_valid():
        try:
            queue_move(
                visit=visit,
                room=form.cleaned_data["room"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            refusal_message(request, error)
        else:
            messages.success(
                request,
                _("%(name)s sent to %(room)s.")
                % {"name": visit.patient.name, "room": form.cleaned_data["room"].name},
            )
    else:
        messages.error(request, _("Choose a room."))
    return back(request, reverse("checkup:board"))
