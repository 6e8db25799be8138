"""Pages of the external hospitals the desk refers to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge.forms.entries import ExternalHospitalForm
from carebridge.knowledge.selectors.entries import entry_get, external_hospital_list
from carebridge.knowledge.services.referrals import (
    EXTERNAL_FIELDS,
    external_hospital_create,
    external_hospital_update,
)
from carebridge.knowledge.views.entries import edit_entry, entry_url


@login_required
@permission_required("knowledge.view_externalhospital", raise_exception=True)
def external_list(request: HttpRequest) -> HttpResponse:
    entries = external_hospital_list(user=request.user).order_by("-is_active", "-reputation", "name")
    return render(request, "knowledge/external_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.view_externalhospital", raise_exception=True)
def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    external = entry_get(external_hospital_list(user=request.user), pk)
    return render(request, "knowledge/external_detail.html", {"entry": external})


@login_required
@permission_required("knowledge.add_externalhospital", raise_exception=True)
def external_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = ExternalHospitalForm(request.POST or None, hospital=hospital)
    return edit_entry(
        request,
        form,
        lambda f: external_hospital_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New external hospital"), "cancel_url": reverse("knowledge:externals")},
    )


@login_required
@permission_required("knowledge.change_externalhospital", raise_exception=True)
def external_edit(request: HttpRequest, pk: int) -> HttpResponse:
    external = entry_get(external_hospital_list(user=request.user), pk)
    initial = {name: getattr(external, name) for name in EXTERNAL_FIELDS} | {
        "region": external.region_id or ""
    }
    form = ExternalHospitalForm(request.POST or None, initial=initial, hospital=external.hospital)
    return edit_entry(
        request,
        form,
        lambda f: external_hospital_update(
            external=external, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": external.name, "cancel_url": entry_url(external)},
    )
