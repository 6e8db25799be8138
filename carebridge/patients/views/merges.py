"""Duplicates: the finder, the merge preview and merge, and undoing a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.patients.forms.merges import MergeForm, ReasonForm
from carebridge.patients.models import PatientMerge
from carebridge.patients.selectors.merges import duplicate_candidates, merge_preview
from carebridge.patients.selectors.patients import patient_get
from carebridge.patients.services.merges import patient_merge, patient_unmerge


@login_required
@permission_required("patients.merge_patient", raise_exception=True)
def duplicates(request: HttpRequest) -> HttpResponse:
    groups = duplicate_candidates(user=request.user)
    return render(request, "patients/duplicates.html", {"groups": groups})


@login_required
@permission_required("patients.merge_patient", raise_exception=True)
def merge_view(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    try:
        survivor_id, duplicate_id = int(source.get("survivor", "")), int(source.get("duplicate", ""))
    except ValueError:
        messages.error(request, _("Choose the two records to merge."))
        return redirect("patients:duplicates")
    preview = merge_preview(user=request.user, survivor_id=survivor_id, duplicate_id=duplicate_id)
    form = MergeForm(request.POST or None, initial={"survivor": survivor_id, "duplicate": duplicate_id})
    if request.method == "POST" and form.is_valid() and not preview.blockers:
        try:
            patient_merge(
                survivor=preview.survivor,
                duplicate=preview.duplicate,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Records merged. The merge can be undone from the patient's page."))
            return redirect("patients:detail", pk=preview.survivor.pk)
    return render(
        request, "patients/merge.html", {"preview": preview, "form": form}, status=400 if form.errors else 200
    )


@login_required
@permission_required("patients.merge_patient", raise_exception=True)
@require_POST
def unmerge_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_object_or_404(PatientMerge, pk=merge_id)
    patient_get(user=request.user, pk=merge.survivor_id)  # 404 outside the user's scope
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the merge was wrong."))
        return redirect("patients:detail", pk=merge.survivor_id)
    try:
        restored = patient_unmerge(merge=merge, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("patients:detail", pk=merge.survivor_id)
    messages.success(request, _("The merge was undone."))
    return redirect("patients:detail", pk=restored.pk)
