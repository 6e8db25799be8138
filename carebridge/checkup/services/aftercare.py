"""After the visit (检后): abnormal results that are not critical are handed to phone follow-up (篇8 2.3:
"对体检有问题者定期进行电话随访 … 对有其他异常结果的体检者，及时通知其就医，或作进一步检查").

This is the one place that talks to the follow-up app. Follow-up today keeps touchpoints only inside a
care plan, and a care plan only for an inpatient stay (``care_plan_open`` refuses other encounters);
it has no service for an ad-hoc touchpoint. Until it has one, the hand-off selects the findings and logs
them, and nothing is written in follow-up: the chief examiner's conclusion lines carry the advice, and
the statistics page lists the people with abnormal findings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from carebridge.checkup.choices import ResultFlag
from carebridge.checkup.models import Result, Visit

logger = logging.getLogger(__name__)


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


def aftercare_hand_off(*, visit_id: int) -> list[FollowUpNeed]:
    """Called after a signature commits. Returns what follow-up should receive; see the module's note
    for why no touchpoint is created yet."""
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return []
    needs = aftercare_findings(visit)
    if needs:
        logger.info(
            "Checkup visit %s: %s abnormal findings for follow-up (no ad-hoc touchpoint service yet).",
            visit.number,
            len(needs),
        )
    return needs
