"""Pages of shift handover (交班): the list, one handover with its items, notes and acknowledgement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.choices import HANDOVER_LINK_PERMISSIONS
from carebridge.frontdesk.forms.handover import AcknowledgeForm, HandoverNotesForm
from carebridge.frontdesk.selectors.handover import handover_get, handover_list
from carebridge.frontdesk.services.handover import (
    handover_acknowledge,
    handover_prepare,
    handover_write_notes,
)

PAGE_SIZE = 30


@login_required
@permission_required("frontdesk.view_handover", raise_exception=True)
def handover_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(handover_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/handover_list.html", {"page": page})


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms: object) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    items = list(handover.items.all())
    for item in items:
        permission = HANDOVER_LINK_PERMISSIONS.get(item.kind)
        item.may_open = bool(item.url and permission and request.user.has_perm(permission))  # type: ignore[attr-defined]
    context = {
        "handover": handover,
        "items": items,
        "notes_form": HandoverNotesForm(initial={"notes": handover.notes}),
        "ack_form": AcknowledgeForm(),
        "may_acknowledge": request.user.has_perm("frontdesk.acknowledge_handover"),
    }
    context.update(forms)
    return render(request, "frontdesk/handover_detail.html", context, status=status)


@login_required
@permission_required("frontdesk.view_handover", raise_exception=True)
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@permission_required("frontdesk.change_handover", raise_exception=True)
@require_POST
def handover_prepare_view(request: HttpRequest) -> HttpResponse:
    try:
        handover = handover_prepare(hospital=staff_hospital(user=request.user), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk:handover_list")
    return redirect("desk:handover_detail", pk=handover.pk)


@login_required
@permission_required("frontdesk.change_handover", raise_exception=True)
@require_POST
def handover_notes_view(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    form = HandoverNotesForm(request.POST)
    if form.is_valid():
        try:
            handover_write_notes(handover=handover, actor=request.user, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("desk:handover_detail", pk=pk)
    return _detail(request, pk, status=400, notes_form=form)


@login_required
@permission_required("frontdesk.acknowledge_handover", raise_exception=True)
@require_POST
def handover_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            handover_acknowledge(handover=handover, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
            messages.error(request, " ".join(exc.messages))
            return _detail(request, pk, status=400, ack_form=form)
        else:
            messages.success(request, _("You have taken over the shift."))
            return redirect("desk:handover_detail", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    return _detail(request, pk, status=400, ack_form=form)
