"""Pages of the critical-result work queue (体检客服小组): the queue (its rows refresh without a reload),
the notification page (script, result and range, advice, masked contacts with a logged reveal, the
attempt form, the history), claim and release, the supervisor's sign-off."""

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

from carebridge.critical.choices import LadderStep
from carebridge.critical.forms.notifications import AttemptForm, ContactRevealForm, SignOffForm
from carebridge.critical.models import Notification
from carebridge.critical.selectors.notifications import notification_get, notification_queue
from carebridge.critical.services.attempts import (
    attempt_record,
    contacts_of,
    contacts_reveal,
    ladder_gaps,
    ladder_of,
    notification_sign_off_unreachable,
)
from carebridge.critical.services.queue import notification_claim, notification_release
from carebridge.patients.services.access import patient_access_record

QUEUE_SIZE = 100
WORK = "critical.work_notification"


def _messages_of(error: Exception) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    rows = list(
        notification_queue(user=request.user, now=now, include_claimed=True).prefetch_related(
            "findings__rule", "escalations"
        )[:QUEUE_SIZE]
    )
    return {"rows": rows, "now": now}


@login_required
@permission_required(WORK, raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "critical/queue.html", _queue_context(request))


@login_required
@permission_required(WORK, raise_exception=True)
def queue_rows(request: HttpRequest) -> HttpResponse:
    """The rows alone: the queue page polls this (htmx), so a new notification appears without a reload."""
    return render(request, "critical/_queue_rows.html", _queue_context(request))


@login_required
@permission_required(WORK, raise_exception=True)
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    try:
        notification_claim(notification=notification, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
        return redirect("critical:queue")
    return redirect("critical:notification", pk=pk)


@login_required
@permission_required(WORK, raise_exception=True)
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    try:
        notification_release(notification=notification, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("critical:queue")


def _page(request: HttpRequest, notification: Notification, status: int = 200, **extra: Any) -> HttpResponse:
    ladder = ladder_of(notification)
    attempt_form = extra.pop("attempt_form", None) or AttemptForm(
        initial={"step": notification.ladder_step if notification.ladder_step in ladder else ladder[0]}
    )
    labels = dict(LadderStep.choices)
    # Only the steps of this notification's ladder: the clinical one for inpatients and outpatients.
    attempt_form.fields["step"].choices = [(step, labels[step]) for step in ladder]  # type: ignore[union-attr]
    now = timezone.now()
    due = notification.read_back_due if notification.first_attempt_at else notification.first_attempt_due
    context = {
        "notification": notification,
        "patient": notification.patient,
        "findings": list(notification.findings.all()),
        "attempts": list(notification.attempts.all()),
        "transitions": list(notification.transitions.all()),
        "contacts": extra.pop("contacts", None) or contacts_of(notification),
        "ladder": [labels[step] for step in ladder],
        "gaps": ladder_gaps(notification),
        "attempt_form": attempt_form,
        "reveal_form": extra.pop("reveal_form", None) or ContactRevealForm(),
        "signoff_form": extra.pop("signoff_form", None) or SignOffForm(),
        "held_by_other": notification.claimed_by_id not in (None, request.user.pk)
        and notification.claimed_until is not None
        and notification.claimed_until > now,
        "overdue": notification.is_open and due is not None and due < now,
        "now": now,
        **extra,
    }
    return render(request, "critical/notification.html", context, status=status)


@login_required
@permission_required("critical.view_notification", raise_exception=True)
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    patient_access_record(patient=notification.patient, user=request.user, reason="critical notification")
    return _page(request, notification)


@login_required
@permission_required(WORK, raise_exception=True)
@require_POST
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    form = AttemptForm(request.POST)
    if form.is_valid():
        try:
            attempt_record(notification=notification, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, _messages_of(error))
        else:
            messages.success(request, _("The attempt is recorded."))
            return redirect("critical:notification", pk=pk)
    notification = notification_get(user=request.user, pk=pk)
    return _page(request, notification, status=400, attempt_form=form)


@login_required
@permission_required(WORK, raise_exception=True)
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    form = ContactRevealForm(request.POST)
    if form.is_valid():
        try:
            contacts = contacts_reveal(notification=notification, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            return _page(request, notification, contacts=contacts, revealed=True)
    return _page(request, notification, status=400, reveal_form=form)


@login_required
@permission_required("critical.signoff_notification", raise_exception=True)
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get(user=request.user, pk=pk)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            notification_sign_off_unreachable(
                notification=notification, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Signed off as unable to reach."))
            return redirect("critical:notification", pk=pk)
    return _page(request, notification, status=400, signoff_form=form)
