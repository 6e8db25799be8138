"""Scoped reads of the monthly report: the month, the month's responses as frames, recovery cases,
trends.

Every read starts from :func:`carebridge.insights.selectors.responses.responses_visible` (the user's
permission and data scope): an executive or the quality office sees the whole hospital, a department
head only the responses of their own departments (so their report is a department report). Months are
calendar months in the hospital's time zone (``carebridge.lib.periods``); the database stores UTC.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, FilteredRelation, FloatField, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital
from carebridge.core.scope import scope_for
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.types import Actor
from carebridge.insights.selectors.analysis.frame import load_frame
from carebridge.lib.periods import Month, month_of, parse_month_label
from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain.instruments import NOT_APPLICABLE, ItemSpec
from carebridge.surveys.models import Instrument, Item, RecoveryCase, Response

if TYPE_CHECKING:
    import pandas as pd

    from carebridge.insights.domain.analysis.frame import ResponseFrame


def parse_month(value: str | None, *, zone: ZoneInfo, now: dt.datetime | None = None) -> Month:
    """``YYYY-MM`` as a :class:`~carebridge.lib.periods.Month`; empty means last month (the one a
    monthly report is about). Anything else is a ``ValidationError`` on the field ``month``."""
    if not value:
        today = timezone.localtime(now or timezone.now(), zone).date()
        last = today.replace(day=1) - dt.timedelta(days=1)
        return month_of(last.replace(day=1), zone)
    first_day = parse_month_label(value)
    if first_day is None:
        raise ValidationError({"month": _("Give the month as YYYY-MM, for example 2026-10.")})
    return month_of(first_day, zone)


def report_hospital(*, user: Actor) -> Hospital:
    """The hospital a user's report is about (their staff record's)."""
    return staff_hospital(user=user)


def hospital_zone(hospital: Hospital) -> ZoneInfo:
    return ZoneInfo(hospital.time_zone or "Asia/Shanghai")


def report_departments(*, user: Actor, hospital: Hospital) -> list[Department]:
    """The departments the report may name: all of the hospital's, or the user's own ones."""
    return list(
        scope_for(user).filter(
            Department.objects.filter(hospital=hospital), hospital="hospital", department="id"
        )
    )


@dataclass(frozen=True)
class InstrumentCount:
    instrument: Instrument
    n: int


def instruments_answered(*, responses: QuerySet[Response], month: Month) -> list[InstrumentCount]:
    """The instruments answered in the month, most answered first."""
    counts = (
        responses.filter(submitted_at__gte=month.start, submitted_at__lt=month.end)
        .values("version__instrument")
        .annotate(n=Count("id"))
        .order_by("-n", "version__instrument")
    )
    by_id = {row["version__instrument"]: row["n"] for row in counts}
    instruments = Instrument.objects.in_bulk(list(by_id))
    return [InstrumentCount(instruments[pk], n) for pk, n in by_id.items()]


def _value(raw: Any) -> float:
    if raw is None or raw == NOT_APPLICABLE or isinstance(raw, bool | list | dict | str):
        return math.nan
    return float(raw)


def response_frame(
    *, responses: QuerySet[Response], month: Month, instrument: Instrument, items: Sequence[ItemSpec]
) -> pd.DataFrame:
    """One row per response of the month to ``instrument``.

    Columns: ``id``, ``department_id``, ``ward_id``, ``wave_id``, ``version_id``, ``mode``, ``score``,
    ``dim:<code>`` (dimension indexes), ``<item code>`` (the answer on the item's own scale, NaN for
    "not applicable" or unanswered), ``text:<item code>`` (comments) and ``adj:<name>`` (patient-mix
    adjusters captured at submission).
    """
    rows = []
    # Every rating item, including a global rating asked in an unscored dimension (the drivers' outcome).
    scored = [spec for spec in items if spec.scale_min is not None]
    texts = [spec for spec in items if spec.item_type == ItemType.TEXT]
    queryset = responses.filter(
        submitted_at__gte=month.start, submitted_at__lt=month.end, version__instrument=instrument
    ).values_list(
        "id",
        "department_id",
        "ward_id",
        "wave_id",
        "version_id",
        "mode",
        "score",
        "dimension_scores",
        "answers",
        "adjusters",
    )
    for pk, department, ward, wave, version, mode, score, dims, answers, adjusters in queryset.iterator(
        chunk_size=2000
    ):
        row: dict[str, Any] = {
            "id": pk,
            "department_id": department,
            "ward_id": ward,
            "wave_id": wave,
            "version_id": version,
            "mode": mode,
            "score": math.nan if score is None else float(score),
        }
        for code, value in (dims or {}).items():
            row[f"dim:{code}"] = float(value)
        for spec in scored:
            row[spec.code] = _value((answers or {}).get(spec.code))
        for spec in texts:
            text = (answers or {}).get(spec.code)
            row[f"text:{spec.code}"] = text if isinstance(text, str) else ""
        for name, value in (adjusters or {}).items():
            row[f"adj:{name}"] = value
        rows.append(row)
    import pandas as pd  # on first use, not with the URL conf (issue 18)

    return pd.DataFrame(rows)


def report_frame(*, responses: QuerySet[Response], month: Month, instrument: Instrument) -> ResponseFrame:
    """The responses of the month to ``instrument`` as the analysis pages read them (``load_frame``):
    what the department comparison is computed from, so that it equals the benchmark page's."""
    return load_frame(
        responses.filter(
            submitted_at__gte=month.start, submitted_at__lt=month.end, version__instrument=instrument
        )
    )


def month_scores(*, responses: QuerySet[Response], instrument: Instrument, month: Month) -> pd.Series:
    """The overall indexes of the month's responses to ``instrument`` (for month-on-month tests)."""
    values = responses.filter(
        submitted_at__gte=month.start,
        submitted_at__lt=month.end,
        version__instrument=instrument,
        score__isnull=False,
    ).values_list("score", flat=True)
    import pandas as pd  # on first use, not with the URL conf (issue 18)

    return pd.Series(list(values), dtype=float)


@dataclass(frozen=True)
class RecoverySummary:
    """Service-recovery cases that responses of the month opened in the desk (DESIGN §5.4)."""

    opened: int
    closed: int
    closed_in_time: int
    open_overdue: int


def recovery_summary(*, responses: QuerySet[Response], month: Month, now: dt.datetime) -> RecoverySummary:
    """Cases opened from the month's responses; "in time" = the feedback deadline was met."""
    from carebridge.complaints.choices import ComplaintStatus, DeadlineKind
    from carebridge.complaints.selectors.overdue import overdue_q

    cases = RecoveryCase.objects.filter(
        response__in=responses.filter(submitted_at__gte=month.start, submitted_at__lt=month.end)
    )
    feedback_met = Q(
        complaint__deadlines__kind=DeadlineKind.FEEDBACK,
        complaint__deadlines__met_at__isnull=False,
        complaint__deadlines__met_at__lte=F("complaint__deadlines__due"),
    )
    totals = cases.aggregate(
        opened=Count("id", distinct=True),
        closed=Count("id", filter=Q(complaint__status=ComplaintStatus.CLOSED), distinct=True),
        in_time=Count("id", filter=Q(complaint__status=ComplaintStatus.CLOSED) & feedback_met, distinct=True),
        # The one definition of overdue (any deadline passed unmet, clock running), as the desk counts it.
        overdue=Count("id", filter=overdue_q(now=now, prefix="complaint__"), distinct=True),
    )
    return RecoverySummary(
        opened=totals["opened"],
        closed=totals["closed"],
        closed_in_time=totals["in_time"],
        open_overdue=totals["overdue"],
    )


@dataclass(frozen=True)
class MonthlyCell:
    """One month × department of the dashboard aggregate (``department_id`` None = all in scope)."""

    month: dt.date
    department_id: int | None
    n: int
    mean: float | None
    sd: float | None
    top_box_n: int | None
    top_box_answers: int | None

    @property
    def ci(self) -> tuple[float, float] | None:
        """95 % interval of the mean (normal approximation; the n of a monthly cell is large)."""
        if self.mean is None or self.sd is None or self.n < 2:
            return None
        half = 1.959964 * self.sd / math.sqrt(self.n)
        return self.mean - half, self.mean + half

    @property
    def top_box_share(self) -> float | None:
        if self.top_box_n is None or not self.top_box_answers:
            return None
        return self.top_box_n / self.top_box_answers


def monthly_summary(
    *,
    responses: QuerySet[Response],
    start: dt.datetime,
    end: dt.datetime,
    zone: ZoneInfo,
    by_department: bool = True,
    instrument: Instrument | None = None,
    item_code: str | None = None,
    top_box_from: float | None = None,
) -> list[MonthlyCell]:
    """Monthly mean overall index, n and SD (per department, or overall), and the top-box share of one
    item (answers ≥ ``top_box_from``) — the dashboard aggregate, computed live in the database in one
    pass over the responses (the item's answer joined in, at most one per response).

    This is the live path; the pages read :func:`carebridge.insights.selectors.aggregates.monthly_cells`,
    which takes the closed months from the stored aggregate and only the others from here."""
    base = responses.filter(submitted_at__gte=start, submitted_at__lt=end, score__isnull=False)
    if instrument is not None:
        base = base.filter(version__instrument=instrument)
    keys = ["month", "department_id"] if by_department else ["month"]
    figures: dict[str, Any] = {
        "n": Count("id"),
        "mean": Avg("score"),
        # The sample SD from sums, not StdDev(sample=True): SQLite's STDDEV_SAMP raises on a cell of one
        # answer (a department head's month often has one), which made the whole report a 500.
        "sum_sq": Sum(F("score") * F("score"), output_field=FloatField()),
    }
    with_top = item_code is not None and top_box_from is not None
    if with_top:
        # The item's answer joined to its response (one per response and item: a version has one item of
        # a code), instead of a second query probing every answer with ``response_id IN (…)`` (issue 18).
        items = Item.objects.filter(code=item_code)
        if instrument is not None:
            items = items.filter(version__instrument=instrument)
        base = base.annotate(
            top_answer=FilteredRelation(
                "answer_rows",
                condition=Q(
                    answer_rows__item__in=list(items.values_list("pk", flat=True)),
                    answer_rows__not_applicable=False,
                    answer_rows__value__isnull=False,
                ),
            )
        )
        figures["top"] = Count("top_answer", filter=Q(top_answer__value__gte=top_box_from))
        figures["answered"] = Count("top_answer")
    rows = (
        base.annotate(month=TruncMonth("submitted_at", tzinfo=zone))
        .values(*keys)
        .annotate(**figures)
        .order_by(*keys)
    )
    cells = []
    for row in rows:
        answered = row.get("answered") or 0
        cells.append(
            MonthlyCell(
                month=_as_date(row["month"]),
                department_id=row.get("department_id"),
                n=row["n"],
                mean=row["mean"],
                sd=sample_sd(row["n"], row["mean"], row["sum_sq"]),
                top_box_n=row["top"] if answered else None,
                top_box_answers=answered or None,
            )
        )
    return cells


def sample_sd(n: int, mean: float | None, sum_sq: float | None) -> float | None:
    """The sample standard deviation (n − 1) of a cell from its n, mean and sum of squares; None below
    two answers, where it is undefined."""
    if n < 2 or mean is None or sum_sq is None:
        return None
    return math.sqrt(max(sum_sq - n * float(mean) ** 2, 0.0) / (n - 1))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
