"""The responses of a :class:`~carebridge.insights.domain.analysis.selection.Selection` in a user's
data scope, and the keys that identify "this analysis of these answers as this user may see them".

:func:`responses_for` is the only way the analysis layer reads responses: it refuses users without
``surveys.analyse_surveys`` and starts from :func:`carebridge.insights.selectors.responses.responses_visible`,
so a ward manager of 儿科 never gets a number computed from 心内科 answers.

:func:`selection_key` identifies "this analysis of these answers as this user may see them": the
selection, the parameters, the scope and the language (and, for comments, whether the user may read
their texts), hashed. :func:`data_version` changes whenever
a response is added to or removed from the selection; together they key cached results and runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carebridge.core.scope import DataScope, scope_for
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AggregateRefresh
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.surveys.models import Response

# Who may read the texts of comments (the comments analysis quotes examples only for them).
COMMENTS_PERMISSION = "insights.view_comments"
# The settled count of a selection is kept until two nightly refreshes have passed (each refresh makes
# a new key; the old ones only expire).
SETTLED_SECONDS = 2 * 24 * 3600
# How long a response's transaction may take to commit and still count as settled.
SETTLE_MARGIN = dt.timedelta(hours=1)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def responses_for(*, user: Actor, selection: Selection) -> QuerySet[Response]:
    """The responses of the selection that the user may analyse (refused without the permission)."""
    if not user.has_perm(ANALYSE_PERMISSION):
        raise PermissionDenied(_("You may not analyse survey results."))
    queryset = responses_visible(user=user).filter(version__instrument_id=selection.instrument_id)
    if selection.version_id is not None:
        queryset = queryset.filter(version_id=selection.version_id)
    if selection.wave_id is not None:
        queryset = queryset.filter(wave_id=selection.wave_id)
    if selection.department_id is not None:
        queryset = queryset.filter(department_id=selection.department_id)
    if selection.date_from is not None:
        queryset = queryset.filter(submitted_at__gte=_start_of(selection.date_from))
    if selection.date_to is not None:
        queryset = queryset.filter(submitted_at__lt=_start_of(selection.date_to + dt.timedelta(days=1)))
    return queryset


def scope_signature(scope: DataScope) -> str:
    """The scope as text: two users with the same signature see exactly the same responses."""

    def part(ids: frozenset[int] | None) -> str:
        return "*" if ids is None else ",".join(str(i) for i in sorted(ids))

    return f"h={part(scope.hospital_ids)};d={part(scope.department_ids)}"


def selection_key(*, user: Actor, kind: str, selection: Selection, parameters: dict[str, Any]) -> str:
    """SHA-256 of the analysis kind, selection, parameters, the user's scope and the language; for the
    comments, also whether the user may read their texts (the result quotes examples only then)."""
    body: dict[str, Any] = {
        "kind": kind,
        "selection": selection.as_json(),
        "parameters": parameters,
        "scope": scope_signature(scope_for(user)),
        "language": get_language() or "zh-hans",
    }
    if kind == "comments":
        body["examples"] = bool(user.has_perm(COMMENTS_PERMISSION))
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_version(queryset: QuerySet[Response]) -> str:
    """ "count:last id" of the selected responses: responses are never edited, only added (or
    removed by an administrator), so this changes exactly when the answers analysed change.

    Counting a selection of millions of responses on every request cost more than the page (1.6 s at
    10,000,000, bench/insights_dashboard.py). The responses up to :func:`settled_response_id` are
    counted once and kept in the cache; only the later ones — a day's at most — are counted per request.
    A response removed by hand below that id shows in the version after the next refresh."""
    queryset = queryset.order_by()
    settled = settled_response_id()
    recent = queryset.filter(pk__gt=settled).aggregate(n=Count("id"), last=Max("id"))
    n, last = recent["n"], recent["last"]
    if settled:
        before = queryset.filter(pk__lte=settled)
        try:
            sql, params = before.query.sql_with_params()
        except EmptyResultSet:  # an empty scope (``restrict`` gives ``none()``): nothing to count
            return f"{n}:{last or 0}"
        key = "insights:settled:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        counted = cache.get(key)
        if counted is None:
            numbers = before.aggregate(n=Count("id"), last=Max("id"))
            counted = (numbers["n"], numbers["last"] or 0)
            cache.set(key, counted, SETTLED_SECONDS)
        n, last = n + counted[0], last or counted[1]
    return f"{n}:{last or 0}"


def settled_response_id(*, now: dt.datetime | None = None) -> int:
    """The last response id of the newest aggregate refresh that started ``SETTLE_MARGIN`` ago or
    earlier (0 before any): ids are handed out in order, so every response up to it had its id before
    that refresh began and has committed since, unless its transaction ran for longer than the margin.
    Not the insert time: anonymous answers are stored with the day's start as their time."""
    since = (now or timezone.now()) - SETTLE_MARGIN
    refreshes = AggregateRefresh.objects.filter(started_at__lte=since)
    return refreshes.values_list("last_response_id", flat=True).first() or 0
