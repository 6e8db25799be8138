"""The generated Chinese sentences of the report: the executive summary and the adjustment notes.

The report is a Chinese document for the hospital's leadership (DESIGN §5.7), so the sentences are
written in Chinese here, in one place, rather than assembled by the templates. Only significant changes
are stated as changes; a department whose rank or flag moves when patient mix is adjusted gets its own
sentence ("调整病例组合后，X科的排名由第n位变为第m位"), because that is where a raw league table misleads.
"""

from __future__ import annotations

from collections.abc import Sequence

from carebridge.insights.domain.report.compute import Change, DepartmentRow, Departments, Estimate, Problem

_FLAG = {"below": "显著低于", "above": "显著高于"}


def number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def p_text(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def overall_sentence(instrument: str, month: str, overall: Estimate) -> str:
    return (
        f"{month}{instrument}综合指数为 {number(overall.mean)} 分"
        f"（95% 置信区间 {number(overall.low)}–{number(overall.high)}，n={overall.n:,}）。"
    )


def change_sentences(changes: Sequence[Change]) -> list[str]:
    """One sentence per significant change; one sentence saying so when nothing changed significantly."""
    out = []
    for item in changes:
        if not item.significant:
            continue
        direction = "上升" if item.diff > 0 else "下降"
        out.append(
            f"较{item.label}（{item.month}，{number(item.other.mean)} 分）显著{direction} "
            f"{number(abs(item.diff))} 分（Welch t 检验，{p_text(item.p)}）。"
        )
    if changes and not out:
        labels = "及".join(c.label for c in changes)
        out.append(f"与{labels}相比，变化均无统计学意义（p≥0.05），不宜解读为升降。")
    return out


def problem_sentence(position: int, problem: Problem) -> str:
    where = "、".join(f"{name}（{number(mean)} 分，n={n}）" for name, mean, n in problem.departments)
    sentence = (
        f"{position}. “{problem.text}”：重要性高（与总体评价的相关 r={problem.importance:.2f}），"
        f"得分 {number(problem.performance)} 分"
    )
    sentence += f"，主要集中在{where}" if where else "，各科室普遍偏低"
    if problem.comments:
        sentence += "；患者原话：" + "；".join(f"“{c}”" for c in problem.comments)
    return sentence + "。"


ADJUSTER_NAMES = {
    "age_band": "年龄",
    "sex": "性别",
    "edu": "文化程度",
    "srh": "自评健康",
    "service_line": "服务线",
    "lag_days": "答卷间隔",
    "mode": "调查方式",
}
SHIFT_WORTH_SAYING = 1.0  # points of the 0–100 index
LARGEST_SHIFTS = 3


def _because(row: DepartmentRow) -> str:
    """ "主要来自其患者自评健康（+1.2）与年龄（+0.6）的构成": the adjusters that moved the score."""
    named = [
        f"{ADJUSTER_NAMES.get(name, name)}（{value:+.1f}）"
        for name, value in row.reasons[:2]
        if abs(value) >= 0.3
    ]
    return f"，主要来自其患者{'与'.join(named)}的构成" if named else ""


def adjustment_sentences(result: Departments) -> list[str]:
    """Where patient-mix adjustment changes a department's rank, its significance flag, or its score by
    at least a point (the largest few; a department below the ranking minimum is marked as such)."""
    if result.adjustment is None:
        return []
    out = []
    moved = [
        row
        for row in result.rows
        if row.raw_rank is not None and row.adjusted_rank is not None and row.raw_rank != row.adjusted_rank
    ]
    for row in sorted(moved, key=lambda r: (-abs(r.raw_rank - r.adjusted_rank), r.adjusted_rank)):  # type: ignore[operator]
        raw = row.raw.mean if row.raw else float("nan")
        out.append(
            f"调整病例组合后，{row.name}的排名由第{row.raw_rank}位变为第{row.adjusted_rank}位"
            f"（原始 {number(raw)} 分，调整后 {number(row.adjusted or 0.0)} 分{_because(row)}）。"
        )
    for row in result.rows:
        if row.raw_flag == row.adjusted_flag or row.small:
            continue
        if row.adjusted_flag:
            out.append(f"调整病例组合后，{row.name}{_FLAG[row.adjusted_flag]}全院其他科室。")
        else:
            out.append(
                f"调整病例组合后，{row.name}不再{_FLAG[row.raw_flag]}全院其他科室，差异可由病例组合解释。"
            )
    shifted = [
        row
        for row in result.rows
        if row not in moved and row.shift is not None and abs(row.shift) >= SHIFT_WORTH_SAYING
    ]
    for row in sorted(shifted, key=lambda r: -abs(r.shift or 0.0))[:LARGEST_SHIFTS]:
        raw = row.raw.mean if row.raw else float("nan")
        small = f"；仅 {row.n} 份答卷，仅供参考" if row.small else ""
        out.append(
            f"调整病例组合后，{row.name}由 {number(raw)} 分变为 {number(row.adjusted or 0.0)} 分"
            f"（{row.shift:+.1f}{_because(row)}{small}）。"
        )
    if not out:
        out.append("调整病例组合后，各科室的排名、显著性标记与得分均无明显变化（均不足 1 分）。")
    return out


def small_group_sentences(result: Departments, minimum: int) -> list[str]:
    return [
        f"{row.name}本月仅 {row.n} 份答卷（少于 {minimum} 份），只列出、不排名、不做显著性标记。"
        for row in result.rows
        if row.small
    ]
