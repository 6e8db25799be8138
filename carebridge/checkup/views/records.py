"""The personal health record page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.checkup.selectors.records import health_record
from carebridge.checkup.views.base import log_access


@login_required
@permission_required("checkup.view_health_record", raise_exception=True)
def record(request: HttpRequest, patient_pk: int) -> HttpResponse:
    found = health_record(user=request.user, patient_id=patient_pk)
    log_access(request, found.patient)
    return render(request, "checkup/health_record.html", {"record": found})
