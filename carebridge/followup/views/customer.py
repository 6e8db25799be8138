"""The customer file page (客户档案): one view of the relationship with a patient. Opening it is an access to
the patient record, logged like the registry's patient page (PIPL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.core.http import client_ip
from carebridge.followup.selectors.customer import customer_file as customer_file_read
from carebridge.patients.selectors.patients import patient_get
from carebridge.patients.services.access import patient_access_record


@login_required
@permission_required("followup.view_careplan", raise_exception=True)
def customer_file(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_get(user=request.user, pk=pk)  # scope and patients.view_patient: 404 otherwise
    patient_access_record(
        patient=patient, user=request.user, ip_address=client_ip(request), reason="followup.customer_file"
    )
    view = customer_file_read(user=request.user, patient=patient)
    return render(request, "followup/customer_file.html", {"file": view, "patient": patient})
