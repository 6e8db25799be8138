"""The statistics of the monthly report, from a month's response frames.

No database access: each function takes a frame (the report's wide frame from
``selectors.report.response_frame``; for the department comparison the analysis's
:class:`~carebridge.insights.domain.analysis.frame.ResponseFrame`) and the instrument's items and returns
plain dataclasses that the page, the PDF and the Excel file all read. The maths is that of
``carebridge.lib.stats``: t intervals for 0–100 means, Wilson intervals for box shares, Welch
tests for changes, Johnson's relative weights for drivers, derived importance for the IPA grid,
the analysis's patient-mix and mode adjustment (``domain.analysis.benchmark.unit_scores``),
Holm-corrected comparisons of each department with the rest of the hospital, and the lexicon method
for Chinese comments.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carebridge.core.masking import mask_text
from carebridge.insights.domain.analysis.benchmark import unit_scores
from carebridge.insights.domain.analysis.frame import ResponseFrame
from carebridge.lib.stats.compare import p_adjust, welch_t_test
from carebridge.lib.stats.descriptive import box_scores, t_interval
from carebridge.lib.stats.drivers import relative_weights
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.ipa import ipa
from carebridge.lib.stats.text import analyze_comment, analyze_comments
from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain.instruments import ItemSpec

UNIT_MINIMUM = 30  # a department with fewer answers is shown but neither ranked nor flagged
OVERALL_MINIMUM = 100  # an index on fewer answers gets a warning
ALPHA = 0.05
# Codes that mark the global rating an instrument asks at the end (the drivers' outcome).
_OUTCOME_HINTS = ("overall", "recommend", "nps", "global", "sat")


@dataclass(frozen=True)
class Estimate:
    """A 0–100 mean with its 95 % t interval and n."""

    n: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class Change:
    """The month against another month: difference, Welch p, and whether it is significant."""

    label: str
    month: str
    other: Estimate
    diff: float
    p: float
    significant: bool


@dataclass(frozen=True)
class DimensionRow:
    code: str
    title: str
    estimate: Estimate


@dataclass(frozen=True)
class ItemRow:
    """One scored item: its box shares (top = favourable, after reverse keying) and 0–100 mean."""

    code: str
    text: str
    dimension: str
    n: int
    n_excluded: int
    top: float
    middle: float
    bottom: float
    top_low: float
    top_high: float
    mean: Estimate
    boxes: str  # what top and bottom mean on this scale, e.g. "4–5 / 1–2"

    @property
    def top_pct(self) -> float:
        return self.top * 100

    @property
    def middle_pct(self) -> float:
        return self.middle * 100

    @property
    def bottom_pct(self) -> float:
        return self.bottom * 100


@dataclass(frozen=True)
class DriverRow:
    code: str
    title: str
    weight_pct: float
    r: float
    performance: float


@dataclass(frozen=True)
class IpaRow:
    code: str
    text: str
    importance: float
    performance: float
    quadrant: str


@dataclass(frozen=True)
class DepartmentRow:
    department_id: int
    name: str
    n: int
    raw: Estimate | None
    adjusted: float | None
    adjusted_low: float | None
    adjusted_high: float | None
    raw_rank: int | None
    adjusted_rank: int | None
    raw_flag: str  # "below" / "above" the rest of the hospital (Holm-adjusted), or ""
    adjusted_flag: str
    raw_p: float | None
    adjusted_p: float | None
    small: bool
    # What each adjuster contributes to adjusted − raw ("age_band": +1.2 …), largest first.
    reasons: tuple[tuple[str, float], ...] = ()

    @property
    def shift(self) -> float | None:
        """Adjusted − raw mean, or None without an adjustment."""
        if self.adjusted is None or self.raw is None:
            return None
        return self.adjusted - self.raw.mean


@dataclass(frozen=True)
class Adjustment:
    """The patient-mix model: adjusters used, R², rows used and dropped, coefficients."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]
    mode: bool
    r2: float
    n: int
    n_dropped: int
    coefficients: dict[str, float]


@dataclass(frozen=True)
class Problem:
    """An item to fix first: high importance, low performance, where it is worst, what people said."""

    code: str
    text: str
    importance: float
    performance: float
    departments: tuple[tuple[str, float, int], ...]  # name, 0–100 mean, n
    comments: tuple[str, ...]


@dataclass(frozen=True)
class TopicRow:
    topic: str
    n: int
    positive: int
    negative: int
    neutral: int
    examples: tuple[str, ...]


@dataclass
class Departments:
    rows: list[DepartmentRow] = field(default_factory=list)
    adjustment: Adjustment | None = None
    note: str = ""

    @property
    def ranked(self) -> int:
        """How many departments have enough answers to be ranked."""
        return sum(1 for row in self.rows if not row.small)


def estimate(values: Sequence[float] | pd.Series | np.ndarray) -> Estimate | None:
    """Mean and 95 % t interval of the non-missing values, or None with fewer than 2."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        return None
    interval = t_interval(x)
    return Estimate(int(x.size), interval.estimate, interval.lower, interval.upper)


def change(label: str, month: str, current: pd.Series, other: pd.Series) -> Change | None:
    """Welch's t-test of this month's scores against another month's."""
    base = estimate(other)
    if base is None or current.dropna().size < 2:
        return None
    try:
        test = welch_t_test(current.dropna(), other.dropna())
    except StatsInputError:
        return None
    return Change(label, month, base, test.diff, test.p, test.p < ALPHA)


def dimensions(frame: pd.DataFrame, titles: Mapping[str, str]) -> list[DimensionRow]:
    rows = []
    for code, title in titles.items():
        column = f"dim:{code}"
        found = estimate(frame[column]) if column in frame else None
        if found is not None:
            rows.append(DimensionRow(code, title, found))
    return rows


def _boxes(spec: ItemSpec) -> tuple[int, int]:
    """Points in the top and bottom box: 2/2 on 4–5-point scales, 2/3 on 7 points, 9–10 against 0–6."""
    low, high = spec.scale_min or 0.0, spec.scale_max or 0.0
    points = int(high - low + 1)
    if spec.item_type == ItemType.YES_NO:
        return 1, 1
    if spec.item_type in (ItemType.SCALE_0_10, ItemType.SCALE_1_10):
        return 2, points - 4  # promoters 9–10, passives 7–8, the rest at the bottom
    return (2, 3) if points >= 7 else (2, 2)


def item_rows(frame: pd.DataFrame, items: Sequence[ItemSpec]) -> list[ItemRow]:
    """Box shares and 0–100 means of every scored item answered at least twice."""
    rows = []
    for spec in items:
        if spec.scale_min is None or spec.code not in frame or frame[spec.code].notna().sum() < 2:
            continue
        low, high = spec.scale_min or 0.0, spec.scale_max or 0.0
        values = frame[[spec.code]].copy()
        if spec.reverse:  # favourable answers at the top, whichever way the question was asked
            values[spec.code] = low + high - values[spec.code]
        top, bottom = _boxes(spec)
        try:
            box = box_scores(
                values, spec.code, scale_min=low, scale_max=high, top_points=top, bottom_points=bottom
            )
        except StatsInputError:
            continue
        linear = estimate(item_scores(frame, [spec])[spec.code])
        if linear is None:
            continue
        rows.append(
            ItemRow(
                code=spec.code,
                text=spec.label("zh-hans"),
                dimension=spec.dimension,
                n=box.n,
                n_excluded=box.n_excluded,
                top=box.top.estimate,
                middle=box.middle.estimate,
                bottom=box.bottom.estimate,
                top_low=box.top.lower,
                top_high=box.top.upper,
                mean=linear,
                boxes=f"{high - top + 1:g}–{high:g} / {low:g}–{low + bottom - 1:g}",
            )
        )
    return rows


def choose_outcome(items: Sequence[ItemSpec]) -> ItemSpec | None:
    """The instrument's global rating, if it asks one: a scored item (or the only item of an unscored
    dimension) whose code or dimension names it (overall, recommend, NPS…), else the only 0–10 item."""
    candidates = [
        s for s in items if s.item_type in (ItemType.LIKERT, ItemType.SCALE_0_10, ItemType.SCALE_1_10)
    ]
    for spec in candidates:
        names = f"{spec.code} {spec.dimension} {spec.indicator}".lower()
        if any(hint in names for hint in _OUTCOME_HINTS):
            return spec
    scales = [s for s in candidates if s.item_type == ItemType.SCALE_0_10]
    return scales[0] if len(scales) == 1 else None


def item_scores(frame: pd.DataFrame, items: Sequence[ItemSpec]) -> pd.DataFrame:
    """The rating items on 0–100 (reverse keys flipped), one column per item code. Unlike the index
    (``instruments.item_score``) this also rescales a global rating asked in an unscored dimension."""
    out = {}
    for spec in items:
        if spec.code in frame and spec.scale_min is not None and spec.scale_max is not None:
            share = (frame[spec.code].astype(float) - spec.scale_min) / (spec.scale_max - spec.scale_min)
            out[spec.code] = 100.0 * (1.0 - share if spec.reverse else share)
    return pd.DataFrame(out, index=frame.index)


def drivers(
    frame: pd.DataFrame, titles: Mapping[str, str], outcome: pd.Series, performance: Mapping[str, float]
) -> tuple[list[DriverRow], float | None]:
    """Relative weights of the dimension indexes for the outcome (in % of R²), and R²."""
    columns = [f"dim:{code}" for code in titles if f"dim:{code}" in frame]
    data = frame[columns].copy()
    data["__outcome"] = outcome
    try:
        result = relative_weights(data.dropna(), "__outcome", columns)
    except StatsInputError:
        return [], None
    rows = [
        DriverRow(
            code=column.removeprefix("dim:"),
            title=titles[column.removeprefix("dim:")],
            weight_pct=float(result.table.loc[column, "rescaled_pct"]),
            r=float(result.table.loc[column, "r"]),
            performance=performance.get(column.removeprefix("dim:"), math.nan),
        )
        for column in columns
    ]
    return sorted(rows, key=lambda r: -r.weight_pct), result.r2


def ipa_rows(scores: pd.DataFrame, outcome: pd.Series, texts: Mapping[str, str]) -> list[IpaRow]:
    """Items in the importance–performance grid: importance = r with the outcome, performance = mean."""
    usable = [c for c in scores.columns if scores[c].notna().sum() >= 3 and scores[c].std() > 0]
    if len(usable) < 2 or outcome.dropna().size < 3:
        return []
    importance = scores[usable].corrwith(outcome)
    performance = scores[usable].mean()
    keep = [c for c in usable if not math.isnan(importance[c])]
    if len(keep) < 2:
        return []
    grid = ipa(importance[keep], performance[keep])
    return [
        IpaRow(code, texts.get(code, code), float(row.importance), float(row.performance), str(row.quadrant))
        for code, row in grid.table.iterrows()
    ]


def problems(
    rows: Sequence[IpaRow],
    scores: pd.DataFrame,
    frame: pd.DataFrame,
    department_names: Mapping[int, str],
    comment_columns: Sequence[str],
    *,
    about: Mapping[str, str] | None = None,
    count: int = 3,
    min_n: int = UNIT_MINIMUM,
) -> list[Problem]:
    """The ``count`` items to fix first: those in the "concentrate here" quadrant (important, below the
    average performance), most important and worst first; then, if fewer, the next lowest performers
    above median importance. Each names its weakest departments and up to two masked comments of people
    who rated it in the bottom third, not praising, *that speak of the item* (share a lexicon topic with
    its text, or its dimension's title); a comment is quoted under one item only, and an item no comment
    speaks of gets none rather than someone else's."""
    if not rows:
        return []
    importance = np.array([r.importance for r in rows])
    performance = np.array([r.performance for r in rows])
    z_i = (importance - importance.mean()) / (importance.std() or 1.0)
    z_p = (performance - performance.mean()) / (performance.std() or 1.0)
    priority = {r.code: float(zi - zp) for r, zi, zp in zip(rows, z_i, z_p, strict=True)}
    first = [r for r in rows if r.quadrant == "concentrate_here"]
    median = float(np.median(importance))
    rest = [r for r in rows if r not in first and r.importance >= median]
    chosen = sorted(first, key=lambda r: -priority[r.code])[:count]
    chosen += sorted(rest, key=lambda r: r.performance)[: count - len(chosen)]
    out = []
    quoted: set[str] = set()
    for row in chosen:
        per_department = (
            pd.DataFrame({"v": scores[row.code], "d": frame["department_id"]})
            .dropna()
            .groupby("d")["v"]
            .agg(["mean", "size"])
        )
        per_department = per_department[per_department["size"] >= min_n].sort_values("mean")
        weakest = tuple(
            (department_names.get(int(d), str(d)), float(r["mean"]), int(r["size"]))
            for d, r in per_department.head(2).iterrows()
            if float(r["mean"]) < row.performance
        )
        low = scores[row.code] <= 100 / 3
        comments = []
        for column in comment_columns:
            comments += [t for t in frame.loc[low, column] if isinstance(t, str) and t.strip()]
        # The item's own words first; its dimension's title only when they name no topic.
        topics = _topics(row.text) or _topics((about or {}).get(row.code, ""))
        # Praise from someone who rated the item low illustrates nothing to fix: only critical comments.
        shared = {
            c: len(topics & _topics(c))
            for c in dict.fromkeys(comments)
            if c not in quoted and analyze_comment(c).polarity != "positive"
        }
        speaking = _negative_first([c for c, n in shared.items() if n])
        # Those that share the most topics with the item first, the most negative among equals.
        chosen_comments = sorted(speaking, key=lambda c: -shared[c])[:2]
        quoted.update(chosen_comments)
        out.append(
            Problem(
                code=row.code,
                text=row.text,
                importance=row.importance,
                performance=row.performance,
                departments=weakest,
                comments=tuple(mask_text(c.strip())[:120] for c in chosen_comments),
            )
        )
    return out


def _topics(text: str) -> set[str]:
    """The lexicon topics a text speaks of (等候时间, 护理, 费用 …); empty for an empty text."""
    return set(analyze_comment(text).topics) if text.strip() else set()


def _negative_first(comments: list[str]) -> list[str]:
    if not comments:
        return []
    try:
        summary = analyze_comments(comments[:500], examples=0)
    except StatsInputError:
        return comments
    ordered = summary.comments.sort_values("score", kind="stable")
    return [str(t) for t in ordered["text"]]


def _flags(values: pd.Series, units: pd.Series, eligible: Sequence[int]) -> dict[int, tuple[str, float]]:
    """Each eligible unit against the rest of the hospital (Welch, Holm-adjusted): below/above or ""."""
    tests = []
    for unit in eligible:
        mine, rest = values[units == unit].dropna(), values[units != unit].dropna()
        try:
            result = welch_t_test(mine, rest)
        except StatsInputError:
            continue
        tests.append((unit, result.diff, result.p))
    if not tests:
        return {}
    adjusted = p_adjust([p for _, _, p in tests], "holm")
    return {
        unit: (("below" if diff < 0 else "above") if p_adj < ALPHA else "", float(p_adj))
        for (unit, diff, _), p_adj in zip(tests, adjusted, strict=True)
    }


def _ranks(values: Mapping[int, float]) -> dict[int, int]:
    ordered = sorted(values, key=lambda unit: -values[unit])
    return {unit: position for position, unit in enumerate(ordered, start=1)}


def departments(frame: ResponseFrame, names: Mapping[int, str], *, min_n: int = UNIT_MINIMUM) -> Departments:
    """Departments raw and patient-mix (and mode) adjusted side by side, ranked and flagged.

    The raw and adjusted scores are the analysis's own (``domain.analysis.benchmark.unit_scores`` on the
    overall index, with its default adjusters and rules), so the benchmark page shows the same adjusted
    score for the same answers. Every department with at least 2 answers gets its adjusted score and
    what each adjuster contributed to it; only departments with ``min_n`` answers or more are ranked
    and tested against the rest of the hospital (Welch, Holm), raw and adjusted. Each response's
    adjusted score is its score plus its department's adjustment."""
    scores = unit_scores(frame, by="department")
    data = scores.data
    units = data["unit"].astype(int)
    counts = units.value_counts()
    eligible = sorted(int(d) for d in counts.index if counts[d] >= min_n)
    result = Departments()
    if scores.fitted:
        result.adjustment = Adjustment(
            numeric=scores.numeric,
            categorical=scores.categorical,
            mode=scores.mode,
            r2=scores.r2 if scores.r2 is not None else math.nan,
            n=scores.n,
            n_dropped=scores.n_dropped,
            coefficients=scores.coefficients,
        )
    else:
        result.note = scores.reason
    raw_means = scores.raw
    raw_flags = _flags(data["y"], units, eligible)
    raw_ranks = _ranks({d: raw_means[d] for d in eligible})
    adjusted_means = scores.adjusted
    adjusted_flags = _flags(data["y_adjusted"], units, eligible) if scores.fitted else {}
    adjusted_ranks = _ranks({d: adjusted_means[d] for d in eligible if d in adjusted_means})
    for unit in sorted(raw_means, key=lambda d: (d not in eligible, -raw_means[d])):
        interval = estimate(data.loc[units == unit, "y_adjusted"]) if unit in adjusted_means else None
        reasons = sorted(scores.contributions.get(unit, {}).items(), key=lambda part: -abs(part[1]))
        result.rows.append(
            DepartmentRow(
                department_id=unit,
                name=names.get(unit, str(unit)),
                n=int(counts[unit]),
                raw=estimate(data.loc[units == unit, "y"]),
                adjusted=adjusted_means.get(unit),
                adjusted_low=interval.low if interval else None,
                adjusted_high=interval.high if interval else None,
                raw_rank=raw_ranks.get(unit),
                adjusted_rank=adjusted_ranks.get(unit),
                raw_flag=raw_flags.get(unit, ("", 1.0))[0],
                adjusted_flag=adjusted_flags.get(unit, ("", 1.0))[0],
                raw_p=raw_flags[unit][1] if unit in raw_flags else None,
                adjusted_p=adjusted_flags[unit][1] if unit in adjusted_flags else None,
                small=unit not in eligible,
                reasons=tuple(reasons),
            )
        )
    return result


def topics(
    frame: pd.DataFrame, comment_columns: Sequence[str], *, examples: int = 2
) -> tuple[list[TopicRow], dict[str, int]]:
    """Topics and polarity of the month's comments, with masked negative examples."""
    comments = [t for column in comment_columns for t in frame[column] if isinstance(t, str) and t.strip()]
    if not comments:
        return [], {}
    summary = analyze_comments(comments, examples=examples)
    rows = [
        TopicRow(
            topic=str(topic),
            n=int(row["n"]),
            positive=int(row["positive"]),
            negative=int(row["negative"]),
            neutral=int(row["neutral"]),
            examples=tuple(mask_text(t)[:120] for t in row["negative_examples"]),
        )
        for topic, row in summary.topics.iterrows()
        if int(row["n"]) > 0
    ]
    return rows, summary.polarity
