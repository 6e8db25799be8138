"""The parsed command line (``Options``) and what an analysis runner works with (``Context``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.analyze.inputs import Table, default_items, load_table, resolve, split_list
from carebridge.lib.stats.descriptive import DEFAULT_RATING_MINIMUM, DEFAULT_UNIT_MINIMUM


@dataclass(frozen=True)
class Options:
    """Every option of ``manage.py analyze``; see docs/analyze.md for which analysis reads which."""

    analysis: str
    csv: Path | None = None
    items: str | None = None
    reverse: str | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    model: str | None = None
    mode: str = "A"
    scheme: str = "centroid"
    standardize: bool = False
    boot: int = 0
    seed: int = 0
    missing: str = "pairwise"
    group: str | None = None
    factors: int | None = None
    rotation: str = "oblimin"
    method: str | None = None
    matrix: Path | None = None
    weights: str | None = None
    target: str | None = None
    adjusters: str | None = None
    survey_mode: str | None = None
    unit: str | None = None
    text_column: str | None = None
    encoding: str | None = None
    sep: str = ","
    index_col: str | None = None
    drop: str | None = None
    na_values: str | None = None
    allow_inconsistent: bool = False
    top_box: int = 2
    against: str = "rest"
    adjust: str = "holm"
    examples: int = 3


@dataclass
class Context:
    """Options plus the lazily read table and the warnings collected along the way."""

    options: Options
    warnings: list[str] = field(default_factory=list)
    _table: Table | None = None

    @property
    def table(self) -> Table:
        if self._table is None:
            o = self.options
            if o.csv is None:
                raise AnalyzeError(f"{o.analysis} needs a data file: --csv FILE.", ExitCode.USAGE)
            self._table = load_table(
                o.csv,
                encoding=o.encoding,
                sep=o.sep,
                index_col=o.index_col,
                drop=o.drop,
                na_values=o.na_values,
            )
            if self._table.encoding != "utf-8-sig" and not o.encoding:
                self.warn(f"{o.csv} is not UTF-8; read it as {self._table.encoding.upper()}.")
        return self._table

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def column(self, value: str | None, option: str, *, required: bool = True) -> str | None:
        """A single column named by an option (--group, --target, ...)."""
        if not value:
            if required:
                raise AnalyzeError(f"{self.options.analysis} needs {option} COLUMN.", ExitCode.USAGE)
            return None
        return resolve(self.frame, [value], option=option)[0]

    def group_column(self, value: str | None, option: str, *, required: bool = True) -> str | None:
        """A column of groups; whole numbers stored as floats (because a code is missing somewhere)
        are read as integers so groups print as '1', not '1.0'."""
        name = self.column(value, option, required=required)
        if name is not None:
            series = self.frame[name]
            if series.dtype.kind == "f" and (series.dropna() % 1 == 0).all():
                self.table.frame = self.frame.assign(**{name: series.astype("Int64")})
        return name

    def columns(self, spec: str | None, option: str) -> list[str]:
        return resolve(self.frame, split_list(spec), option=option)

    def items(self, *, exclude: tuple[str | None, ...] = (), minimum: int = 1) -> list[str]:
        """--items, or every numeric column not used in another role (with a warning)."""
        if self.options.items:
            names = self.columns(self.options.items, "--items")
        else:
            skip = [c for c in exclude if c]
            names = default_items(self.frame, skip)
            self.warn(f"No --items given: analysing all {len(names)} numeric columns.")
        if len(names) < minimum:
            raise AnalyzeError(
                f"{self.options.analysis} needs at least {minimum} item(s) in --items; got {len(names)}.",
                ExitCode.USAGE,
            )
        return names

    def reverse(self, items: list[str]) -> list[str]:
        names = self.columns(self.options.reverse, "--reverse")
        outside = [c for c in names if c not in items]
        if outside:
            raise AnalyzeError(
                f"Reverse-keyed column(s) {', '.join(outside)} are not among --items.", ExitCode.USAGE
            )
        return names

    def scale(self, columns: list[str], *, what: str = "the scale") -> tuple[float, float]:
        """--scale-min/--scale-max, or the smallest and largest answer found (with a warning)."""
        lo, hi = self.options.scale_min, self.options.scale_max
        if lo is None or hi is None:
            values = self.frame[columns].to_numpy(dtype=float)
            found_lo, found_hi = (
                float(pd.Series(values.ravel()).min()),
                float(pd.Series(values.ravel()).max()),
            )
            lo = found_lo if lo is None else lo
            hi = found_hi if hi is None else hi
            self.warn(
                f"{what} taken from the data as {lo:g}-{hi:g}; pass --scale-min/--scale-max to be sure."
            )
        if not hi > lo:
            raise AnalyzeError(
                f"--scale-max ({hi:g}) must be greater than --scale-min ({lo:g}).", ExitCode.USAGE
            )
        return lo, hi

    def minimum_n(self, n: int, minimum: int, what: str) -> None:
        if n < minimum:
            self.warn(
                f"n = {n} is below the usual minimum of {minimum} for {what}; read the results with care."
            )

    def unit_minimum(self, counts: dict[str, int], what: str = "a unit") -> None:
        small = {k: v for k, v in counts.items() if v < DEFAULT_UNIT_MINIMUM}
        if small:
            listed = ", ".join(f"{k} (n={v})" for k, v in small.items())
            self.warn(f"Below the minimum n of {DEFAULT_UNIT_MINIMUM} for {what}, do not rank: {listed}.")


RATING_MINIMUM = DEFAULT_RATING_MINIMUM
UNIT_MINIMUM = DEFAULT_UNIT_MINIMUM


def envelope(ctx: Context, n: int, body: dict[str, Any]) -> dict[str, Any]:
    """The keys every result carries, ahead of the analysis's own."""
    head: dict[str, Any] = {"analysis": ctx.options.analysis, "n": n, "warnings": ctx.warnings}
    if ctx._table is not None:
        head["input"] = ctx._table.describe()
    return {**head, **body}
