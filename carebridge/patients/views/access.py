"""The patient access log page (administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.core.pagination import CappedPaginator
from carebridge.lib.text import is_id
from carebridge.patients.selectors.access import access_log_list
from carebridge.patients.views.patients import query_without_page


@login_required
@permission_required("patients.view_patientaccesslog", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    entries = access_log_list(user=request.user)
    if is_id(request.GET.get("patient", "")):
        entries = entries.filter(patient_id=int(request.GET["patient"]))
    if request.GET.get("user"):
        entries = entries.filter(user__username=request.GET["user"])
    if request.GET.get("action"):
        entries = entries.filter(action=request.GET["action"])
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "patients/access_log.html", {"page": page, "query_string": query_without_page(request)}
    )
