"""Results entered in the room: one form per visit and room with the items still without a result;
each filled row goes through ``result_record`` (unit converted, range and flag computed); a refused row
keeps its value and shows why, the others are filed. The room then signs its part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.checkup.choices import OrderStatus
from carebridge.checkup.forms.results import ResultEntryForm
from carebridge.checkup.selectors.visits import visit_get
from carebridge.checkup.services.results import result_record, room_sign
from carebridge.checkup.views.base import log_access, refusal_message, room_for


@login_required
@permission_required("checkup.add_result", raise_exception=True)
def result_entry(request: HttpRequest, pk: int, room_pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    room = room_for(request, room_pk)
    log_access(request, visit.patient)
    room_orders = [o for o in visit.orders.all() if o.item.room_id == room.pk]
    open_orders = [o for o in room_orders if o.status == OrderStatus.ORDERED]
    form = ResultEntryForm(request.POST or None, orders=open_orders)
    if request.method == "POST" and form.is_valid():
        filed = 0
        for order, value, unit in form.entered():
            try:
                result_record(order=order, value=value, unit=unit, actor=request.user, room=room)
            except ValidationError as error:
                for message in [m for ms in error.message_dict.values() for m in ms]:
                    form.add_error(f"value_{order.pk}", message)
            except PermissionDenied as error:
                refusal_message(request, error)
                break
            else:
                filed += 1
        if filed:
            messages.success(request, _("%(n)s results filed.") % {"n": filed})
        if not form.errors:
            return redirect("checkup:result_entry", pk=visit.pk, room_pk=room.pk)
    return render(
        request,
        "checkup/result_entry.html",
        {
            "visit": visit,
            "room": room,
            "form": form,
            "done": [o for o in room_orders if o.status != OrderStatus.ORDERED],
            "signed": visit.room_signoffs.filter(room=room).select_related("signed_by__staff").first(),
        },
    )


@login_required
@require_POST
def room_sign_view(request: HttpRequest, pk: int, room_pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    room = room_for(request, room_pk)
    try:
        room_sign(visit=visit, room=room, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("%(room)s signed.") % {"room": room.name})
    return redirect("checkup:result_entry", pk=visit.pk, room_pk=room.pk)
