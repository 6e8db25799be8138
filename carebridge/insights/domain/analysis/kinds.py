"""The analyses by name, their parameters, and :func:`compute`, which runs one on a frame.

``carebridge.insights.selectors.analysis.results.analyse`` reads a selection in a user's scope and
calls :func:`compute`. :data:`HEAVY` kinds (CFA, PLS bootstrap, driver bootstrap) are slow on large
selections: pages and the API run them through ``services.runs.run_request`` in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from carebridge.insights.domain.analysis.names import ADJUSTER_KEYS, GROUPS, UNITS
from carebridge.lib.stats.errors import StatsInputError

if TYPE_CHECKING:
    from carebridge.insights.domain.analysis.frame import ResponseFrame

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Choice:
    """One parameter: its default and the values it accepts (None: any whole number in ``bounds``)."""

    default: Any
    values: tuple[Any, ...] | None = None
    bounds: tuple[int, int] | None = None
    many: bool = False


PARAMETERS: dict[str, dict[str, Choice]] = {
    "indexes": {"by": Choice("department", GROUPS)},
    "distributions": {},
    "trends": {},
    "benchmark": {
        "by": Choice("department", UNITS),
        "adjusters": Choice(list(ADJUSTER_KEYS), ADJUSTER_KEYS, many=True),
        "mode": Choice(True, (True, False)),
        "p_adjust": Choice("holm", ("holm", "BH")),
    },
    "ipa": {
        "level": Choice("auto", ("auto", "dimension", "item")),
        "importance": Choice("derived", ("derived", "relative_weights")),
    },
    "comments": {},
    "psychometrics": {},
    "csi": {"n_boot": Choice(200, bounds=(50, 2000))},
    "drivers": {
        "level": Choice("auto", ("auto", "dimension", "item")),
        "n_boot": Choice(500, bounds=(100, 5000)),
    },
}
KINDS = tuple(PARAMETERS)
HEAVY = frozenset({"psychometrics", "csi", "drivers"})


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("1", "true", "on", "yes"):
        return True
    if isinstance(value, str) and value.lower() in ("0", "false", "off", "no", ""):
        return False
    return value


def clean_parameters(kind: str, raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The full parameters of ``kind`` (defaults filled in); an unknown kind, key or value is an error
    naming it. ``raw`` may hold strings (query strings) or JSON values."""
    if kind not in PARAMETERS:
        raise StatsInputError(f"Unknown analysis {kind!r}; use one of {', '.join(KINDS)}.")
    raw = dict(raw or {})
    spec = PARAMETERS[kind]
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        raise StatsInputError(f"Unknown parameter(s) for {kind}: {', '.join(unknown)}.")
    out: dict[str, Any] = {}
    for name, choice in spec.items():
        value = raw.get(name, choice.default)
        if choice.many:
            values = value if isinstance(value, list | tuple) else [v for v in str(value).split(",") if v]
            bad = [v for v in values if v not in (choice.values or ())]
            if bad:
                raise StatsInputError(f"{name}: unknown value(s) {', '.join(map(str, bad))}.")
            out[name] = [v for v in (choice.values or ()) if v in values]
        elif choice.bounds is not None:
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise StatsInputError(f"{name}: a whole number is expected.") from None
            low, high = choice.bounds
            if not low <= number <= high:
                raise StatsInputError(f"{name}: between {low} and {high}.")
            out[name] = number
        else:
            value = _boolean(value) if isinstance(choice.default, bool) else value
            if choice.values is not None and value not in choice.values:
                raise StatsInputError(f"{name}: use one of {', '.join(map(str, choice.values))}.")
            out[name] = value
    return out


def compute(
    kind: str,
    frame: ResponseFrame,
    parameters: Mapping[str, Any],
    *,
    include_examples: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run one analysis on a frame (parameters already cleaned)."""
    # The analyses are imported on first use: they bring pandas, scipy and statsmodels, which the URL
    # configuration (views import this module for its parameter table) must not load (issue 18).
    from carebridge.insights.domain.analysis.benchmark import benchmark
    from carebridge.insights.domain.analysis.comments import comment_topics
    from carebridge.insights.domain.analysis.csi import csi_model
    from carebridge.insights.domain.analysis.drivers import ipa_grid, key_drivers
    from carebridge.insights.domain.analysis.indexes import (
        group_indexes,
        index_summary,
        monthly_trends,
        nps_summary,
    )
    from carebridge.insights.domain.analysis.items import item_distributions
    from carebridge.insights.domain.analysis.psychometrics import psychometric_panel

    p = dict(parameters)
    runners: dict[str, Callable[[], dict[str, Any]]] = {
        "indexes": lambda: {
            **index_summary(frame),
            "groups": group_indexes(frame, by=p["by"]),
            "nps": nps_summary(frame),
        },
        "distributions": lambda: {
            "n": frame.n,
            "items": item_distributions(frame, language=get_language() or "zh-hans"),
        },
        "trends": lambda: monthly_trends(frame),
        "benchmark": lambda: benchmark(
            frame, by=p["by"], adjusters=tuple(p["adjusters"]), mode=p["mode"], p_adjust=p["p_adjust"]
        ),
        "ipa": lambda: ipa_grid(frame, level=p["level"], importance=p["importance"]),
        "comments": lambda: comment_topics(frame, include_examples=include_examples),
        "psychometrics": lambda: psychometric_panel(frame, progress=progress),
        "csi": lambda: csi_model(frame, n_boot=p["n_boot"], progress=progress),
        "drivers": lambda: key_drivers(frame, level=p["level"], n_boot=p["n_boot"], progress=progress),
    }
    if kind not in runners:
        raise StatsInputError(f"Unknown analysis {kind!r}.")
    return runners[kind]()
