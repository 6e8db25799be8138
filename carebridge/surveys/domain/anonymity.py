"""What an anonymous wave may show of each response so that no response can be linked to one invitee.

The invitation list of a wave names its invitees (masked), their department and whether they answered;
a response shows its department, when it was submitted and its mode. Joining the two links a response
to a person whenever its shown attributes are shared by fewer than ``k`` responses. Here every response
of an anonymous wave is shown in a *cell* — (department, month, mode), generalised step by step to
(—, month, mode), (—, —, mode) and (—, —, —) — holding at least ``k`` responses: any two responses of a
cell can be swapped between their invitees without contradicting anything shown, so each response has at
least ``k`` possible authors (k-anonymity). A wave with fewer than ``k`` responses in total shows none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# The shown attributes of one response: department id, first day of the month, mode; None = withheld.
Cell = tuple[int | None, dt.date | None, str | None]


@dataclass(frozen=True)
class Shown:
    """What may be shown of one response of an anonymous wave (None: withheld)."""

    department_id: int | None
    month: dt.date | None
    mode: str | None


@dataclass(frozen=True)
class Row:
    """A response as the generaliser sees it: its id and its quasi-identifiers."""

    pk: int
    department_id: int | None
    day: dt.date
    mode: str


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


_WITHHELD: Cell = (None, None, None)
_LEVELS = (
    lambda row: (row.department_id, month_of(row.day), row.mode),
    lambda row: (None, month_of(row.day), row.mode),
    lambda row: (None, None, row.mode),
    lambda row: (None, None, None),
)


def generalise(rows: Iterable[Row], *, k: int) -> dict[int, Shown]:
    """Each response's shown cell, every cell holding at least ``k`` responses; responses that cannot be
    placed in such a cell (the wave has fewer than ``k``) are left out of the result — show none of them."""
    k = max(k, 2)
    pending: list[Row] = list(rows)
    placed: dict[int, Cell] = {}
    for level in _LEVELS:
        cells: dict[Cell, list[Row]] = defaultdict(list)
        for row in pending:
            cells[level(row)].append(row)
        pending = []
        for cell, members in cells.items():
            if len(members) >= k:
                placed.update((row.pk, cell) for row in members)
            else:
                pending.extend(members)
    if pending:
        _withhold_smallest_cells(len(pending), placed, k)
    if len(pending) + sum(cell == _WITHHELD for cell in placed.values()) >= k:
        placed.update((row.pk, _WITHHELD) for row in pending)
    return {pk: Shown(*cell) for pk, cell in placed.items()}


def _withhold_smallest_cells(residue: int, placed: dict[int, Cell], k: int) -> None:
    """Grow the fully withheld residue (fewer than ``k``) to ``k`` responses by withholding the smallest
    shown cells too; when the whole wave has fewer than ``k`` nothing is placed at all."""
    if residue + len(placed) < k:
        placed.clear()
        return
    by_cell: dict[Cell, list[int]] = defaultdict(list)
    for pk, cell in placed.items():
        by_cell[cell].append(pk)
    for _cell, members in sorted(by_cell.items(), key=lambda item: (len(item[1]), str(item[0]))):
        if residue >= k:
            break
        for pk in members:
            placed[pk] = _WITHHELD
        residue += len(members)
