"""A fast analysis as the pages and the API show it: computed on the request and cached, or — on a
selection too large to analyse during a request — computed by a background run while the last figures
are shown.

:func:`analysis_request` is what the analysis tabs and ``GET /api/v1/insights/analyses/{kind}/`` call.
Under ``INSIGHTS_INLINE_RESPONSES`` responses it analyses on the request and caches the result for the
same key and data version. From that many up no analysis is computed on the request (at 10,000,000
responses the indexes took 284 s and 15 GB, and every new answer made a new data version): a run
(``services.runs``) computes it, reused for the same answers, and meanwhile the last finished run's
figures are returned, marked as earlier ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from carebridge.core.types import Actor
from carebridge.insights.choices import RunStatus
from carebridge.insights.domain.analysis.kinds import clean_parameters
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.analysis.results import analyse
from carebridge.insights.selectors.analysis.selection import data_version, responses_for, selection_key
from carebridge.insights.selectors.runs import (
    RETRY_FAILED_AFTER,
    run_active,
    run_failed_lately,
    run_latest_done,
    run_reusable,
)
from carebridge.insights.services.runs import run_request

CACHE_SECONDS = 600
# A large selection's figures are computed again at most this often while answers keep arriving.
RECOMPUTE_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Analysed:
    """What a fast analysis shows: the result for the current answers; or, on a selection too large to
    analyse during the request, the background ``run`` that computes it (None when none is due) and the
    last finished run (``earlier``, None before the first), whose figures are shown meanwhile."""

    result: dict[str, Any] | None
    run: AnalysisRun | None = None
    earlier: AnalysisRun | None = None
    current: bool = True  # the figures are those of the answers as they are now
    error: str = ""
    failure: str = ""  # why the run failed (``RunFailure``), with ``error``
    retry_at: dt.datetime | None = None  # with ``error``: when a request asks for a new run


def analysis_request(
    *, user: Actor, selection: Selection, kind: str, parameters: dict[str, Any] | None = None
) -> Analysed:
    """Fast analysis ``kind`` of ``selection`` in ``user``'s scope: the same analysis, scope and answers
    give the cached result; a large selection is handed to a background run.

    Raises ``StatsInputError`` for parameters or data the analysis cannot take (inline)."""
    cleaned = clean_parameters(kind, parameters)
    version = data_version(responses_for(user=user, selection=selection))
    digest = selection_key(user=user, kind=kind, selection=selection, parameters=cleaned)
    key = f"insights:{digest}:{version}"
    result = cache.get(key)
    if result is not None:
        return Analysed(result)
    responses = int(version.split(":", 1)[0])
    if responses < settings.INSIGHTS_INLINE_RESPONSES:
        result = analyse(user=user, selection=selection, kind=kind, parameters=cleaned)
        cache.set(key, result, CACHE_SECONDS)
        return Analysed(result)
    analysed = _in_background(user, selection, kind, cleaned, digest=digest, version=version)
    if analysed.current and analysed.result is not None:
        cache.set(key, analysed.result, CACHE_SECONDS)
    return analysed


def _in_background(
    user: Actor, selection: Selection, kind: str, cleaned: dict[str, Any], *, digest: str, version: str
) -> Analysed:
    """A large selection: the finished run for the current answers; else the last finished figures
    with, at most, one run computing for the selection at a time (whatever answers it started from) —
    a new one only when none is queued or running and the last figures are ``RECOMPUTE_AFTER`` old,
    so answers arriving all day do not queue a run each. A run that failed lately shows its error
    beside the last figures instead of being asked again at once."""
    exact = run_reusable(key=digest, version=version)
    if exact is not None and exact.status == RunStatus.DONE:
        return Analysed(exact.result)
    earlier = run_latest_done(key=digest)
    figures = earlier.result if earlier is not None else None
    failed = run_failed_lately(key=digest)
    if failed is not None:
        retry_at = (failed.finished_at or timezone.now()) + RETRY_FAILED_AFTER
        return Analysed(
            figures,
            earlier=earlier,
            current=False,
            error=failed.error,
            failure=failed.failure,
            retry_at=retry_at,
        )
    run = exact or run_active(key=digest)
    due = earlier is None or (earlier.finished_at or timezone.now()) < timezone.now() - RECOMPUTE_AFTER
    if run is None and due:
        run = run_request(user=user, kind=kind, selection=selection, parameters=cleaned)
    return Analysed(figures, run=run, earlier=earlier, current=False)
