"""Pages of the call queue: my queue with its claim buttons, the call page (script, masked phone with
reveal, outcome form, raise-an-issue form), and the screen pop the page polls while the phone rings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.http import client_ip
from carebridge.followup.forms.calls import IssueForm, OutcomeForm
from carebridge.followup.selectors.calls import call_queue, my_touchpoints, screen_pop, script_for
from carebridge.followup.selectors.plans import touchpoint_get
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.issues import call_issue_raise
from carebridge.followup.services.queue import call_claim, call_release
from carebridge.patients.forms.access import RevealForm
from carebridge.patients.services.access import patient_access_record

QUEUE_SIZE = 50


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "calls": call_queue(user=request.user, now=now)[:QUEUE_SIZE],
        "mine": my_touchpoints(user=request.user)[:QUEUE_SIZE],
        "now": now,
    }
    return render(request, "followup/queue.html", context)


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    try:
        call_claim(touchpoint=touchpoint, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("followup:queue")
    return redirect("followup:call", pk=pk)


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    try:
        call_release(touchpoint=touchpoint, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("followup:queue")


def _call_context(request: HttpRequest, touchpoint: Any, **forms: Any) -> dict[str, Any]:
    return {
        "touchpoint": touchpoint,
        "plan": touchpoint.plan,
        "patient": touchpoint.patient,
        "phones": list(touchpoint.patient.phones.all()),
        "script": script_for(touchpoint),
        "attempts": list(touchpoint.attempts.all()),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(touchpoint=touchpoint),
        "issue_form": forms.get("issue_form") or IssueForm(user=request.user),
        "reveal_form": RevealForm(),
        "held_by_other": touchpoint.claimed_by_id not in (None, request.user.pk)
        and touchpoint.claimed_until is not None
        and touchpoint.claimed_until > timezone.now(),
    }


@login_required
@permission_required("followup.view_touchpoint", raise_exception=True)
def call_page(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    patient_access_record(patient=touchpoint.patient, user=request.user, ip_address=client_ip(request))
    return render(request, "followup/call.html", _call_context(request, touchpoint))


@login_required
@permission_required("followup.add_callattempt", raise_exception=True)
@require_POST
def call_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    form = OutcomeForm(request.POST, touchpoint=touchpoint)
    if form.is_valid():
        data = form.cleaned_data
        try:
            call_record(
                touchpoint=touchpoint,
                actor=request.user,
                outcome=data["outcome"],
                channel=data["channel"],
                notes=data["notes"],
                answers=form.answers(),
                phone=data["phone"],
                recheck=form.recheck(),
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("The attempt was recorded."))
            return redirect("followup:call", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    return render(
        request, "followup/call.html", _call_context(request, touchpoint, outcome_form=form), status=400
    )


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
@require_POST
def call_issue(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    form = IssueForm(request.POST, user=request.user)
    attempt = touchpoint.attempts.order_by("-at", "-id").first()
    if attempt is None:
        form.add_error(None, _("Record the call first; the issue is linked to it."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            issue = call_issue_raise(
                attempt=attempt,
                actor=request.user,
                kind=data["kind"],
                text=data["text"],
                department=data["department"],
                category=data["category"],
                severity=data["severity"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            if issue.complaint is not None:
                messages.success(
                    request, _("Desk case %(reference)s opened.") % {"reference": issue.complaint.reference}
                )
            else:
                messages.success(request, _("The question was sent to the department."))
            return redirect("followup:call", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    return render(
        request, "followup/call.html", _call_context(request, touchpoint, issue_form=form), status=400
    )


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
def screen_pop_view(request: HttpRequest) -> HttpResponse:
    """Polled by the queue and call pages (htmx, every few seconds): who is calling in right now."""
    return render(request, "followup/_screen_pop.html", {"call": screen_pop(user=request.user)})
