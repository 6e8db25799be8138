"""Weights of a draft instrument version set with the AHP editor (层次分析法赋权).

The editor sends the pairwise judgements of the children of one node (the dimensions, one dimension's
indicators or one indicator's items). A consistent matrix (CR < 0.10) sets their weights through the
instrument service ``draft_set_weights`` (which refuses anything but an editable draft); an
inconsistent one is refused with the judgements that disagree most, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.ahp import AhpCheck, ahp_check
from carebridge.insights.domain.weights import inconsistency_message
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.models import InstrumentVersion
from carebridge.surveys.services.instruments import draft_set_weights

Level = Literal["dimension", "indicator", "item"]


@transaction.atomic
def weights_set_by_ahp(
    *,
    version: InstrumentVersion,
    actor: Actor,
    level: Level,
    parent_code: str | None,
    labels: Sequence[str],
    matrix: np.ndarray,
) -> AhpCheck:
    """Set the weights of ``labels`` (children codes of the node) from the judgement ``matrix``.

    Raises ``ValidationError`` (field ``matrix``) for an inconsistent or malformed matrix, and whatever
    ``draft_set_weights`` raises for a version that is not an editable draft; nothing is written then.
    """
    try:
        check = ahp_check(labels, matrix)
    except StatsInputError as error:
        raise ValidationError({"matrix": [str(error)]}) from error
    if not check.consistent:
        raise ValidationError({"matrix": [inconsistency_message(check)]})
    weights = {code: round(weight, 6) for code, weight in check.weights.items()}
    draft_set_weights(version=version, actor=actor, level=level, parent_code=parent_code, weights=weights)
    audit_record(
        actor=actor,
        action="insights.ahp_weights_set",
        obj=version,
        summary=f"{level} {parent_code or ''} CR={check.cr:.3f}".strip(),
        changes={"level": level, "parent_code": parent_code, "weights": weights, "cr": round(check.cr, 4)},
    )
    return check
