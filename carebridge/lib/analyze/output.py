"""JSON (the contract) and a plain-text table (for people) from a result dict.

Every number leaves as a JSON number or ``null``: numpy scalars become Python ones, NaN and ±inf
become ``null`` (JSON has no NaN, and a consumer in another language would choke on it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def _scalar(value: Any) -> tuple[bool, Any]:
    """(True, plain value) for a scalar, (False, None) for anything else."""
    if value is None or isinstance(value, str | bool):
        return True, value
    if isinstance(value, np.bool_):
        return True, bool(value)
    if isinstance(value, int | np.integer):
        return True, int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return True, (number if math.isfinite(number) else None)
    if value is pd.NA or value is pd.NaT:
        return True, None
    return False, None


def jsonable(value: Any) -> Any:
    """Plain JSON types from numpy/pandas values; data frames become {row: {column: value}}."""
    is_scalar, plain = _scalar(value)
    if is_scalar:
        return plain
    if isinstance(value, pd.DataFrame):
        return {str(i): jsonable(row.to_dict()) for i, row in value.iterrows()}
    if isinstance(value, Mapping | pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def to_json(result: Mapping[str, Any]) -> str:
    """One JSON object, UTF-8 text with Chinese kept readable (``ensure_ascii=False``)."""
    return json.dumps(jsonable(result), ensure_ascii=False, indent=2, allow_nan=False)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1e5 else f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def _grid(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return lines


def to_table(result: Mapping[str, Any]) -> str:
    """A human view of the same result: scalars as 'key: value', lists of records as aligned
    columns, nested objects indented. Numbers are rounded to 3 decimals; use JSON for more."""
    lines: list[str] = []

    def walk(data: Mapping[str, Any], indent: str) -> None:
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                lines.append(f"{indent}{key}:")
                if any(isinstance(x, list | dict) and x for v in value for x in v.values()):
                    for record in value:  # records with nested tables: one block each
                        lines.append(f"{indent}  -")
                        walk(record, indent + "    ")
                    continue
                lines.extend(indent + "  " + line for line in _grid(value))
            elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
                lines.append(f"{indent}{key}:")
                lines.extend(indent + "  " + line for line in _grid([{"": k, **v} for k, v in value.items()]))
            elif isinstance(value, dict) and value:
                lines.append(f"{indent}{key}:")
                walk(value, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_cell(value)}")

    walk(jsonable(result), "")
    return "\n".join(lines)
