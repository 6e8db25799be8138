"""Patient-mix adjustment. No published R output exists for the HCAHPS procedure, so it is tested by
its defining properties on data whose answer is known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.adjust import patient_mix_adjust
from carebridge.lib.stats.errors import StatsInputError


def make_wards(seed: int = 5) -> pd.DataFrame:
    """Three wards with true effects 0, +5, −5; ward C has older patients, and age raises the score."""
    rng = np.random.default_rng(seed)
    frames = []
    for ward, effect, age_mean in (("A", 0.0, 50.0), ("B", 5.0, 50.0), ("C", -5.0, 70.0)):
        n = 200
        age = rng.normal(age_mean, 8, n)
        sex = rng.choice(["F", "M"], n)
        mode = rng.choice(["phone", "web"], n, p=[0.7, 0.3] if ward == "C" else [0.3, 0.7])
        score = 70 + effect + 0.5 * (age - 60) + 2.0 * (sex == "F") + 4.0 * (mode == "phone")
        frames.append(pd.DataFrame({"ward": ward, "age": age, "sex": sex, "mode": mode, "score": score}))
    return pd.concat(frames, ignore_index=True)


def test_adjusted_means_recover_the_true_ward_effects_exactly() -> None:
    # Noise-free scores: adjusted mean = 70 + effect + the overall mix's contribution, for every ward.
    data = make_wards()
    result = patient_mix_adjust(data, "score", "ward", numeric=["age"], categorical=["sex"], mode="mode")
    assert result.coefficients["age"] == pytest.approx(0.5)
    # web, the commoner mode, is the reference level
    assert result.coefficients["mode[phone]"] == pytest.approx(4.0)
    adjusted = result.table["adjusted_mean"]
    assert adjusted["B"] - adjusted["A"] == pytest.approx(5.0)
    assert adjusted["C"] - adjusted["A"] == pytest.approx(-5.0)
    # Ward C's raw mean flatters it (older, more phone interviews); adjustment removes that.
    assert result.table.loc["C", "raw_mean"] > adjusted["C"]


def test_respondent_weighted_adjusted_means_average_to_the_overall_mean() -> None:
    # Σ n_u (pred_u − pred_overall) = 0, so adjustment moves units but not the hospital.
    data = make_wards()
    data["score"] += np.random.default_rng(9).normal(0, 3, len(data))
    result = patient_mix_adjust(data, "score", "ward", numeric=["age"], categorical=["sex"], mode="mode")
    table = result.table
    weighted = (table["adjusted_mean"] * table["n"]).sum() / table["n"].sum()
    assert weighted == pytest.approx(result.overall_mean)
    assert table["n"].sum() == result.n == len(data)


def test_units_with_the_same_mix_are_not_adjusted() -> None:
    base = make_wards().query("ward == 'A'")
    twin = base.assign(ward="B", score=base["score"] + 3)
    both = pd.concat([base, twin])
    result = patient_mix_adjust(both, "score", "ward", numeric=["age"], categorical=["sex"])
    np.testing.assert_allclose(result.table["adjustment"], 0, atol=1e-9)


def test_each_adjusters_contribution_is_its_share_of_the_adjustment() -> None:
    # Ward C's patients are 20 years older (0.5 a year: 10 points above A and B before adjustment)
    # and more often on the phone (+4 for 70 % against 30 %): each part is known by construction.
    data = make_wards()
    result = patient_mix_adjust(data, "score", "ward", numeric=["age"], categorical=["sex"], mode="mode")
    parts = result.contributions
    assert list(parts.columns) == ["age", "sex", "mode"]
    np.testing.assert_allclose(parts.sum(axis=1), result.table["adjustment"], atol=1e-9)
    ages = data.groupby("ward")["age"].mean()
    phone = (data["mode"] == "phone").groupby(data["ward"]).mean()
    assert parts.loc["C", "age"] == pytest.approx(-0.5 * (ages["C"] - data["age"].mean()))
    assert parts.loc["C", "mode"] == pytest.approx(-4.0 * (phone["C"] - (data["mode"] == "phone").mean()))
    assert parts.loc["C", "age"] < -5 and abs(parts.loc["A", "sex"]) < 1


def test_rows_with_missing_adjusters_are_dropped_and_counted() -> None:
    data = make_wards()
    data.loc[:9, "age"] = np.nan
    result = patient_mix_adjust(data, "score", "ward", numeric=["age"])
    assert result.n_dropped == 10
    assert result.n == len(data) - 10


def test_it_names_bad_columns() -> None:
    data = make_wards()
    with pytest.raises(StatsInputError, match="education"):
        patient_mix_adjust(data, "score", "ward", categorical=["education"])
    with pytest.raises(StatsInputError, match="sex"):
        patient_mix_adjust(data, "score", "ward", numeric=["sex"])
    with pytest.raises(StatsInputError, match="confounded"):
        patient_mix_adjust(data.assign(line=data["ward"]), "score", "ward", categorical=["line"])
    with pytest.raises(StatsInputError, match="fewer than 2"):
        patient_mix_adjust(pd.concat([data, data.head(1).assign(ward="D")]), "score", "ward", numeric=["age"])
