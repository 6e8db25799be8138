"""Pages of staff standards: the staff list, a staff profile (posts, admission assessments, rotation,
certificates, training due) and the rotation plan with post coverage per week."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.performance.selectors.staffing import (
    assessments_of,
    assignments_of,
    due_to_rotate,
    post_coverage,
    rotation_plan,
    staff_get,
    staff_list,
)
from carebridge.performance.selectors.training import certificates, mandatory_due, training_year


@login_required
@permission_required("performance.view_postassignment", raise_exception=True)
def staff(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("search", "")
    return render(request, "performance/staff.html", {"rows": staff_list(user=request.user, search=search)})


@login_required
@permission_required("performance.view_postassignment", raise_exception=True)
def staff_profile(request: HttpRequest, pk: int) -> HttpResponse:
    person = staff_get(user=request.user, pk=pk)
    year = timezone.localdate().year
    hours = next(
        (p for p in training_year(user=request.user, year=year).persons if p.staff.pk == person.pk), None
    )
    today = timezone.localdate()
    context = {
        "person": person,
        "assignments": assignments_of(user=request.user, staff=person),
        "assessments": assessments_of(user=request.user, staff=person),
        "certificates": certificates(user=request.user, staff=person),
        "due": mandatory_due(user=request.user, staff=person),
        "hours": hours,
        "year": year,
        "today": today,
    }
    return render(request, "performance/staff_profile.html", context)


@login_required
@permission_required("performance.view_postassignment", raise_exception=True)
def rotation(request: HttpRequest) -> HttpResponse:
    context = {
        "coverage": post_coverage(user=request.user),
        "due": due_to_rotate(user=request.user),
        "plan": rotation_plan(user=request.user),
    }
    return render(request, "performance/rotation.html", context)
