"""Reading the results of clinical encounters (a ward's laboratory results from the LIS): who may see
them is who may see the patient's encounters (``patients.view_encounter``) in the encounter's
department — the ward's staff, not the checkup centre's."""

from __future__ import annotations

from django.db.models import QuerySet

from carebridge.checkup.choices import VisitKind
from carebridge.checkup.models import Result
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.patients.models import Patient

CLINICAL_READ = "patients.view_encounter"


def clinical_results_for_patient(*, patient: Patient, user: Actor) -> QuerySet[Result]:
    """The patient's clinical results in ``user``'s scope, newest first."""
    return (
        restrict(
            Result.objects.filter(visit__patient=patient, visit__kind=VisitKind.CLINICAL),
            user,
            permission=CLINICAL_READ,
        )
        .select_related("item", "visit__department", "visit__encounter__ward")
        .prefetch_related("item__coded_values")
        .order_by("-recorded_at", "-id")
    )
