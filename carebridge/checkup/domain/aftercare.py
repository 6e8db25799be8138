"""After the visit (检后): which signed visits get a follow-up phone call, how soon, and at what rank.

篇8 2.3: "对体检有问题者定期进行电话随访，并给予相应的健康指导，对有其他异常结果的体检者，及时通知其就医，或作
进一步检查"; 篇7 2.2.4 grades the person's overall risk in five levels. The seeds set no intervals: the
table below is this product's default (documented in docs/checkup.md), keyed by the signed risk level —

- level 1 (highly suspected tumour, severe chronic disease): call the next day, first in the queue —
  urge a doctor's visit or further tests, then ask what was found;
- level 2 (moderate chronic disease, abnormal tumour markers): within a week, first rank;
- level 3 (mild or newly diagnosed chronic disease): within a month;
- level 4 (risk factors only): within three months, lifestyle guidance;
- level 5 (normal or well controlled): no call.

Only abnormal results that are not critical count (a critical result is phoned "at the first moment" by
the critical-result app, 篇7 2.2.5); a visit without such a finding gets no call whatever its level. A
visit without a risk level (no rule set) is treated as level 3.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AftercareCall:
    level: int
    due_days: int  # due this many days after the signature
    rank: int  # queue rank: 1 first (follow-up's tier ranks A=1, B=2, C=3)


AFTERCARE_BY_LEVEL: dict[int, AftercareCall | None] = {
    1: AftercareCall(level=1, due_days=1, rank=1),
    2: AftercareCall(level=2, due_days=7, rank=1),
    3: AftercareCall(level=3, due_days=30, rank=2),
    4: AftercareCall(level=4, due_days=90, rank=3),
    5: None,
}
UNGRADED_LEVEL = 3
# The findings named in the call's title (the agent sees every one on the visit).
TITLE_FINDINGS = 3


def aftercare_call(*, risk_level: int | None, findings: int) -> AftercareCall | None:
    """The call a signed visit needs, or ``None``."""
    if findings <= 0:
        return None
    return AFTERCARE_BY_LEVEL.get(risk_level if risk_level is not None else UNGRADED_LEVEL)
