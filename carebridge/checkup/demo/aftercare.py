"""Demo step 63: the phone follow-up of the last month's abnormal findings. The centre's signatures of
step 60 are written in bulk (no after-commit hook runs), so this step hands the visits signed in the
last 30 days to follow-up through ``aftercare_schedule``, as each signature would have: the call queue
(``/followup/``) then holds the checkup calls due by risk level."""

from __future__ import annotations

import datetime as dt

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.models import Visit
from carebridge.checkup.services.aftercare import aftercare_schedule
from carebridge.core.demo.steps import DemoContext, register_step

DAYS = 30


@register_step(63, "checkup centre: phone follow-up of the last month's abnormal findings")
def seed_checkup_aftercare(context: DemoContext) -> None:
    since = dt.datetime(
        context.as_of.year, context.as_of.month, context.as_of.day, tzinfo=dt.UTC
    ) - dt.timedelta(days=DAYS)
    visits = (
        Visit.objects.filter(status__in=(VisitStatus.SIGNED, VisitStatus.RELEASED), signed_at__gte=since)
        .select_related("patient", "hospital", "department", "examiner")
        .order_by("signed_at", "id")
    )
    calls = sum(1 for visit in visits if aftercare_schedule(visit=visit, at=visit.signed_at) is not None)
    context.log(f"checkup: {calls} phone follow-up calls for abnormal findings of the last {DAYS} days")
