"""Pages of the surveys app: waves (plan, draw, dashboard, invitations, QR sheets) and do-not-contact.

Thin views: parse with a form, call a selector or one service, render. Refusals of the services come
back on the form with status 400 and change nothing.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.masking import mask_phone
from carebridge.core.selectors.organisation import staff_hospital, ward_list
from carebridge.core.services.audit import audit_record
from carebridge.lib.text import is_id
from carebridge.surveys.choices import InvitationStatus, WaveStatus
from carebridge.surveys.domain.sheets import cards_for, render_sheet_pdf, sheet_context
from carebridge.surveys.forms.waves import DoNotContactForm, WaveForm, WaveTransitionForm
from carebridge.surveys.models import Wave
from carebridge.surveys.selectors.waves import (
    do_not_contact_list,
    invitation_list,
    invitee_masked,
    qr_card_list,
    wave_get,
    wave_list_for_display,
    wave_stats,
)
from carebridge.surveys.services.do_not_contact import do_not_contact_add
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.waves import (
    WAVE_LIFECYCLE,
    wave_create,
    wave_input_from,
    wave_transition,
    wave_update,
)

PAGE_SIZE = 50
MAX_CARDS = 400  # one print run; a ward prints its own sheet


@login_required
@permission_required("surveys.view_wave", raise_exception=True)
def wave_list(request: HttpRequest) -> HttpResponse:
    waves = wave_list_for_display(user=request.user)
    status = request.GET.get("status", "")
    if status in WaveStatus.values:
        waves = waves.filter(status=status)
    page = Paginator(waves, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for wave in page.object_list:
        invited = wave.drawn - wave.withdrawn
        rows.append((wave, invited, 100 * wave.completed / invited if invited else None))
    context = {"page": page, "rows": rows, "status": status, "statuses": WaveStatus.choices}
    return render(request, "surveys/wave_list.html", context)


def _form_page(request: HttpRequest, form: WaveForm, wave: Wave | None) -> HttpResponse:
    return render(
        request, "surveys/wave_form.html", {"form": form, "wave": wave}, status=400 if form.errors else 200
    )


@login_required
@permission_required("surveys.add_wave", raise_exception=True)
def wave_create_view(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = WaveForm(request.POST or None, user=request.user, hospital=hospital)
    if request.method == "POST" and form.is_valid():
        try:
            wave = wave_create(hospital=hospital, actor=request.user, data=form.wave_input())
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("The wave is saved as a draft. Draw its invitees when ready."))
            return redirect("surveys:wave_detail", pk=wave.pk)
    return _form_page(request, form, None)


@login_required
@permission_required("surveys.change_wave", raise_exception=True)
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_get(user=request.user, pk=pk)
    initial = WaveForm.initial_from(wave_input_from(wave))
    form = WaveForm(request.POST or None, user=request.user, hospital=wave.hospital, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            wave_update(wave=wave, actor=request.user, data=form.wave_input())
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:wave_detail", pk=wave.pk)
    return _form_page(request, form, wave)


def _chart_rows(rows: list[tuple[str, str, int]]) -> str:
    return json.dumps([{"label": label, "value": count} for _key, label, count in rows], ensure_ascii=False)


@login_required
@permission_required("surveys.view_wave", raise_exception=True)
def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The wave's dashboard: the funnel, exclusions by reason, strata against targets and quotas."""
    wave = wave_get(user=request.user, pk=pk)
    stats = wave_stats(wave=wave)
    context: dict[str, Any] = {
        "wave": wave,
        "stats": stats,
        "funnel_chart": _chart_rows(stats.funnel()),
        "exclusion_chart": _chart_rows(stats.excluded),
        "allowed": WAVE_LIFECYCLE.allowed_choices(wave),
        "transitions": wave.transitions.select_related("actor").order_by("-at", "-id")[:20],
        "wards": ward_list(user=request.user).filter(department__hospital=wave.hospital),
        "can_change": request.user.has_perm("surveys.change_wave"),
        "can_view_invitations": request.user.has_perm("surveys.view_invitation"),
    }
    return render(request, "surveys/wave_detail.html", context)


@login_required
@permission_required("surveys.change_wave", raise_exception=True)
@require_POST
def wave_draw_view(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_get(user=request.user, pk=pk)
    try:
        result = wave_draw(wave=wave, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if result.repeat and not result.invited:
            messages.info(request, _("The sample was drawn before; nobody new was added."))
        else:
            messages.success(
                request,
                _("%(invited)s invited, %(excluded)s not invited (see the reasons below).")
                % {"invited": result.invited, "excluded": sum(result.excluded.values())},
            )
    return redirect("surveys:wave_detail", pk=pk)


@login_required
@permission_required("surveys.change_wave", raise_exception=True)
@require_POST
def wave_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_get(user=request.user, pk=pk)
    form = WaveTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: choose the new status."))
        return redirect("surveys:wave_detail", pk=pk)
    try:
        wave_transition(
            wave=wave, to=form.cleaned_data["to"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("surveys:wave_detail", pk=pk)


@login_required
@permission_required("surveys.view_invitation", raise_exception=True)
def wave_invitations(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_get(user=request.user, pk=pk)
    invitations = invitation_list(user=request.user, wave=wave)
    status = request.GET.get("status", "")
    if status:
        invitations = invitations.filter(status=status)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(invitation, invitee_masked(invitation)) for invitation in page.object_list]
    return render(
        request,
        "surveys/wave_invitations.html",
        {"wave": wave, "page": page, "rows": rows, "status": status, "statuses": InvitationStatus.choices},
    )


@login_required
@permission_required("surveys.view_invitation", raise_exception=True)
def wave_qr_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Print view (HTML) or PDF (``?format=pdf``) of the QR cards, optionally of one ward (``?ward=``)."""
    wave = wave_get(user=request.user, pk=pk)
    ward_id = request.GET.get("ward", "")
    if ward_id and not is_id(ward_id):
        return HttpResponse(_("Invalid ward."), status=400)
    selected = list(
        qr_card_list(user=request.user, wave=wave, ward_id=int(ward_id) if ward_id else None)[: MAX_CARDS + 1]
    )
    if len(selected) > MAX_CARDS:
        return HttpResponse(
            _("More than %(n)s cards: print one ward at a time.") % {"n": MAX_CARDS}, status=400
        )
    cards = cards_for(wave, selected)
    pdf = request.GET.get("format") == "pdf"
    audit_record(
        actor=request.user,
        action="surveys.qr_sheet_print",
        obj=wave,
        summary=f"{'PDF' if pdf else 'HTML'}: {len(cards)}",
        changes={"cards": len(cards), "ward": ward_id, "format": "pdf" if pdf else "html"},
    )
    if pdf:
        response = HttpResponse(render_sheet_pdf(wave=wave, cards=cards), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="wave-{wave.pk}-qr-{timezone.localtime():%Y%m%d}.pdf"'
        )
        return response
    return render(request, "surveys/wave_qr_sheet.html", sheet_context(wave=wave, cards=cards, pdf=False))


@login_required
@permission_required("surveys.add_donotcontact", raise_exception=True)
def do_not_contact_create(request: HttpRequest) -> HttpResponse:
    """Record that a person does not want to be surveyed; their unsent invitations are withdrawn."""
    from carebridge.patients.selectors.patients import patient_list

    form = DoNotContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = None
        if data["patient_mrn"].strip():
            patient = patient_list(user=request.user).filter(mrn=data["patient_mrn"].strip()).first()
            if patient is None:
                form.add_error("patient_mrn", _("No patient with this MRN in your scope."))
        if not form.errors:
            try:
                do_not_contact_add(
                    hospital=staff_hospital(user=request.user),
                    actor=request.user,
                    patient=patient,
                    phone=data["phone"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("Added to the do-not-contact list."))
                return redirect("surveys:do_not_contact_create")
    page = Paginator(do_not_contact_list(hospital=staff_hospital(user=request.user)), 25).get_page(
        request.GET.get("page")
    )
    rows = [(entry, mask_phone(entry.phone)) for entry in page.object_list]
    context = {"form": form, "page": page, "rows": rows}
    return render(request, "surveys/wave_do_not_contact.html", context, status=400 if form.errors else 200)


urls: list[URLPattern] = [
    path("waves/", wave_list, name="wave_list"),
    path("waves/new/", wave_create_view, name="wave_create"),
    path("waves/<int:pk>/", wave_detail, name="wave_detail"),
    path("waves/<int:pk>/edit/", wave_edit, name="wave_edit"),
    path("waves/<int:pk>/draw/", wave_draw_view, name="wave_draw"),
    path("waves/<int:pk>/transition/", wave_transition_view, name="wave_transition"),
    path("waves/<int:pk>/invitations/", wave_invitations, name="wave_invitations"),
    path("waves/<int:pk>/qr/", wave_qr_sheet, name="wave_qr_sheet"),
    path("do-not-contact/new/", do_not_contact_create, name="do_not_contact_create"),
]
