"""The home page (the root URL ``/``, named ``core:home``): the registry's dashboard of the user's scope."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.core.scope import scope_for
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.patients.choices import EncounterKind
from carebridge.patients.selectors.access import latest_quality_report
from carebridge.patients.selectors.classification import monthly_encounter_counts
from carebridge.patients.selectors.patients import patient_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    since = timezone.now() - dt.timedelta(days=30)
    months = monthly_encounter_counts(user=request.user, months=18)
    context = {
        "scope_departments": None
        if scope.department_ids is None
        else departments_in_scope(user=request.user),
        "patient_count": patient_list(user=request.user).count()
        if request.user.has_perm("patients.view_patient")
        else None,
        "months_json": json.dumps(months, ensure_ascii=False),
        "recent_encounters": sum(
            row["encounters"] for row in months if row["month"] >= since.strftime("%Y-%m")
        ),
        "quality_report": latest_quality_report(user=request.user),
        "kind_labels": {kind.value: str(kind.label) for kind in EncounterKind},
    }
    return render(request, "patients/home.html", context)
