"""The home page (the root URL ``/``, named ``core:home``): where each role's work starts.

A role whose app names a start page (``START_PAGES`` in the app's ``roles.py``: the agent's workspace,
the ward manager's KPIs, the quality office's instruments …) is sent there; the others (administrators,
users without such a role) see the registry's dashboard of their scope, with only the cards they may
use: the encounter statistics need ``patients.view_registry_statistics``, and the registry's
data-quality panel, which counts the whole hospital, is for users who see the whole hospital.
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carebridge.core.roles import start_page
from carebridge.core.scope import scope_for
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.patients.choices import EncounterKind
from carebridge.patients.selectors.access import latest_quality_report
from carebridge.patients.selectors.classification import monthly_encounter_counts
from carebridge.patients.selectors.patients import patient_list

STATISTICS_PERMISSION = "patients.view_registry_statistics"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    url_name = start_page(request.user)
    if url_name is not None:
        return redirect(url_name)
    return registry_home(request)


@login_required
def registry_home(request: HttpRequest) -> HttpResponse:
    """The registry's dashboard of the user's scope (also at ``/patients/overview/``)."""
    scope = scope_for(request.user)
    whole_hospital = scope.department_ids is None
    context: dict[str, object] = {
        "scope_departments": None if whole_hospital else departments_in_scope(user=request.user),
        "patient_count": patient_list(user=request.user).count()
        if request.user.has_perm("patients.view_patient")
        else None,
        "show_statistics": request.user.has_perm(STATISTICS_PERMISSION),
        "quality_report": latest_quality_report(user=request.user) if whole_hospital else None,
        "show_quality": whole_hospital,
    }
    if context["show_statistics"]:
        since = timezone.now() - dt.timedelta(days=30)
        months = monthly_encounter_counts(user=request.user, months=18)
        context["months_json"] = json.dumps(months, ensure_ascii=False)
        context["recent_encounters"] = sum(
            row["encounters"] for row in months if row["month"] >= since.strftime("%Y-%m")
        )
        context["kind_labels"] = {kind.value: str(kind.label) for kind in EncounterKind}
    return render(request, "patients/home.html", context)
