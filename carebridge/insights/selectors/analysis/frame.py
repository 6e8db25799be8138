"""Read selected responses into a :class:`~carebridge.insights.domain.analysis.frame.ResponseFrame`.

The one frame loader of the insights app: the analysis pages, the API, background runs and the monthly
report's department comparison all read responses through :func:`load_frame`, so a number computed
from a frame is computed from the same rows, in the same order, wherever it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from carebridge.core.models import Department, Hospital, Ward
from carebridge.surveys.models import InstrumentVersion, Response, Wave

if TYPE_CHECKING:
    from carebridge.insights.domain.analysis.frame import ResponseFrame


def _labels(rows: list[dict[str, Any]]) -> dict[str, dict[int, str]]:
    def ids(key: str) -> set[int]:
        return {r[key] for r in rows if r[key] is not None}

    return {
        "department": dict(Department.objects.filter(id__in=ids("department_id")).values_list("id", "name")),
        "ward": dict(Ward.objects.filter(id__in=ids("ward_id")).values_list("id", "name")),
        "hospital": dict(Hospital.objects.filter(id__in=ids("hospital_id")).values_list("id", "name")),
    }


def load_frame(queryset: QuerySet[Response], *, version_id: int | None = None) -> ResponseFrame:
    """Read the (already scoped) responses into a :class:`ResponseFrame`, in submission order.

    ``min_group`` is the largest ``min_report_group`` of the anonymous waves among them (0 when none is
    anonymous); the analysed version is ``version_id`` or the one most responses answered."""
    # pandas is imported with the frame builder, on the first analysis, not with the URL conf (issue 18).
    from carebridge.insights.domain.analysis.frame import FIELDS, build_frame, primary_version

    rows = list(queryset.order_by("submitted_at", "id").values(*FIELDS))
    versions = {v.pk: v for v in InstrumentVersion.objects.filter(id__in={r["version_id"] for r in rows})}
    primary_id = primary_version(rows, version_id)
    primary = versions.get(primary_id) if primary_id is not None else None
    if primary is None and primary_id is not None:
        primary = InstrumentVersion.objects.filter(pk=primary_id).first()
    wave_ids = {r["wave_id"] for r in rows if r["wave_id"] is not None}
    minimums = Wave.objects.filter(id__in=wave_ids, anonymous=True).values_list("min_report_group", flat=True)
    return build_frame(
        rows,
        versions=versions,
        primary=primary,
        min_group=max(minimums, default=0),
        labels=_labels(rows),
        language=get_language() or "zh-hans",
    )
