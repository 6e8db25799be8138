"""Reads of encounters: only those of the departments in the user's scope, so a record never leaks what
another department recorded."""

from __future__ import annotations

from django.db.models import QuerySet

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.patients.models import Encounter, Patient


def encounter_list(*, user: Actor) -> QuerySet[Encounter]:
    """Encounters of the departments in the user's scope."""
    return restrict(Encounter.objects.all(), user, "view")


def encounter_list_for_patient(*, patient: Patient, user: Actor) -> QuerySet[Encounter]:
    return (
        encounter_list(user=user)
        .filter(patient=patient)
        .select_related("department", "ward", "attending_doctor", "primary_nurse")
        .prefetch_related("diagnoses")
        .order_by("-started_at")
    )
