"""Reading the analyst's files and turning command-line column lists into checked column names.

Everything here fails with an ``AnalyzeError`` whose message names the file, column or value, so
the command can print it as one line: a survey exported from Chinese Excel (GBK, stray text such as
"不适用" in a rating column, an unnamed row-number column) gets an explanation, not a traceback.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.text import is_digits

# Tried in this order when --encoding is not given: UTF-8 (with or without BOM, what Excel's
# "CSV UTF-8" writes) and GB18030, the superset of the GBK that Chinese Excel's plain "CSV" writes.
AUTO_ENCODINGS = ("utf-8-sig", "gb18030")
_RANGE = re.compile(r"^(?P<prefix>.*?)(?P<start>\d+)-(?P=prefix)?(?P<end>\d+)$")


@dataclass
class Table:
    """A CSV read for analysis, with what the analyst should know about how it was read."""

    frame: pd.DataFrame
    path: Path
    encoding: str
    index_col: str | None = None
    dropped: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "rows": len(self.frame),
            "columns": len(self.frame.columns),
            "encoding": self.encoding,
            "index_col": self.index_col,
            "dropped": self.dropped,
        }


def split_list(spec: str | None) -> list[str]:
    """'A1, A2,,A3' -> ['A1', 'A2', 'A3'] (full-width commas from a Chinese keyboard accepted)."""
    if not spec:
        return []
    return [part.strip() for part in re.split(r"[,，]", spec) if part.strip()]


def _decode_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> AnalyzeError:
    return AnalyzeError(
        f"Cannot read {path} as {encoding} text (byte {exc.start} is not valid {encoding}); "
        "pass the file's encoding, e.g. --encoding gbk for a CSV saved by Chinese Excel.",
        ExitCode.INPUT,
    )


def read_csv(
    path: Path,
    *,
    encoding: str | None = None,
    sep: str = ",",
    na_values: Sequence[str] = (),
    header: int | None = 0,
    dtype: type | None = None,
) -> tuple[pd.DataFrame, str]:
    """Read a CSV, trying UTF-8 then GB18030 unless an encoding is given; returns (frame, encoding)."""
    if not path.exists():
        raise AnalyzeError(f"File not found: {path}.", ExitCode.INPUT)
    if not path.is_file():
        raise AnalyzeError(f"Not a file: {path}.", ExitCode.INPUT)
    separator = "\t" if sep in ("\\t", "tab", "TAB") else sep
    encodings = (encoding,) if encoding else AUTO_ENCODINGS
    last: UnicodeDecodeError | None = None
    for candidate in encodings:
        try:
            frame = pd.read_csv(
                path,
                encoding=candidate,
                sep=separator,
                na_values=list(na_values) or None,
                header=header,
                dtype=dtype,
            )
        except LookupError as exc:
            raise AnalyzeError(f"Unknown encoding {candidate!r} (--encoding).", ExitCode.USAGE) from exc
        except UnicodeDecodeError as exc:
            last = exc
            continue
        except pd.errors.EmptyDataError as exc:
            raise AnalyzeError(f"{path} is empty.", ExitCode.INPUT) from exc
        except pd.errors.ParserError as exc:
            detail = str(exc).strip().splitlines()[-1]
            raise AnalyzeError(
                f"{path} is not a readable CSV ({detail}); check --sep.", ExitCode.INPUT
            ) from exc
        return frame, candidate
    assert last is not None  # noqa: S101 - the loop either returned or recorded a decode error
    if encoding:
        raise _decode_error(path, encoding, last)
    raise AnalyzeError(
        f"Cannot read {path} as UTF-8 or GBK/GB18030 text; pass its encoding with --encoding "
        "(e.g. utf-16, big5).",
        ExitCode.INPUT,
    )


def load_table(
    path: Path,
    *,
    encoding: str | None,
    sep: str,
    index_col: str | None,
    drop: str | None,
    na_values: str | None,
) -> Table:
    """The data file as a frame. An unnamed first column (R's ``write.csv`` row names, as in the
    ECSI file) becomes the index unless ``--index-col`` names another column."""
    frame, used = read_csv(path, encoding=encoding, sep=sep, na_values=split_list(na_values))
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise AnalyzeError(f"{path} has a header but no data rows.", ExitCode.INPUT)
    table = Table(frame=frame, path=path, encoding=used)
    if index_col:
        name = index_col
        if name not in frame.columns and is_digits(name) and 1 <= int(name) <= len(frame.columns):
            name = str(frame.columns[int(name) - 1])  # a 1-based column number
        resolve(frame, [name], option="--index-col")
        table.frame = frame.set_index(name)
        table.index_col = name
    else:
        first = str(frame.columns[0])
        if first == "" or first.startswith("Unnamed: 0"):
            table.frame = frame.set_index(frame.columns[0]).rename_axis(None)
            table.index_col = first
    dropped = resolve(table.frame, split_list(drop), option="--drop")
    table.frame = table.frame.drop(columns=dropped)
    table.dropped = dropped
    return table


# ---------------------------------------------------------------------------------------------
# Columns


def _unknown(name: str, columns: Sequence[str], option: str) -> AnalyzeError:
    lowered = {c.lower(): c for c in columns}
    close = [lowered[name.lower()]] if name.lower() in lowered else []
    close += [c for c in difflib.get_close_matches(name, columns, n=3, cutoff=0.6) if c not in close]
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    shown = ", ".join(columns[:30]) + (f", … ({len(columns)} columns)" if len(columns) > 30 else "")
    where = f" ({option})" if option else ""
    return AnalyzeError(
        f"Unknown column {name!r}{where}; {hint}columns in the file: {shown}.",
        ExitCode.DATA,
    )


def _expand(token: str, columns: Sequence[str], option: str) -> list[str]:
    """One token of a column list: a column name, a numbered range 'A1-A5' (or 'A1-5', 'Q01-Q12'),
    or a span of adjacent columns 'imag1:loy4' in file order. An exact column name always wins."""
    if token in columns:
        return [token]
    if ":" in token:
        first, last = (part.strip() for part in token.split(":", 1))
        for name in (first, last):
            if name not in columns:
                raise _unknown(name, columns, option)
        i, j = columns.index(first), columns.index(last)
        if j < i:
            raise AnalyzeError(f"Column span {token!r} runs backwards ({option}).", ExitCode.USAGE)
        return list(columns[i : j + 1])
    match = _RANGE.match(token)
    if match:
        prefix, start, end = match["prefix"], match["start"], match["end"]
        a, b = int(start), int(end)
        if b < a:
            raise AnalyzeError(f"Range {token!r} runs backwards ({option}).", ExitCode.USAGE)
        width = len(start) if start.startswith("0") else 0
        names = [f"{prefix}{k:0{width}d}" for k in range(a, b + 1)]
        for name in names:
            if name not in columns:
                raise _unknown(name, columns, option)
        return names
    raise _unknown(token, columns, option)


def resolve(frame: pd.DataFrame, tokens: Iterable[str], *, option: str = "") -> list[str]:
    """Expand and check a list of column tokens against the frame; duplicates are an error."""
    columns = [str(c) for c in frame.columns]
    out: list[str] = []
    for token in tokens:
        out.extend(_expand(token, columns, option))
    repeated = sorted({c for c in out if out.count(c) > 1})
    if repeated:
        raise AnalyzeError(f"Column(s) listed twice ({option}): {', '.join(repeated)}.", ExitCode.USAGE)
    return out


def require_numeric(frame: pd.DataFrame, columns: Iterable[str], *, hint: str = "") -> None:
    """Refuse a text column with an example of the offending value and where it is."""
    for name in columns:
        series = frame[name]
        if is_bool_dtype(series):
            raise AnalyzeError(f"Column {name!r} holds true/false values; code them as 1/0.", ExitCode.DATA)
        if is_numeric_dtype(series):
            if np.isinf(series.to_numpy(dtype=float)).any():
                raise AnalyzeError(f"Column {name!r} contains infinite values.", ExitCode.DATA)
            continue
        text = series.dropna()
        bad = text[pd.to_numeric(text, errors="coerce").isna()]
        position = int(np.flatnonzero(frame.index == bad.index[0])[0]) + 1 if len(bad) else 0
        example = bad.iloc[0] if len(bad) else series.dropna().iloc[0]
        advice = hint or (
            "recode it, leave it out of the column list, or declare such codes missing with --na-values"
        )
        raise AnalyzeError(
            f"Column {name!r} is not numeric: data row {position} has {example!r} "
            f"({len(bad)} of {len(text)} answers are text); {advice}.",
            ExitCode.DATA,
        )


def default_items(frame: pd.DataFrame, exclude: Iterable[str]) -> list[str]:
    """Without --items: every numeric column not used in another role."""
    skip = set(exclude)
    return [
        str(c)
        for c in frame.columns
        if c not in skip and is_numeric_dtype(frame[c]) and not is_bool_dtype(frame[c])
    ]


# ---------------------------------------------------------------------------------------------
# Other files


def read_text(spec: str, *, option: str, inline_marker: str) -> str:
    """A model given as a file, or inline on the command line when it is not a path and contains
    ``inline_marker`` (e.g. ``--model "f =~ x1 + x2 + x3; g =~ x4 + x5 + x6"``, formulas separated by
    ``;`` as lavaan allows)."""
    path = Path(spec)
    try:
        is_file = path.is_file()
    except OSError:  # an inline model longer than a file name may be (ENAMETOOLONG)
        is_file = False
    if is_file:
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            try:
                return path.read_text(encoding="gb18030")
            except UnicodeDecodeError as exc:
                raise _decode_error(path, "UTF-8 or GB18030", exc) from exc
    if inline_marker in spec or "\n" in spec:
        return spec
    raise AnalyzeError(f"File not found: {spec} ({option}).", ExitCode.INPUT)


def _number(cell: object, where: str) -> float:
    """A cell of a judgement or weight table: a number or a fraction such as 1/3."""
    if isinstance(cell, int | float | np.number):
        return float(cell)
    text = str(cell).strip().replace("／", "/")
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise AnalyzeError(
            f"{where} is {cell!r}, not a number or a fraction like 1/3.", ExitCode.DATA
        ) from exc


def read_weights(spec: str, *, encoding: str | None, sep: str) -> dict[str, float]:
    """Weights as ``A1=0.3,A2=0.2``, a CSV of (name, weight) rows, or a JSON object — either
    {name: weight} or the output of ``analyze ahp``/``entropy`` (its ``weights`` key)."""
    path = Path(spec)
    if path.is_file():
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise AnalyzeError(f"{path} is not readable JSON: {exc}.", ExitCode.INPUT) from exc
            data = data.get("weights", data) if isinstance(data, dict) else data
            if not isinstance(data, dict):
                raise AnalyzeError(f"{path} must hold an object of name: weight.", ExitCode.INPUT)
            return {str(k): _number(v, f"Weight of {k!r}") for k, v in data.items()}
        frame, _ = read_csv(path, encoding=encoding, sep=sep, header=None, dtype=str)
        if frame.shape[1] < 2:
            raise AnalyzeError(f"{path} must have two columns: name, weight.", ExitCode.INPUT)
        rows = frame.iloc[:, :2].dropna()
        out: dict[str, float] = {}
        for name, value in rows.itertuples(index=False):
            try:
                out[str(name).strip()] = _number(value, f"Weight of {name!r}")
            except AnalyzeError:
                if not out:  # a header row such as "item,weight"
                    continue
                raise
        return out
    if "=" not in spec:
        raise AnalyzeError(f"File not found: {spec} (--weights); or give name=weight pairs.", ExitCode.INPUT)
    out = {}
    for pair in split_list(spec):
        name, _, value = pair.partition("=")
        out[name.strip()] = _number(value, f"Weight of {name.strip()!r}")
    return out


def read_matrix(path: Path, *, encoding: str | None, sep: str) -> tuple[pd.DataFrame, int]:
    """An AHP judgement matrix: a header row of labels, with or without a first column of the same
    labels; cells are numbers or fractions (1/3). Empty cells below the diagonal are filled with
    the reciprocal of their mirror (returns the matrix and how many cells were filled)."""
    raw, _ = read_csv(path, encoding=encoding, sep=sep, header=None, dtype=str)
    raw = raw.map(lambda v: v.strip() if isinstance(v, str) else v).replace("", np.nan)
    n_rows = raw.shape[0] - 1
    header = [str(v).strip() for v in raw.iloc[0].tolist()]
    body = raw.iloc[1:].reset_index(drop=True)
    if raw.shape[1] == n_rows + 1:  # first column holds the row labels
        labels = header[1:]
        row_labels = [str(v).strip() for v in body.iloc[:, 0]]
        if row_labels != labels:
            raise AnalyzeError(
                f"{path}: the row labels {row_labels} differ from the column labels {labels}.",
                ExitCode.DATA,
            )
        body = body.iloc[:, 1:]
    elif raw.shape[1] == n_rows:
        labels = header
    else:
        raise AnalyzeError(
            f"{path}: the comparison matrix must be square; got {n_rows} rows and "
            f"{raw.shape[1]} columns after the header.",
            ExitCode.DATA,
        )
    n = len(labels)
    values = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(n):
            cell = body.iat[i, j]
            if not (isinstance(cell, float) and np.isnan(cell)):
                values[i, j] = _number(cell, f"Cell ({labels[i]}, {labels[j]})")
    filled = 0
    for i in range(n):
        if np.isnan(values[i, i]):
            values[i, i] = 1.0
        for j in range(n):
            if np.isnan(values[i, j]):
                if np.isnan(values[j, i]) or values[j, i] == 0:
                    raise AnalyzeError(
                        f"Cell ({labels[i]}, {labels[j]}) is empty and so is its mirror; give one of them.",
                        ExitCode.DATA,
                    )
                values[i, j] = 1.0 / values[j, i]
                filled += 1
    return pd.DataFrame(values, index=labels, columns=labels), filled
