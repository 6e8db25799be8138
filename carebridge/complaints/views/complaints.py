"""Complaint pages: thin views that parse input, call a selector or a service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.complaints.choices import Category, ComplaintStatus, FeedbackKind
from carebridge.complaints.domain.lexicon import suggest_category
from carebridge.complaints.exports import export_register_pdf, export_register_xlsx
from carebridge.complaints.filters import ComplaintFilterSet
from carebridge.complaints.forms.complaints import (
    AttachmentForm,
    ClassificationForm,
    ComplaintIntakeForm,
    FeedbackForm,
    NoteForm,
    RecoveryForm,
    TransitionForm,
)
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.complaints import (
    complaint_get,
    complaint_list_for_display,
    deadline_views,
    overdue_list,
)
from carebridge.complaints.selectors.statistics import complaint_statistics as statistics_of
from carebridge.complaints.selectors.statistics import statistics_base
from carebridge.complaints.services.complaints import (
    ComplaintInput,
    complaint_attach,
    complaint_receive,
    complaint_record_feedback,
    complaint_update,
    note_add,
    recovery_action_add,
)
from carebridge.complaints.services.transitions import LIFECYCLE, complaint_transition
from carebridge.core.http import client_ip
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.patients.services.access import patient_access_record

PAGE_SIZE = 25


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filtered(request: HttpRequest) -> ComplaintFilterSet:
    return ComplaintFilterSet(
        request.GET, queryset=complaint_list_for_display(user=request.user), request=request
    )


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(c, deadline_views(c, now=now)) for c in page.object_list]
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "query_string": _query_without_page(request),
    }
    template = "complaints/_complaint_rows.html" if request.htmx else "complaints/complaint_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def overdue_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    complaints = overdue_list(user=request.user, now=now)
    rows = [(c, deadline_views(c, now=now)) for c in complaints[:200]]
    return render(request, "complaints/overdue.html", {"rows": rows})


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("patient_mrn"):
        initial["patient_mrn"] = request.GET["patient_mrn"]
    form = ComplaintIntakeForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = None
        from carebridge.patients.selectors.patients import patient_list

        if data["patient"]:
            patient = patient_list(user=request.user).filter(pk=data["patient"]).first()
            if patient is None:
                form.add_error("patient", _("This patient is not in your scope."))
        elif data["patient_mrn"]:
            patient = patient_list(user=request.user).filter(mrn=data["patient_mrn"].strip()).first()
            if patient is None:
                form.add_error("patient", _("No patient with this MRN in your scope."))
        if not form.errors:
            try:
                complaint = complaint_receive(
                    hospital=staff_hospital(user=request.user),
                    actor=request.user,
                    attachments=data["attachments"],
                    data=ComplaintInput(
                        content=data["content"],
                        channel=data["channel"],
                        kind=data["kind"],
                        category=data["category"],
                        severity=data["severity"],
                        patient=patient,
                        complainant_name=data["complainant_name"],
                        complainant_phone=data["complainant_phone"],
                        complainant_class=data["complainant_class"],
                        departments=list(data["departments"]),
                        staff=list(data["staff"]),
                        received_at=data["received_at"],
                        on_the_spot_resolution=data["on_the_spot_resolution"],
                    ),
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(
                    request, _("Recorded as %(ref)s; you are its owner.") % {"ref": complaint.reference}
                )
                return redirect("desk:complaint_detail", pk=complaint.pk)
    return render(
        request, "complaints/complaint_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
@require_POST
def complaint_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the category suggested for the text typed so far, and why."""
    suggestion = suggest_category(request.POST.get("content", ""))
    evidence = [(e.term, Category(e.category).label, e.weight) for e in suggestion.evidence]
    return render(
        request,
        "complaints/_suggestion.html",
        {
            "suggestion": suggestion,
            "category_label": Category(suggestion.category).label,
            "evidence": evidence,
        },
    )


def _detail_context(request: HttpRequest, complaint: Complaint, **forms: Any) -> dict[str, Any]:
    # The life cycle's moves, less those the case cannot make yet (the service would refuse them).
    hidden = set()
    if complaint.kind == FeedbackKind.COMPLAINT and complaint.status == ComplaintStatus.RECEIVED:
        hidden.add(ComplaintStatus.CLOSED)
    if complaint.complainant_satisfied is not True:
        hidden.add(ComplaintStatus.CONFIRMED)
    allowed = [(value, label) for value, label in LIFECYCLE.allowed_choices(complaint) if value not in hidden]
    context: dict[str, Any] = {
        "complaint": complaint,
        "deadlines": deadline_views(complaint),
        "transition_form": TransitionForm(user=request.user, allowed=allowed),
        "classification_form": ClassificationForm(
            user=request.user,
            initial={
                "category": complaint.category,
                "severity": complaint.severity,
                "departments": list(complaint.departments.all()),
                "staff": list(complaint.staff.all()),
            },
        ),
        "note_form": NoteForm(),
        "recovery_form": RecoveryForm(),
        "feedback_form": FeedbackForm(),
        "attachment_form": AttachmentForm(),
        "can_change": request.user.has_perm("complaints.change_complaint"),
    }
    context.update(forms)
    return context


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_get(user=request.user, pk=pk)
    if complaint.patient is not None:
        patient_access_record(
            patient=complaint.patient, user=request.user, ip_address=client_ip(request), reason="complaint"
        )
    return render(request, "complaints/complaint_detail.html", _detail_context(request, complaint))


def _post(request: HttpRequest, pk: int, form_name: str, form: Any, action: Any) -> HttpResponse:
    """Run ``action(complaint, cleaned_data)`` for a valid form; on refusal show the page with the errors."""
    complaint = complaint_get(user=request.user, pk=pk)
    if form.is_valid():
        try:
            action(complaint, form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("desk:complaint_detail", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    context = _detail_context(request, complaint, **{form_name: form})
    return render(request, "complaints/complaint_detail.html", context, status=400)


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = TransitionForm(request.POST, user=request.user)
    return _post(
        request,
        pk,
        "transition_form",
        form,
        lambda c, d: complaint_transition(
            complaint=c,
            to=d["to"],
            actor=request.user,
            reason=d["reason"],
            resolution=d["resolution"],
            office=d["office"],
            root_cause=d["root_cause"],
        ),
    )


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_classify_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = ClassificationForm(request.POST, user=request.user)
    return _post(
        request,
        pk,
        "classification_form",
        form,
        lambda c, d: complaint_update(
            complaint=c,
            actor=request.user,
            category=d["category"],
            severity=d["severity"],
            departments=list(d["departments"]),
            staff=list(d["staff"]),
        ),
    )


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    return _post(
        request, pk, "note_form", form, lambda c, d: note_add(complaint=c, actor=request.user, text=d["text"])
    )


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_recovery_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = RecoveryForm(request.POST)
    return _post(
        request,
        pk,
        "recovery_form",
        form,
        lambda c, d: recovery_action_add(
            complaint=c,
            actor=request.user,
            kind=d["kind"],
            description=d["description"],
            cost=d["cost"],
            done_at=d["done_at"],
        ),
    )


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_feedback_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = FeedbackForm(request.POST)
    return _post(
        request,
        pk,
        "feedback_form",
        form,
        lambda c, d: complaint_record_feedback(
            complaint=c, actor=request.user, satisfied=d["satisfied"], feedback=d["feedback"]
        ),
    )


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
@require_POST
def complaint_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    return _post(
        request,
        pk,
        "attachment_form",
        form,
        lambda c, d: complaint_attach(complaint=c, actor=request.user, uploads=d["files"]),
    )


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    complaint = complaint_get(user=request.user, pk=pk)
    attachment = next((a for a in complaint.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404("No such attachment.")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@permission_required("complaints.view_complaint_statistics", raise_exception=True)
def complaint_statistics(request: HttpRequest) -> HttpResponse:
    filterset = ComplaintFilterSet(request.GET, queryset=statistics_base(user=request.user), request=request)
    stats = statistics_of(queryset=filterset.qs)
    return render(
        request,
        "complaints/statistics.html",
        {"filterset": filterset, "stats": stats, "total": sum(r.count for r in stats["kind"])},
    )


@login_required
@permission_required("complaints.export_complaints", raise_exception=True)
def complaint_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    if not filterset.is_valid():
        return HttpResponse(_("Invalid filters."), status=400)
    if request.GET.get("format", "xlsx") == "pdf":
        described = "；".join(
            f"{filterset.form.fields[k].label}: {v}"
            for k, v in filterset.form.cleaned_data.items()
            if v not in (None, "", [])
        )
        return export_register_pdf(complaints=filterset.qs, user=request.user, filters=described)
    return export_register_xlsx(complaints=filterset.qs, user=request.user)
