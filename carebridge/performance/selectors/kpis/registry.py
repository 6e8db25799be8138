"""The registry of computed KPIs: every module of the platform that knows how to count something a
scorecard measures registers it here by code, with the rows its figure counts.

A computed KPI is two functions over a scope and a half-open time span ``[start, end)``:

``compute(scope, start, end) -> KpiValue``
    the figure (numerator, denominator, value; ``value`` is ``None`` when there is nothing to count:
    a scorecard shows it as missing, never as zero);
``rows(scope, start, end, part) -> QuerySet``
    the rows behind it: ``part`` is ``"den"`` (the denominator's rows) or ``"num"`` (the numerator's).

For the common case, a rate whose numerator is a condition on its denominator's rows,
:func:`register_rate_kpi` builds both from a base queryset and a ``Q``, so the figure is by construction
a count over the rows it drills into. Modules live in this package (``performance/selectors/kpis/``)
and are imported by :func:`computed_kpis` on first use (no list to keep up to date).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise

from carebridge.performance.models.scorecards import KpiAggregation, KpiDirection, KpiUnit, ScorecardLevel

PART_DENOMINATOR = "den"
PART_NUMERATOR = "num"
PARTS = (PART_DENOMINATOR, PART_NUMERATOR)
ALL_LEVELS = frozenset(ScorecardLevel.values)


@dataclass(frozen=True)
class KpiScope:
    """Where a KPI is counted: one hospital; the departments of a department or centre scorecard (``None``:
    the whole hospital); the staff member of a staff scorecard. ``parameters`` are the catalogue row's
    settings (e.g. the ICD-10 prefixes of a disease group)."""

    hospital_id: int
    level: str = ScorecardLevel.HOSPITAL
    department_ids: frozenset[int] | None = None
    staff_id: int | None = None
    user_id: int | None = None  # the staff member's login, for KPIs that record users rather than staff
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def departments(self, lookup: str) -> Q:
        """``Q`` restricting ``lookup`` (a department foreign key) to the scope's departments."""
        if self.department_ids is None:
            return Q()
        return Q(**{f"{lookup}__in": self.department_ids})


@dataclass(frozen=True)
class KpiValue:
    """A KPI's figure over a span. ``value`` is the number shown (a rate in per cent, a mean, a count);
    ``None`` means missing (no rows, or no figure entered)."""

    numerator: float | None
    denominator: float | None
    value: float | None
    rows_url: str = ""

    @property
    def is_missing(self) -> bool:
        return self.value is None


Compute = Callable[[KpiScope, dt.datetime, dt.datetime], KpiValue]
Rows = Callable[[KpiScope, dt.datetime, dt.datetime, str], QuerySet[Any]]
Column = tuple[Promise | str, Callable[[Any], Any]]


@dataclass(frozen=True)
class ComputedKpi:
    code: str
    name: Promise | str
    unit: str
    direction: str
    definition: Promise | str
    numerator_text: Promise | str
    denominator_text: Promise | str
    compute: Compute
    rows: Rows
    aggregation: str = KpiAggregation.RATE
    levels: frozenset[str] = ALL_LEVELS
    # What the drill-down list shows of each row (label, accessor): masked values only.
    columns: tuple[Column, ...] = ()
    # The detail page of a row, when there is one the reader may open (``row -> url``).
    row_url: Callable[[Any], str] | None = None
    # Default parameters of the catalogue row (the configurable disease group …).
    parameters: Mapping[str, Any] = field(default_factory=dict)


_REGISTRY: dict[str, ComputedKpi] = {}
_LOADED = False


def register_kpi(
    code: str,
    *,
    name: Promise | str,
    rows: Rows,
    unit: str = KpiUnit.PERCENT,
    direction: str = KpiDirection.HIGHER,
    definition: Promise | str = "",
    numerator_text: Promise | str = "",
    denominator_text: Promise | str = "",
    aggregation: str = KpiAggregation.RATE,
    levels: frozenset[str] = ALL_LEVELS,
    columns: tuple[Column, ...] = (),
    row_url: Callable[[Any], str] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Callable[[Compute], Compute]:
    """Decorator: register ``compute(scope, start, end) -> KpiValue`` under ``code`` with its ``rows``."""

    def decorator(compute: Compute) -> Compute:
        _REGISTRY[code] = ComputedKpi(
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            definition=definition,
            numerator_text=numerator_text,
            denominator_text=denominator_text,
            compute=compute,
            rows=rows,
            aggregation=aggregation,
            levels=levels,
            columns=columns,
            row_url=row_url,
            parameters=dict(parameters or {}),
        )
        return compute

    return decorator


def register_rate_kpi(
    code: str,
    *,
    name: Promise | str,
    base: Callable[[KpiScope, dt.datetime, dt.datetime], QuerySet[Any]],
    numerator: Callable[[KpiScope], Q],
    **options: Any,
) -> ComputedKpi:
    """Register a rate: ``base`` gives the denominator's rows, ``numerator`` the condition on them that
    the numerator counts; value = numerator / denominator × 100 (missing when the denominator is 0)."""

    def rows(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str) -> QuerySet[Any]:
        queryset = base(scope, start, end)
        return queryset.filter(numerator(scope)) if part == PART_NUMERATOR else queryset

    def compute(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
        figures = (
            base(scope, start, end)
            .order_by()
            .aggregate(den=Count("pk"), num=Count("pk", filter=numerator(scope)))
        )
        return rate(figures["num"], figures["den"])

    register_kpi(code, name=name, rows=rows, **options)(compute)
    return _REGISTRY[code]


def rate(numerator: float | int | Decimal | None, denominator: float | int | Decimal | None) -> KpiValue:
    """A per-cent figure; missing when there is no denominator."""
    num = float(numerator or 0)
    den = float(denominator or 0)
    return KpiValue(numerator=num, denominator=den, value=num / den * 100 if den else None)


def mean(total: float | int | Decimal | None, count: int | None) -> KpiValue:
    """A mean over ``count`` rows (numerator = the sum); missing without rows."""
    n = float(count or 0)
    s = float(total or 0)
    return KpiValue(numerator=s, denominator=n, value=s / n if n else None)


def count(value: int | None) -> KpiValue:
    """A count: never missing (no rows is a true 0 when the KPI counts events)."""
    return KpiValue(numerator=float(value or 0), denominator=None, value=float(value or 0))


def computed_kpis() -> dict[str, ComputedKpi]:
    """Every registered computed KPI by code (imports this package's modules on first use)."""
    global _LOADED  # noqa: PLW0603 - one-time discovery
    if not _LOADED:
        package = importlib.import_module(__package__ or "carebridge.performance.selectors.kpis")
        for module in pkgutil.iter_modules(package.__path__):
            if module.name != "registry":
                importlib.import_module(f"{package.__name__}.{module.name}")
        _LOADED = True
    return _REGISTRY


def computed_kpi(code: str) -> ComputedKpi | None:
    return computed_kpis().get(code)
