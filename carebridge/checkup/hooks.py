"""What the checkup centre registers with the rest of CareBridge; ``apps.CheckupConfig.ready()`` imports
this module.

- **The patient timeline.** A person's checkup visits, for users who may see the centre's visits (the
  data scope decides): the patient's page in the registry shows them beside the other encounters.

The events the centre announces for the apps above it (``result_recorded``, ``signoff_checking``) are
defined in ``domain.events``; their receivers live in those apps' own ``hooks.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from carebridge.checkup.models import Visit
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
