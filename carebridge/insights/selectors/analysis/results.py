"""One analysis of a selection, as a user may see it: the entry point of pages, the API and runs.

:func:`analyse` is what the pages, the API and background runs call::

    result = analyse(user=request.user, selection=Selection(instrument_id=3), kind="benchmark",
                     parameters={"by": "ward", "adjusters": ["age_band", "srh"]})

It reads the selection in the user's scope (``selection.responses_for``), builds the frame
(``frame.load_frame``) and returns the analysis's JSON-ready dict (``domain.analysis.kinds.compute``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.kinds import Progress, clean_parameters, compute
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.analysis.frame import load_frame
from carebridge.insights.selectors.analysis.selection import COMMENTS_PERMISSION, responses_for


def analyse(
    *,
    user: Actor,
    selection: Selection,
    kind: str,
    parameters: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    include_examples: bool | None = None,
) -> dict[str, Any]:
    """Run analysis ``kind`` on the responses of ``selection`` that ``user`` may see.

    Raises ``PermissionDenied`` without ``surveys.analyse_surveys`` and ``StatsInputError`` (a
    ``ValueError`` with a readable message) when the data cannot support the analysis. Comment
    examples are included only for users with ``insights.view_comments`` (or as ``include_examples``
    says: a background run decides by its requester's right when it was asked for).
    """
    cleaned = clean_parameters(kind, parameters)
    frame = load_frame(responses_for(user=user, selection=selection), version_id=selection.version_id)
    if progress is not None:
        progress(5)
    return compute(
        kind,
        frame,
        cleaned,
        include_examples=bool(user.has_perm(COMMENTS_PERMISSION))
        if include_examples is None
        else include_examples,
        progress=progress,
    )
