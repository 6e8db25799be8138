"""The group reports' pool of adults: each pick is the unused person of the nearest age, the lowest key
first among equals — what a scan of every adult gave, without the scan."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from carebridge.checkup.demo.groupreports import _Pool
from carebridge.checkup.demo.people import ref_age
from carebridge.patients.models import Patient

AS_OF = dt.date(2026, 12, 1)


def _scan(pool, sex, age, used):
    """The scan the pool replaces: every adult of that sex, nearest age, then lowest key."""
    candidates = [p for p in pool if p.sex == sex and p.pk not in used and p.birth_date]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (abs(ref_age(p.birth_date, AS_OF) - age), p.pk))


def _people(rng, count, ages):
    keys = rng.sample(range(1, count * 10), count)
    return [
        Patient(
            pk=key,
            sex=rng.choice("MF"),
            birth_date=AS_OF - dt.timedelta(days=int(365.25 * rng.choice(ages)) + rng.randrange(365)),
        )
        for key in keys
    ]


@pytest.mark.parametrize("seed", range(6))
def test_every_pick_is_the_one_the_scan_made(seed):
    rng = random.Random(seed)  # noqa: S311 - test data
    people = _people(rng, 300, range(22, 81))
    pool, used, picks = _Pool(people, AS_OF), set(), 0
    for _ in range(400):  # more than there are of one sex: the pool runs dry, as the scan did
        sex, age = rng.choice("MF"), rng.randint(15, 90)
        expected = _scan(people, sex, age, used)
        assert pool.take(sex, age, used) is expected
        if expected is not None:
            used.add(expected.pk)
            picks += 1
    assert 250 < picks <= 300


def test_a_pool_of_older_people_still_answers_for_a_young_age():
    people = _people(random.Random(1), 20, [50])  # noqa: S311 - test data
    pool = _Pool(people, AS_OF)
    for sex in "MF":
        assert pool.take(sex, 23, set()) is _scan(people, sex, 23, set()) is not None
    assert _Pool([], AS_OF).take("M", 40, set()) is None
