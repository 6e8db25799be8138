"""Shared sample moments (issue #20, item 8): every function that accepts ``SampleMoments`` in place of
the DataFrame gives the DataFrame route's numbers on complete data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor import bartlett_sphericity, efa, kmo, parallel_analysis_wishart
from carebridge.lib.stats.moments import SampleMoments
from carebridge.lib.stats.reliability import cronbach_alpha
from carebridge.lib.stats.sem import fit_sem
from carebridge.lib.tests.datasets import load

ITEMS = [f"{t}{i}" for t in "ACENO" for i in range(1, 6)]


@pytest.fixture(scope="module")
def complete() -> pd.DataFrame:
    return load("psych_bfi")[ITEMS].dropna()


@pytest.fixture(scope="module")
def moments(complete: pd.DataFrame) -> SampleMoments:
    return SampleMoments.from_frame(complete)


def test_moments_are_those_of_the_rows(complete: pd.DataFrame, moments: SampleMoments) -> None:
    assert moments.n == len(complete) == 2436
    assert np.allclose(moments.cov, complete.cov().to_numpy(), atol=1e-12)
    assert np.allclose(moments.mean, complete.mean().to_numpy())
    assert moments.subset(["C2", "A1"]).names == ("C2", "A1")
    with pytest.raises(StatsInputError, match="Z9"):
        moments.subset(["A1", "Z9"])
    with pytest.raises(StatsInputError, match="missing answer"):
        SampleMoments.from_frame(load("psych_bfi"), ITEMS)
    assert SampleMoments.from_frame(load("psych_bfi"), ITEMS, listwise=True).n == 2436


def test_alpha_from_moments_equals_alpha_from_rows(complete: pd.DataFrame, moments: SampleMoments) -> None:
    kwargs = {"reverse": ["A1"], "scale_min": 1, "scale_max": 6}
    rows = cronbach_alpha(complete, ITEMS[:5], **kwargs)  # type: ignore[arg-type]
    shared = cronbach_alpha(moments, ITEMS[:5], **kwargs)  # type: ignore[arg-type]
    for field in ("raw_alpha", "std_alpha", "g6_smc", "average_r", "median_r", "ase", "mean", "sd"):
        assert getattr(shared, field) == pytest.approx(getattr(rows, field), rel=1e-10), field
    for a, b in zip(rows.items, shared.items, strict=True):
        assert (a.item, a.n, a.reversed) == (b.item, b.n, b.reversed)
        for field in ("raw_r", "std_r", "r_cor", "r_drop", "mean", "sd"):
            assert getattr(b, field) == pytest.approx(getattr(a, field), rel=1e-10), (a.item, field)
        assert b.if_deleted.raw_alpha == pytest.approx(a.if_deleted.raw_alpha, rel=1e-10)
    # without a scale the reversal uses the answers' range, as on the rows
    found = cronbach_alpha(moments, ITEMS[:5], reverse=["A1"])
    assert found.raw_alpha == pytest.approx(cronbach_alpha(complete, ITEMS[:5], reverse=["A1"]).raw_alpha)


def test_factor_analyses_from_moments_equal_those_from_rows(
    complete: pd.DataFrame, moments: SampleMoments
) -> None:
    assert kmo(moments, ITEMS).overall == pytest.approx(kmo(complete, ITEMS).overall, rel=1e-12)
    assert bartlett_sphericity(moments, ITEMS).chi2 == pytest.approx(
        bartlett_sphericity(complete, ITEMS).chi2, rel=1e-12
    )
    a, b = efa(complete, ITEMS, 5), efa(moments, ITEMS, 5)
    assert list(a.loadings.columns) == list(b.loadings.columns)
    assert np.allclose(a.loadings.to_numpy(), b.loadings.to_numpy(), atol=1e-6)
    pa, pb = (
        parallel_analysis_wishart(complete, ITEMS, seed=3),
        parallel_analysis_wishart(moments, ITEMS, seed=3),
    )
    assert pa.simulated_fa == pb.simulated_fa and pa.n_factors == pb.n_factors


def test_sem_from_moments_equals_sem_from_rows() -> None:
    data = load("holzinger_swineford_1939")
    model = "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9"
    rows, shared = (
        fit_sem(data, model),
        fit_sem(SampleMoments.from_frame(data, [f"x{i}" for i in range(1, 10)]), model),
    )
    assert shared.fit.chisq == pytest.approx(rows.fit.chisq, rel=1e-10)
    assert [e.estimate for e in shared.estimates] == pytest.approx(
        [e.estimate for e in rows.estimates], rel=1e-8
    )
    assert shared.htmt.equals(rows.htmt) or np.allclose(shared.htmt, rows.htmt)


def test_moments_refuse_what_the_rows_would() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, np.inf], "b": [1.0, 3.0, 2.0], "c": ["x", "y", "z"]})
    with pytest.raises(StatsInputError, match="infinite values: a"):
        SampleMoments.from_frame(frame, ["a", "b"])
    with pytest.raises(StatsInputError, match="'c' is not numeric"):
        SampleMoments.from_frame(frame, ["b", "c"])
    flat = SampleMoments.from_frame(pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [1.0, 2.0, 4.0]}))
    with pytest.raises(StatsInputError, match="no variance: a"):
        flat.require_variance()
