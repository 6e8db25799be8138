"""The responses of a :class:`~carebridge.insights.domain.analysis.selection.Selection` in a user's
data scope, and the keys that identify "this analysis of these answers as this user may see them".

:func:`responses_for` is the only way the analysis layer reads responses: it refuses users without
``surveys.analyse_surveys`` and starts from :func:`carebridge.insights.selectors.responses.responses_visible`,
so a ward manager of 儿科 never gets a number computed from 心内科 answers.

:func:`selection_key` identifies "this analysis of these answers as this user may see them": the
selection, the parameters, the scope and the language, hashed. :func:`data_version` changes whenever
a response is added to or removed from the selection; together they key cached results and runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carebridge.core.scope import DataScope, scope_for
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.surveys.models import Response


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
    """SHA-256 of the analysis kind, selection, parameters, the user's scope and the language."""
    body = {
        "kind": kind,
        "selection": selection.as_json(),
        "parameters": parameters,
        "scope": scope_signature(scope_for(user)),
        "language": get_language() or "zh-hans",
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_version(queryset: QuerySet[Response]) -> str:
    """ "count:last id" of the selected responses: responses are never edited, only added (or
    removed by an administrator), so this changes exactly when the answers analysed change."""
    numbers = queryset.order_by().aggregate(n=Count("id"), last=Max("id"))
    return f"{numbers['n']}:{numbers['last'] or 0}"
