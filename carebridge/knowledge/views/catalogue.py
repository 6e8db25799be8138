"""Pages of services, examinations and treatments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge.forms.entries import ServiceForm as ServiceEntryForm
from carebridge.knowledge.selectors import entries as selectors
from carebridge.knowledge.services import catalogue as services
from carebridge.knowledge.views.entries import edit_entry, entry_url


@login_required
@permission_required("knowledge.view_service", raise_exception=True)
def service_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.service_list(user=request.user).order_by("-offered_here", "department__code", "name")
    return render(request, "knowledge/service_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.view_service", raise_exception=True)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.entry_get(selectors.service_list(user=request.user), pk)
    return render(request, "knowledge/service_detail.html", {"entry": service})


@login_required
@permission_required("knowledge.add_service", raise_exception=True)
def service_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = ServiceEntryForm(
        request.POST or None, hospital=hospital, initial={"department": request.GET.get("department")}
    )
    return edit_entry(
        request,
        form,
        lambda f: services.service_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New service"), "cancel_url": reverse("knowledge:services")},
    )


@login_required
@permission_required("knowledge.change_service", raise_exception=True)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.entry_get(selectors.service_list(user=request.user), pk)
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    form = ServiceEntryForm(request.POST or None, initial=initial, hospital=service.hospital)
    return edit_entry(
        request,
        form,
        lambda f: services.service_update(
            service=service, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": service.name, "cancel_url": entry_url(service)},
    )
