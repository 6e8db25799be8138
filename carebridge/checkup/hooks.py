"""What the checkup centre registers with the rest of CareBridge; ``apps.CheckupConfig.ready()`` imports
this module.

- **The patient timeline.** A person's checkup visits, for users who may see the centre's visits (the
  data scope decides): the patient's page in the registry shows them beside the other encounters.
- **Clinical results on the patient timeline.** The results of an inpatient's or outpatient's encounter
  (a ward's laboratory results from the LIS), for users who may see that encounter's department.

The events the centre announces for the apps above it (``result_recorded``, ``signoff_checking``) are
defined in ``domain.events``; their receivers live in those apps' own ``hooks.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from carebridge.checkup.choices import ResultFlag
from carebridge.checkup.models import Visit
from carebridge.checkup.selectors.clinical import clinical_results_for_patient
from carebridge.core.scope import restrict
from carebridge.core.timeline import TimelineEntry
from carebridge.core.timeline import register as timeline_register


@timeline_register
def visit_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    visits = (
        restrict(Visit.objects.filter(patient=patient, checked_in_at__isnull=False), user)
        .select_related("package")
        .order_by("-checked_in_at", "-id")[:20]
    )
    for visit in visits:
        detail = visit.get_status_display()
        if visit.risk_level:
            detail = f"{detail} · {visit.get_risk_level_display()}"
        yield TimelineEntry(
            at=visit.checked_in_at,  # type: ignore[arg-type]
            kind="checkup",
            title=_("Health checkup %(number)s") % {"number": visit.number},
            detail=f"{visit.package.name if visit.package else ''} {detail}".strip(),
            icon="clipboard2-pulse",
        )


_FLAG_MARK: dict[str, str] = {ResultFlag.HIGH: "↑", ResultFlag.LOW: "↓", ResultFlag.ABNORMAL: "*"}


@timeline_register
def clinical_result_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    for result in clinical_results_for_patient(patient=patient, user=user)[:30]:
        visit = result.visit
        place = visit.department.name
        encounter = visit.encounter
        if encounter is not None and encounter.ward is not None:
            place = f"{place} · {encounter.ward.name}"
        mark = _FLAG_MARK.get(result.flag, "")
        reference = _("reference %(range)s") % {"range": result.ref_text} if result.ref_text else ""
        yield TimelineEntry(
            at=result.recorded_at,
            kind="clinical_result",
            title=_("Laboratory result %(item)s %(value)s%(mark)s")
            % {"item": result.item.name, "value": result.display_value, "mark": mark},
            detail=" · ".join(part for part in (place, visit.number, reference) if part),
            icon="droplet",
        )
