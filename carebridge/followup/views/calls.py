"""Pages of the call queue: my queue with its claim buttons, the call page (script, masked phone with
reveal, outcome form, raise-an-issue form), and the screen pop the page polls while the phone rings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.http import client_ip
from carebridge.core.prepared import STAND_IN_TIME, PreparedQuery
from carebridge.core.scope import scope_variant
from carebridge.followup.choices import CALL_KINDS, EscalationStep, StandaloneReason
from carebridge.followup.forms.calls import IssueForm, OutcomeForm
from carebridge.followup.models import Touchpoint
from carebridge.followup.selectors.calls import (
    call_queue,
    calling_window,
    my_touchpoints,
    screen_pop,
    script_for,
    upcoming_calls,
)
from carebridge.followup.selectors.plans import touchpoint_get
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.issues import call_issue_raise
from carebridge.followup.services.queue import call_claim, call_release
from carebridge.patients.forms.access import RevealForm
from carebridge.patients.services.access import patient_access_record

QUEUE_SIZE = 50
UPCOMING_SIZE = 10  # the next calls shown when the queue is empty or short
_TIER_BADGES = {"A": "danger", "B": "warning"}  # the badge's colour by tier (others: secondary)
_PLACEHOLDER = 987654321  # a pk no row has: each row's link is this pattern with its pk put in

# What a queue row shows, read as values (no model instances with their four related rows).
_ROW_COLUMNS = ("pk", "due_at", "tier", "title", "reason", "claimed_by_id", "claimed_until")
_RELATED = ("patient_name", "department_name")
_MINE_COLUMNS = ("pk", "plan_id", "due_at", "title", "kind", "step", "patient_name")


def _calls_read(*, user: Any, now: dt.datetime, size: int) -> QuerySet[Touchpoint, Any]:
    return call_queue(user=user, now=now).values_list(*_ROW_COLUMNS, "patient__name", "department__name")[
        :size
    ]


def _upcoming_read(*, user: Any, now: dt.datetime, size: int) -> QuerySet[Touchpoint, Any]:
    return upcoming_calls(user=user, now=now).values_list(
        *_ROW_COLUMNS, "patient__name", "department__name", "available_at"
    )[:size]


def _mine_read(*, user: Any, size: int) -> QuerySet[Touchpoint, Any]:
    return my_touchpoints(user=user).values_list(*_MINE_COLUMNS[:-1], "patient__name")[:size]


# Compiled once per user and length (core.prepared), as the queue API's rows: building and compiling the
# page's three reads was a third of its CPU (bench/followup_queue.py).
_CALLS = PreparedQuery(_calls_read, stand_ins={"now": STAND_IN_TIME})
_UPCOMING = PreparedQuery(_upcoming_read, stand_ins={"now": STAND_IN_TIME})
_MINE = PreparedQuery(_mine_read, stand_ins={})


def _local(moment: Any, pattern: str) -> str:
    """A moment in the page's time zone as the ``date`` filter writes "m-d H:i" or "H:i" (strftime's
    ``%m-%d %H:%M``, ``%H:%M``), without the filter's parsing of its format on each of the 150 a page
    shows; empty for none."""
    return timezone.localtime(moment).strftime(pattern) if moment is not None else ""


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """My call queue. The rows are composed here (their texts, links and flags), so the template does
    no lookups, URL resolution or translation per row (bench/followup_queue.py: rendering 50 rows cost
    more than reading them). The calls that open later are read only when the queue is not full."""
    now = timezone.now()
    user = request.user
    staff = getattr(user, "staff", None)
    alias, variant = router.db_for_read(Touchpoint), scope_variant(user)
    columns = (*_ROW_COLUMNS, *_RELATED)
    calls = [
        dict(zip(columns, row, strict=True))
        for row in _CALLS.rows(
            using=alias, variant=(variant, QUEUE_SIZE), user=user, now=now, size=QUEUE_SIZE
        )
    ]
    upcoming = (
        [
            dict(zip((*columns, "available_at"), row, strict=True))
            for row in _UPCOMING.rows(
                using=alias, variant=(variant, UPCOMING_SIZE), user=user, now=now, size=UPCOMING_SIZE
            )
        ]
        if len(calls) < QUEUE_SIZE
        else []
    )
    claim_url = reverse("followup:claim", args=[_PLACEHOLDER])
    reasons = dict(StandaloneReason.choices)
    by_me = _("by me")
    for row in [*calls, *upcoming]:
        row["department"] = row["department_name"] or reasons.get(row["reason"], row["reason"])
        overdue = row["due_at"] is not None and row["due_at"] < now
        held = row["claimed_until"]
        held_by_me = row["claimed_by_id"] == user.pk and held is not None and held > now
        row["row_class"] = "table-danger" if overdue else ""
        row["tier_class"] = _TIER_BADGES.get(row["tier"], "secondary")
        row["claim_url"] = claim_url.replace(str(_PLACEHOLDER), str(row["pk"]))
        row["due_text"] = _local(row["due_at"], "%m-%d %H:%M")
        row["claimed_text"] = f"{by_me} {_local(held, '%H:%M')}" if held_by_me else ""
        row["available_text"] = _local(row.get("available_at"), "%m-%d %H:%M")
    steps = dict(EscalationStep.choices)
    plan_url = reverse("followup:plan_detail", args=[_PLACEHOLDER])
    call_url = reverse("followup:call", args=[_PLACEHOLDER])
    mine = [
        {
            **row,
            "step_label": steps.get(row["step"], row["step"]) if row["kind"] in CALL_KINDS else "",
            "due_text": _local(row["due_at"], "%m-%d %H:%M"),
            "link": (
                plan_url.replace(str(_PLACEHOLDER), str(row["plan_id"]))
                if row["plan_id"]
                else call_url.replace(str(_PLACEHOLDER), str(row["pk"]))
            ),
        }
        for row in (
            dict(zip(_MINE_COLUMNS, values, strict=True))
            for values in _MINE.rows(using=alias, variant=(variant, QUEUE_SIZE), user=user, size=QUEUE_SIZE)
        )
    ]
    context = {
        "calls": calls,
        "upcoming": upcoming,
        "window": calling_window(hospital=staff.hospital, now=now) if staff is not None else None,
        "mine": mine,
        "now": now,
        # The rows' forms take the token as a plain text (the lazy ``csrf_token`` through its proxy, per row).
        "csrf": get_token(request),
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
