"""The classification page: patients by department, ICD-10 chapter and region (aggregates only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from carebridge.patients.selectors.classification import (
    chapter_title,
    classify_by_chapter,
    classify_by_department,
    classify_by_region,
)


@login_required
@permission_required("patients.view_registry_statistics", raise_exception=True)
def classification(request: HttpRequest) -> HttpResponse:
    region_parent = request.GET.get("region", "")
    language = get_language() or "zh-hans"
    chapters = [
        {"row": row, "title": chapter_title(int(row.key), language)}
        for row in classify_by_chapter(user=request.user)
    ]
    context = {
        "departments": classify_by_department(user=request.user),
        "chapters": chapters,
        "regions": classify_by_region(user=request.user, parent=region_parent),
        "region_parent": region_parent,
        "can_drill": request.user.has_perm("patients.view_patient"),
    }
    return render(request, "patients/classification.html", context)
