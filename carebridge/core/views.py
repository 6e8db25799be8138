"""Home dashboard and health check."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from carebridge.core.scope import scope_for
from carebridge.core.selectors import departments_in_scope
from carebridge.patients.choices import EncounterKind


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from carebridge.patients.selectors import (
        latest_quality_report,
        monthly_encounter_counts,
        patient_list,
    )

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
    return render(request, "core/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status, for load balancers and monitoring: 200 when both answer, else 503."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_status()
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "broker_kind": "redis" if settings.REDIS_URL else "filesystem",
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _broker_status() -> str:
    from carebridge.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
