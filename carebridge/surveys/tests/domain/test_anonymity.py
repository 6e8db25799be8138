"""The cells an anonymous wave shows: every shown combination of department, month and mode is shared by
at least k responses, and a wave with fewer than k responses shows none."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from carebridge.surveys.domain.anonymity import Row, generalise


def _rows(spec):
    """Rows from (department, day, mode, count) tuples, numbered from 1."""
    rows = []
    for department, day, mode, count in spec:
        first = len(rows) + 1
        rows += [Row(pk=first + n, department_id=department, day=day, mode=mode) for n in range(count)]
    return rows


def test_large_cells_are_shown_whole_and_small_ones_lose_their_department():
    nov, dec = dt.date(2026, 11, 3), dt.date(2026, 12, 9)
    rows = _rows([(1, nov, "web", 6), (2, nov, "web", 3), (3, nov, "web", 2), (1, dec, "web", 5)])
    shown = generalise(rows, k=5)
    cells = Counter((s.department_id, s.month, s.mode) for s in shown.values())
    assert cells == {
        (1, dt.date(2026, 11, 1), "web"): 6,
        (None, dt.date(2026, 11, 1), "web"): 5,
        (1, dt.date(2026, 12, 1), "web"): 5,
    }


def test_a_lone_phone_interview_is_hidden_among_others_and_never_alone():
    nov = dt.date(2026, 11, 3)
    rows = _rows([(1, nov, "web", 9), (1, nov, "phone", 1)])
    shown = generalise(rows, k=5)
    assert len(shown) == 10
    assert all(count >= 5 for count in Counter(shown.values()).values())


def test_a_wave_with_fewer_than_k_responses_shows_none():
    rows = _rows([(1, dt.date(2026, 11, 3), "web", 4)])
    assert generalise(rows, k=5) == {}


def test_every_cell_holds_k_responses_on_random_waves():
    generator = random.Random(19)  # noqa: S311 - deterministic test data
    for _ in range(200):
        k = generator.randint(2, 8)
        rows = [
            Row(
                pk=n,
                department_id=generator.choice([1, 2, 3, 4, 5, None]),
                day=dt.date(2026, generator.randint(1, 12), generator.randint(1, 28)),
                mode=generator.choice(["web", "web", "web", "phone", "paper"]),
            )
            for n in range(generator.randint(0, 60))
        ]
        shown = generalise(rows, k=k)
        assert set(shown) in (set(), {row.pk for row in rows})
        assert all(count >= k for count in Counter(shown.values()).values())
        by_pk = {row.pk: row for row in rows}
        for pk, cell in shown.items():  # never shows anything the response does not have
            row = by_pk[pk]
            assert cell.department_id in (None, row.department_id)
            assert cell.mode in (None, row.mode)
            assert cell.month in (None, row.day.replace(day=1))
