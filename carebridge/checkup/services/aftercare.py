"""After the visit (检后): a signed visit with abnormal findings that are not critical gets a phone
follow-up call in the follow-up app's ordinary call queue (篇8 2.3 "对体检有问题者定期进行电话随访 … 对有
其他异常结果的体检者，及时通知其就医，或作进一步检查"), how soon and at what rank by its risk level
(``domain.aftercare``). The call is a standalone touchpoint (``followup.services.standalone``) linked to
the visit; the agent records whether the person saw a doctor and what was found.

Critical results are left out: the apps above say which results they follow up themselves
(``domain.events.aftercare_excluding``). Checkup calls follow-up (a lower layer), never the reverse.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.choices import ResultFlag, VisitStatus
from carebridge.checkup.domain.aftercare import TITLE_FINDINGS, aftercare_call
from carebridge.checkup.domain.events import aftercare_excluding
from carebridge.checkup.models import Result, Visit
from carebridge.followup.choices import StandaloneReason
from carebridge.followup.models import Touchpoint
from carebridge.followup.services.standalone import standalone_call_schedule, standalone_calls_for

logger = logging.getLogger(__name__)

# A call due later than this is offered to the queue this long before its due time.
LATER_CALL_LEAD = dt.timedelta(days=7)


@dataclass(frozen=True)
class FollowUpNeed:
    result_id: int
    item: str
    value: str


def aftercare_findings(
    visit: Visit, *, critical_result_ids: frozenset[int] = frozenset()
) -> list[FollowUpNeed]:
    """The abnormal results of a visit that follow-up should call about (critical ones excluded: the
    critical-result app notifies those at once)."""
    results = (
        Result.objects.filter(visit=visit)
        .exclude(flag=ResultFlag.NORMAL)
        .exclude(pk__in=critical_result_ids)
        .select_related("item")
        .prefetch_related("item__coded_values")
        .order_by("item__sequence", "id")
    )
    return [FollowUpNeed(result.pk, result.item.name, result.display_value) for result in results]


def _excluded(visit: Visit) -> frozenset[int]:
    ids: set[int] = set()
    for _receiver, answer in aftercare_excluding.send(sender=Visit, visit=visit):
        ids.update(int(pk) for pk in answer or ())
    return frozenset(ids)


def aftercare_schedule(*, visit: Visit, at: dt.datetime | None = None) -> Touchpoint | None:
    """Schedule the follow-up call a signed visit needs (``None`` when it needs none). Idempotent: while
    the visit's call is open, that call is returned (a visit signed again after a correction)."""
    at = at or timezone.now()
    if visit.status not in (VisitStatus.SIGNED, VisitStatus.RELEASED):
        return None
    needs = aftercare_findings(visit, critical_result_ids=_excluded(visit))
    plan = aftercare_call(risk_level=visit.risk_level, findings=len(needs))
    if plan is None:
        return None
    named = "、".join(f"{need.item} {need.value}".strip() for need in needs[:TITLE_FINDINGS])
    if len(needs) > TITLE_FINDINGS:
        named += " " + _("and %(count)s more") % {"count": len(needs) - TITLE_FINDINGS}
    title = _("Checkup follow-up (risk level %(level)s): %(findings)s") % {
        "level": plan.level,
        "findings": named,
    }
    notes = "\n".join(f"{need.item}: {need.value}" for need in needs)
    examiner = visit.examiner
    due = (visit.signed_at or at) + dt.timedelta(days=plan.due_days)
    return standalone_call_schedule(
        patient=visit.patient,
        reason=StandaloneReason.CHECKUP_ABNORMAL,
        title=title,
        origin=visit,
        origin_label=_("Checkup %(number)s on %(date)s")
        % {"number": visit.number, "date": visit.scheduled_for},
        hospital=visit.hospital,
        department=visit.department,
        due_at=due,
        # Like follow-up's later tier calls: offered to the queue a week before they are due.
        not_before=max(at, due - LATER_CALL_LEAD),
        rank=plan.rank,
        notes=notes,
        actor=examiner,
        at=at,
    )


def aftercare_calls(visit: Visit) -> list[Touchpoint]:
    """The follow-up calls made for a visit, oldest first (for the visit's pages)."""
    return list(standalone_calls_for(visit, reason=StandaloneReason.CHECKUP_ABNORMAL))


def aftercare_hand_off(*, visit_id: int) -> Touchpoint | None:
    """Called after a signature commits: schedule the visit's follow-up call. A refusal (the person
    died, …) is logged, never raised: the signature stands."""
    visit = (
        Visit.objects.select_related("patient", "hospital", "department", "examiner")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        return None
    try:
        return aftercare_schedule(visit=visit)
    except ValidationError:
        logger.warning("Checkup visit %s: no follow-up call scheduled.", visit.number, exc_info=True)
        return None
