"""Open the care plan when an inpatient stay is saved, and discharge it when the stay is saved ended.

Stays arrive by many paths (the registry's page and API, imports, HL7 ADT messages later), so the hook
sits on the stay itself. It only schedules work for after the stay's transaction commits (the stay's
diagnoses are written after the stay row, and the tier policy needs them) and never lets a follow-up
problem undo the stay: a failure is logged and ``care_plans_ensure`` (beat) retries. Rows written
without signals (``bulk_create``) are picked up by the same periodic task.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Encounter, dispatch_uid="followup.encounter_saved")
def encounter_saved(sender: Any, instance: Encounter, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.kind != EncounterKind.INPATIENT:
        return
    encounter_id = instance.pk
    transaction.on_commit(lambda: plan_for_encounter(encounter_id))


def plan_for_encounter(encounter_id: int) -> None:
    """Open (and, when the stay has ended, discharge) the plan of one stay; idempotent."""
    from carebridge.followup.services import care_plan_open, stay_discharge

    try:
        encounter = Encounter.objects.get(pk=encounter_id)
        plan = care_plan_open(encounter=encounter)
        if encounter.ended_at is not None and plan.discharged_at is None:
            stay_discharge(encounter=encounter, ended_at=encounter.ended_at, actor=None)
    except Exception:  # the stay is saved whatever happens here; the periodic task retries
        logger.exception("Follow-up could not handle stay %s; care_plans_ensure will retry.", encounter_id)
