"""Read the R output stored in ``r_reference/`` (each ``<case>.txt`` was printed by ``<case>.R``, with R
and package versions at its top; regenerate with ``cd r_reference && Rscript <case>.R > <case>.txt``).

Only the blocks the scripts print at full precision (``_header.R``) are parsed; the rounded
``summary()``/``print()`` output above them is kept for people to read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent / "r_reference"


def text(case: str) -> str:
    return (HERE / f"{case}.txt").read_text(encoding="utf-8")


def _block(case: str, title: str, occurrence: int = 0) -> list[str]:
    """The lines after '== title' up to the next blank line or '==' header."""
    lines = text(case).splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"== {title}")]
    out: list[str] = []
    for line in lines[starts[occurrence] + 1 :]:
        if not line.strip() or line.startswith("=="):
            break
        out.append(line)
    return out


def _value(token: str) -> float:
    return float("nan") if token == "NA" else float(token)


def named_vector(case: str, title: str, occurrence: int = 0) -> dict[str, float]:
    """A printed named numeric vector: lines of names alternating with lines of values."""
    lines = _block(case, title, occurrence)
    out: dict[str, float] = {}
    for names, values in zip(lines[::2], lines[1::2], strict=True):
        out.update(zip(names.split(), (_value(v) for v in values.split()), strict=True))
    return out


def fit_measures(case: str, occurrence: int = 0) -> dict[str, float]:
    """``fitMeasures(fit, FIT_MEASURES)`` at full precision."""
    return named_vector(case, "fitMeasures", occurrence)


def parameter_estimates(case: str, occurrence: int = 0) -> list[dict[str, object]]:
    """``parameterEstimates(fit, standardized = TRUE)``: lhs, op, rhs, label, est, se, z, pvalue, std.all
    (an empty label is ''; NA is nan)."""
    lines = _block(case, "parameterEstimates", occurrence)
    header = lines[0].split()
    numeric = [c for c in header if c not in ("lhs", "op", "rhs", "label")]
    rows: list[dict[str, object]] = []
    for line in lines[1:]:
        tokens = line.split()[1:]  # the first token is the row number
        row: dict[str, object] = dict(zip(("lhs", "op", "rhs"), tokens[:3], strict=True))
        rest = tokens[3:]
        row["label"] = rest.pop(0) if "label" in header and len(rest) > len(numeric) else ""
        row.update(zip(numeric, (_value(v) for v in rest), strict=True))
        rows.append(row)
    return rows


def matrix(case: str, title: str, occurrence: int = 0) -> pd.DataFrame:
    """A printed numeric matrix (column names on the first line, row names first on the others)."""
    lines = _block(case, title, occurrence)
    columns = lines[0].split()
    rows = {}
    for line in lines[1:]:
        name, *values = line.split()
        rows[name] = [_value(v) for v in values]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def printed(case: str, pattern: str, occurrence: int = 0) -> str:
    """The first group of ``pattern`` in the printed (rounded) output."""
    return re.findall(pattern, text(case), flags=re.MULTILINE)[occurrence]
