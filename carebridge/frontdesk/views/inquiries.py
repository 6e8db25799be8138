"""Pages of inquiries (咨询分诊): the workspace's quick entry (htmx), the list, one inquiry and its
call-back answer, and the statistics. Thin: parse with a form, call one service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.choices import InquiryCategory, InquiryChannel
from carebridge.frontdesk.forms.inquiries import AnswerForm, InquiryForm
from carebridge.frontdesk.selectors.inquiries import (
    inquiry_get,
    inquiry_list_for_display,
    inquiry_statistics,
    inquiry_statistics_base,
)
from carebridge.frontdesk.services.inquiries import InquiryInput, inquiry_answer, inquiry_record

PAGE_SIZE = 50


def _patient_for(request: HttpRequest, form: InquiryForm) -> Any:
    from carebridge.patients.selectors.patients import patient_list

    mrn = (form.cleaned_data.get("patient_mrn") or "").strip()
    if not mrn:
        return None
    patient = patient_list(user=request.user).filter(mrn=mrn).first()
    if patient is None:
        form.add_error("patient_mrn", _("No patient with this MRN in your scope."))
    return patient


def _record(request: HttpRequest, form: InquiryForm) -> Any:
    """Run the service for a valid form; ``None`` (and errors on the form) when refused."""
    if not form.is_valid():
        return None
    patient = _patient_for(request, form)
    if form.errors:
        return None
    data = form.cleaned_data
    try:
        return inquiry_record(
            hospital=staff_hospital(user=request.user),
            actor=request.user,
            data=InquiryInput(
                channel=data["channel"],
                category=data["category"],
                question=data["question"],
                answer=data["answer"],
                asker_name=data["asker_name"],
                patient=patient,
                recommended_department=data["recommended_department"],
                recommended_doctor=data["recommended_doctor"],
                referred_hospital=data["referred_hospital"],
                received_at=data["received_at"],
            ),
        )
    except ValidationError as exc:
        form.apply_service_errors(exc)
        return None


@login_required
@permission_required("frontdesk.add_inquiry", raise_exception=True)
@require_POST
def inquiry_quick(request: HttpRequest) -> HttpResponse:
    """htmx: record an inquiry from the workspace and answer with its row for "today's inquiries".

    A refusal answers 400 with the form and its errors, retargeted to the form's error box.
    """
    form = InquiryForm(request.POST, user=request.user)
    inquiry = _record(request, form)
    if not request.htmx:  # type: ignore[attr-defined]
        if inquiry is not None:
            messages.success(request, _("Inquiry recorded."))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("desk:workspace")
    if inquiry is None:
        response = render(request, "frontdesk/_quick_inquiry_errors.html", {"form": form}, status=400)
        response["HX-Retarget"] = "#quick-inquiry-errors"
        response["HX-Reswap"] = "innerHTML"
        return response
    response = render(request, "frontdesk/_inquiry_row.html", {"inquiry": inquiry}, status=201)
    response["HX-Trigger"] = "inquiry-recorded"
    return response


@login_required
@permission_required("frontdesk.add_inquiry", raise_exception=True)
def inquiry_create(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, user=request.user)
    if request.method == "POST":
        inquiry = _record(request, form)
        if inquiry is not None:
            messages.success(request, _("Inquiry recorded."))
            return redirect("desk:inquiry_detail", pk=inquiry.pk)
    return render(request, "frontdesk/inquiry_form.html", {"form": form}, status=400 if form.errors else 200)


def _filtered(request: HttpRequest, queryset: Any) -> tuple[Any, dict[str, str]]:
    filters = {key: request.GET.get(key, "") for key in ("channel", "category", "open", "after", "before")}
    if filters["channel"] in InquiryChannel.values:
        queryset = queryset.filter(channel=filters["channel"])
    if filters["category"] in InquiryCategory.values:
        queryset = queryset.filter(category=filters["category"])
    if filters["open"] == "1":
        queryset = queryset.filter(answered_at__isnull=True)
    if after := parse_date(filters["after"] or ""):
        queryset = queryset.filter(received_at__date__gte=after)
    if before := parse_date(filters["before"] or ""):
        queryset = queryset.filter(received_at__date__lte=before)
    return queryset, filters


@login_required
@permission_required("frontdesk.view_inquiry", raise_exception=True)
def inquiry_list_view(request: HttpRequest) -> HttpResponse:
    queryset, filters = _filtered(request, inquiry_list_for_display(user=request.user))
    page = Paginator(queryset.order_by("-received_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/inquiry_list.html",
        {
            "page": page,
            "filters": filters,
            "channels": InquiryChannel.choices,
            "categories": InquiryCategory.choices,
        },
    )


@login_required
@permission_required("frontdesk.view_inquiry", raise_exception=True)
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = inquiry_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("frontdesk.change_inquiry"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                inquiry_answer(inquiry=inquiry, actor=request.user, answer=form.cleaned_data["answer"])
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("Answer recorded."))
                return redirect("desk:inquiry_detail", pk=pk)
    return render(
        request,
        "frontdesk/inquiry_detail.html",
        {"inquiry": inquiry, "form": form},
        status=400 if form.errors else 200,
    )


def _chart(rows: list[Any]) -> str:
    return json.dumps(
        [{"label": r.label, "count": r.count, "median": r.median_minutes} for r in rows],
        ensure_ascii=False,
    )


@login_required
@permission_required("frontdesk.view_inquiry_statistics", raise_exception=True)
def inquiry_statistics_view(request: HttpRequest) -> HttpResponse:
    base = inquiry_statistics_base(user=request.user)
    queryset, filters = _filtered(request, base)
    zone = timezone.get_current_timezone_name()
    stats = inquiry_statistics(queryset=queryset, zone=zone)
    return render(
        request,
        "frontdesk/inquiry_statistics.html",
        {
            "stats": stats,
            "filters": filters,
            "channels": InquiryChannel.choices,
            "categories": InquiryCategory.choices,
            "charts": {name: _chart(stats[name]) for name in ("category", "channel", "hour")},
        },
    )
