"""Sampling (pure): reproducible from the seed, per-stratum targets met, proportional allocation."""

from __future__ import annotations

import pytest

from carebridge.surveys.domain.sampling import census, proportional_allocation, simple_random, stratified

PEOPLE = [f"patient:{n:012d}" for n in range(1, 201)]


def test_census_takes_everyone_once():
    assert census([*PEOPLE, PEOPLE[0]]) == PEOPLE


def test_a_simple_random_sample_is_the_same_for_the_same_seed_and_another_for_another_seed():
    first = simple_random(PEOPLE, size=20, seed=7)
    assert len(first) == 20 and len(set(first)) == 20 and set(first) <= set(PEOPLE)
    assert simple_random(list(reversed(PEOPLE)), size=20, seed=7) == first  # input order does not matter
    assert simple_random(PEOPLE, size=20, seed=8) != first


def test_a_sample_larger_than_the_population_takes_everyone():
    assert simple_random(PEOPLE[:5], size=10, seed=1) == PEOPLE[:5]


def test_a_stratified_sample_meets_each_target_and_is_reproducible():
    strata = {"CARD": PEOPLE[:120], "PEDI": PEOPLE[120:180], "ORTH": PEOPLE[180:]}
    targets = {"CARD": 30, "PEDI": 15, "ORTH": 5}
    drawn = stratified(strata, targets=targets, seed=2025)
    assert {key: len(members) for key, members in drawn.items()} == targets
    for key, members in drawn.items():
        assert set(members) <= set(strata[key])
    assert stratified(strata, targets=targets, seed=2025) == drawn
    assert stratified(strata, targets=targets, seed=2026) != drawn


def test_changing_one_stratum_does_not_change_who_is_drawn_in_another():
    strata = {"CARD": PEOPLE[:120], "PEDI": PEOPLE[120:]}
    before = stratified(strata, targets={"CARD": 30, "PEDI": 10}, seed=3)
    after = stratified(strata, targets={"CARD": 30, "PEDI": 20}, seed=3)
    assert after["CARD"] == before["CARD"]


def test_a_stratum_smaller_than_its_target_is_taken_whole_and_one_without_target_gives_none():
    drawn = stratified({"A": PEOPLE[:3], "B": PEOPLE[3:10]}, targets={"A": 5}, seed=1)
    assert drawn == {"A": PEOPLE[:3], "B": []}


def test_a_person_in_two_strata_is_a_caller_error():
    with pytest.raises(ValueError, match="more than one stratum"):
        stratified({"A": PEOPLE[:3], "B": PEOPLE[2:5]}, targets={"A": 1, "B": 1}, seed=1)


def test_negative_seeds_and_sizes_are_refused():
    with pytest.raises(ValueError, match="seed"):
        simple_random(PEOPLE, size=3, seed=-1)
    with pytest.raises(ValueError, match="size"):
        simple_random(PEOPLE, size=-1, seed=1)


def test_proportional_allocation_adds_up_with_the_largest_remainders():
    assert proportional_allocation({"A": 50, "B": 30, "C": 20}, total=10) == {"A": 5, "B": 3, "C": 2}
    allocation = proportional_allocation({"A": 1, "B": 1, "C": 1}, total=2)
    assert sum(allocation.values()) == 2 and allocation == {"A": 1, "B": 1, "C": 0}  # ties by key
    assert proportional_allocation({"A": 3, "B": 2}, total=10) == {"A": 3, "B": 2}  # everyone
