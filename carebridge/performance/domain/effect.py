"""The effect check of an improvement action (PDCA "check"): a measure before and after, its test, a verdict.

Pure functions on numbers; the samples come from ``selectors.measures``. Two windows of the same length
are compared — the one before the action started and the one that ends at the check — with the tests
the insights app uses between departments and periods (``lib.stats.compare``): Welch's t-test for a
mean (R ``t.test``), the two-proportion chi-square test for a share (R ``prop.test(correct = FALSE)``).
Below the minimum n of a reporting unit (``insights.domain.analysis.names.UNIT_MINIMUM``, 30) in either
window nothing is judged: the check says so and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.names import UNIT_MINIMUM
from carebridge.lib.stats.errors import StatsInputError
from carebridge.performance.choices import EffectVerdict

ALPHA = 0.05


@dataclass(frozen=True)
class MeanSample:
    """The values of a mean-type measure in one window (e.g. satisfaction indexes 0–100)."""

    values: Sequence[float]

    @property
    def n(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class ShareSample:
    """A share-type measure in one window: ``hits`` out of ``n`` (e.g. complaints answered in time)."""

    hits: int
    n: int


Sample = MeanSample | ShareSample


class EffectResult(TypedDict):
    """What an effect check stores and shows (JSON on the action)."""

    kind: str  # "mean" | "share"
    before: float | None
    after: float | None
    change: float | None
    n_before: int
    n_after: int
    minimum_n: int
    test: str  # "welch_t" | "two_proportion" | ""
    statistic: float | None
    df: float | None
    p: float | None
    verdict: str  # EffectVerdict
    sentence: str


def _value(sample: Sample) -> float | None:
    if isinstance(sample, ShareSample):
        return sample.hits / sample.n if sample.n else None
    return sum(sample.values) / len(sample.values) if sample.values else None


def _verdict(change: float, p: float, higher_is_better: bool) -> str:
    if math.isnan(p) or p >= ALPHA or change == 0:
        return EffectVerdict.NO_CHANGE
    better = change > 0 if higher_is_better else change < 0
    return EffectVerdict.IMPROVED if better else EffectVerdict.WORSENED


def _format(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if kind == "share" else f"{value:.1f}"


def effect_judge(
    *,
    measure: str,
    before: Sample,
    after: Sample,
    higher_is_better: bool = True,
    minimum_n: int = UNIT_MINIMUM,
) -> EffectResult:
    """Compare ``after`` with ``before`` and say in a sentence whether ``measure`` improved."""
    if type(before) is not type(after):
        raise StatsInputError("Both windows must hold the same kind of measure.")
    kind = "share" if isinstance(before, ShareSample) else "mean"
    value_before, value_after = _value(before), _value(after)
    change = None if value_before is None or value_after is None else value_after - value_before
    result = EffectResult(
        kind=kind,
        before=value_before,
        after=value_after,
        change=change,
        n_before=before.n,
        n_after=after.n,
        minimum_n=minimum_n,
        test="",
        statistic=None,
        df=None,
        p=None,
        verdict=EffectVerdict.INSUFFICIENT,
        sentence="",
    )
    if min(before.n, after.n) < minimum_n or change is None:
        result["sentence"] = _(
            "Not enough data to judge %(measure)s: %(n_before)s before and %(n_after)s after, "
            "at least %(minimum)s in each window are needed."
        ) % {"measure": measure, "n_before": before.n, "n_after": after.n, "minimum": minimum_n}
        return result
    # The statistics stack (scipy, pandas) when a check is made, not when the pages are imported.
    from carebridge.lib.stats.compare import compare_proportions, welch_t_test

    try:
        if isinstance(before, ShareSample) and isinstance(after, ShareSample):
            test = compare_proportions([after.hits, before.hits], [after.n, before.n])
            result["test"], result["statistic"], result["df"], result["p"] = (
                "two_proportion",
                test.statistic,
                float(test.df),
                test.p,
            )
        elif isinstance(before, MeanSample) and isinstance(after, MeanSample):
            welch = welch_t_test(after.values, before.values)
            result["test"], result["statistic"], result["df"], result["p"] = (
                "welch_t",
                welch.t,
                welch.df,
                welch.p,
            )
    except StatsInputError:
        # No variation at all (every answer the same in both windows): nothing changed to test.
        result["verdict"] = EffectVerdict.NO_CHANGE
    else:
        result["verdict"] = _verdict(change, float(result["p"] or 1.0), higher_is_better)
    words = {
        EffectVerdict.IMPROVED: _("improved"),
        EffectVerdict.WORSENED: _("worsened"),
        EffectVerdict.NO_CHANGE: _("did not change significantly"),
    }[EffectVerdict(result["verdict"])]
    p_text = "—" if result["p"] is None else f"{result['p']:.3g}"
    result["sentence"] = _(
        "%(measure)s %(words)s: %(before)s before (n = %(n_before)s) and %(after)s after (n = %(n_after)s), "
        "p = %(p)s."
    ) % {
        "measure": measure,
        "words": words,
        "before": _format(value_before, kind),
        "after": _format(value_after, kind),
        "n_before": before.n,
        "n_after": after.n,
        "p": p_text,
    }
    return result


def effect_untestable(
    *, measure: str, reason: str, figures: tuple[float | None, float | None]
) -> EffectResult:
    """When the figures have no cases to test (a KPI typed in by hand, a sum): shown, not judged."""
    before, after = figures
    return EffectResult(
        kind="figure",
        before=before,
        after=after,
        change=None if before is None or after is None else after - before,
        n_before=0,
        n_after=0,
        minimum_n=UNIT_MINIMUM,
        test="",
        statistic=None,
        df=None,
        p=None,
        verdict=EffectVerdict.INSUFFICIENT,
        sentence=_("%(measure)s cannot be judged: %(reason)s (before %(before)s, after %(after)s).")
        % {
            "measure": measure,
            "reason": reason,
            "before": _format(before, "mean"),
            "after": _format(after, "mean"),
        },
    )
