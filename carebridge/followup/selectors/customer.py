"""The customer file (客户档案): one view of the relationship with a patient, read through the user's scope.

Stays, their care plans with touchpoints and call attempts, complaints, survey responses and the customer
file of the admission interview, with the seed's classification (专科分类、病种分类和地域分类: specialty =
department, disease = ICD-10 chapter and category, region = GB/T 2260 province, city, county).

Every part is scoped by its own selector: stays by ``patients.selectors.encounter_list`` (departments in
scope), plans by ``followup.selectors.plan_list``, complaints by ``desk.selectors.complaint_list``. Survey
responses are shown when they answer a stay the user may see (a project manager runs the discharge survey
of their ward), or with ``surveys.view_response``; anonymous responses have no patient and never appear.
The follow-up calls outside any stay (``services.standalone``: an abnormal checkup finding, a recheck
after a critical result) are listed with their reason, status and what the recheck found, through the
touchpoints' own scope. Phone numbers are masked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import get_language

from carebridge.complaints.selectors.complaints import complaint_list
from carebridge.core.masking import mask_phone
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor
from carebridge.followup.models import CallAttempt, CallIssue, CarePlan, Touchpoint
from carebridge.followup.selectors.plans import plan_list
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.selectors.classification import chapter_title
from carebridge.patients.selectors.encounters import encounter_list


@dataclass(frozen=True)
class ClassItem:
    key: str
    label: str
    count: int


@dataclass
class CustomerFileView:
    patient: Patient
    stays: list[tuple[Encounter, CarePlan | None]]
    encounters: int
    attempts: list[CallAttempt]
    issues: list[CallIssue]
    complaints: list[Any]
    responses: list[Any]
    standalone_calls: list[Touchpoint] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    expectations: str = ""
    preferences: str = ""
    contacts: list[dict[str, str]] = field(default_factory=list)
    specialties: list[ClassItem] = field(default_factory=list)
    diseases: list[ClassItem] = field(default_factory=list)
    region: list[str] = field(default_factory=list)


def _region_path(patient: Patient) -> list[str]:
    """Province, city, county of the patient's region code (the registry keeps the parents)."""
    path, region = [], patient.region
    while region is not None:
        path.append(region.name)
        region = region.parent
    return list(reversed(path))


def _classify(encounters: list[Encounter]) -> tuple[list[ClassItem], list[ClassItem]]:
    specialties = Counter((e.department_id, e.department.name) for e in encounters)
    language = get_language() or "zh-hans"
    chapters: Counter[tuple[int, str]] = Counter()
    categories: dict[int, set[str]] = {}
    for encounter in encounters:
        for diagnosis in encounter.diagnoses.all():
            chapters[(diagnosis.chapter, chapter_title(diagnosis.chapter, language))] += 1
            categories.setdefault(diagnosis.chapter, set()).add(f"{diagnosis.category} {diagnosis.name}")
    return (
        [ClassItem(str(pk), name, n) for (pk, name), n in specialties.most_common()],
        [
            ClassItem(str(number), f"{title} · {'、'.join(sorted(categories[number]))}", n)
            for (number, title), n in sorted(chapters.items())
        ],
    )


def _responses(user: Actor, patient: Patient, encounter_ids: list[int]) -> list[Any]:
    from carebridge.surveys.models import Response

    visible = Q(encounter_id__in=encounter_ids)
    if user.has_perm("surveys.view_response"):
        scope = scope_for(user)
        visible |= scope.q(hospital="hospital", department="department")
    return list(
        Response.objects.filter(visible, patient=patient)
        .select_related("department", "version")
        .order_by("-submitted_at")[:50]
    )


def _standalone_calls(user: Actor, patient: Patient, attempts_qs: Any) -> list[Touchpoint]:
    """The calls outside any care plan (checkup findings, critical-result rechecks), newest first."""
    if not user.has_perm("followup.view_touchpoint"):
        return []
    return list(
        restrict(Touchpoint.objects.filter(plan__isnull=True, patient=patient), user)
        .select_related("owner", "department")
        .prefetch_related(Prefetch("attempts", queryset=attempts_qs))
        .order_by("-created_at", "-id")[:50]
    )


def customer_file(*, user: Actor, patient: Patient) -> CustomerFileView:
    """Everything the user may see of the relationship with ``patient`` (already read through the scope)."""
    encounters = list(
        encounter_list(user=user)
        .filter(patient=patient)
        .select_related("department", "ward", "attending_doctor", "primary_nurse")
        .prefetch_related("diagnoses")
        .order_by("-started_at")
    )
    attempts_qs = CallAttempt.objects.select_related("agent", "phone").prefetch_related("issues__complaint")
    plans = {
        plan.encounter_id: plan
        for plan in plan_list(user=user)
        .filter(patient=patient)
        .select_related("owner", "ward", "department")
        .prefetch_related(
            Prefetch(
                "touchpoints",
                queryset=Touchpoint.objects.select_related("owner").prefetch_related(
                    Prefetch("attempts", queryset=attempts_qs)
                ),
            )
        )
    }
    stays = [(e, plans.get(e.pk)) for e in encounters if e.kind == "inpatient"]
    standalone = _standalone_calls(user, patient, attempts_qs)
    attempts = sorted(
        [
            *(a for plan in plans.values() for t in plan.touchpoints.all() for a in t.attempts.all()),
            *(a for t in standalone for a in t.attempts.all()),
        ],
        key=lambda a: a.at,
        reverse=True,
    )
    issues = [issue for attempt in attempts for issue in attempt.issues.all()]
    complaints = list(complaint_list(user=user).filter(patient=patient).order_by("-received_at", "-id")[:50])
    latest_file: dict[str, Any] = next(
        (
            p.customer_file
            for p in sorted(plans.values(), key=lambda p: p.admitted_at, reverse=True)
            if p.customer_file
        ),
        {},
    )
    specialties, diseases = _classify(encounters)
    return CustomerFileView(
        patient=patient,
        stays=stays,
        encounters=len(encounters),
        attempts=attempts,
        issues=issues,
        complaints=complaints,
        responses=_responses(user, patient, [e.pk for e in encounters]),
        standalone_calls=standalone,
        needs=list(latest_file.get("needs", [])),
        expectations=str(latest_file.get("expectations", "")),
        preferences=str(latest_file.get("preferences", "")),
        contacts=[
            {
                "name": str(c.get("name", "")),
                "relationship": str(c.get("relationship", "")),
                "phone": mask_phone(str(c.get("phone", ""))),
            }
            for c in latest_file.get("contacts", [])
        ],
        specialties=specialties,
        diseases=diseases,
        region=_region_path(patient),
    )
