"""Johnson's relative weights against R ``rwa`` (Chan, rwa package) on R's ``mtcars`` data."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.drivers import relative_weights
from carebridge.lib.stats.errors import StatsInputError

# R datasets::mtcars (Henderson & Velleman 1981, from Motor Trend 1974), columns mpg cyl disp hp wt.
MTCARS = """\
21.0 6 160.0 110 2.620
21.0 6 160.0 110 2.875
22.8 4 108.0 93 2.320
21.4 6 258.0 110 3.215
18.7 8 360.0 175 3.440
18.1 6 225.0 105 3.460
14.3 8 360.0 245 3.570
24.4 4 146.7 62 3.190
22.8 4 140.8 95 3.150
19.2 6 167.6 123 3.440
17.8 6 167.6 123 3.440
16.4 8 275.8 180 4.070
17.3 8 275.8 180 3.730
15.2 8 275.8 180 3.780
10.4 8 472.0 205 5.250
10.4 8 460.0 215 5.424
14.7 8 440.0 230 5.345
32.4 4 78.7 66 2.200
30.4 4 75.7 52 1.615
33.9 4 71.1 65 1.835
21.5 4 120.1 97 2.465
15.5 8 318.0 150 3.520
15.2 8 304.0 150 3.435
13.3 8 350.0 245 3.840
19.2 8 400.0 175 3.845
27.3 4 79.0 66 1.935
26.0 4 120.3 91 2.140
30.4 4 95.1 113 1.513
15.8 8 351.0 264 3.170
19.7 6 145.0 175 2.770
15.0 8 301.0 335 3.570
21.4 4 121.0 109 2.780
"""
# rwa documentation, article "regression methods" (martinctc.github.io/rwa/articles/regression-methods.html):
# rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt"))$result
RWA_RAW = {"cyl": 0.2096904, "disp": 0.1883043, "hp": 0.1799590, "wt": 0.2706812}
RWA_RESCALED = {"cyl": 24.70914, "disp": 22.18908, "hp": 21.20570, "wt": 31.89607}


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(MTCARS), sep=" ", header=None, names=["mpg", "cyl", "disp", "hp", "wt"])


def test_raw_and_rescaled_weights_match_rwa(mtcars) -> None:
    result = relative_weights(mtcars, "mpg", ["cyl", "disp", "hp", "wt"])
    for name, raw in RWA_RAW.items():
        assert result.table.loc[name, "raw_weight"] == pytest.approx(raw, abs=1e-7)
        assert result.table.loc[name, "rescaled_pct"] == pytest.approx(RWA_RESCALED[name], abs=1e-5)


def test_raw_weights_sum_to_the_model_r2(mtcars) -> None:
    result = relative_weights(mtcars, "mpg", ["cyl", "disp", "hp", "wt"])
    x = np.column_stack([np.ones(len(mtcars)), mtcars[["cyl", "disp", "hp", "wt"]]])
    beta, *_ = np.linalg.lstsq(x, mtcars["mpg"], rcond=None)
    resid = mtcars["mpg"] - x @ beta
    r2 = 1 - resid @ resid / ((mtcars["mpg"] - mtcars["mpg"].mean()) ** 2).sum()
    assert result.r2 == pytest.approx(r2)
    assert result.table["raw_weight"].sum() == pytest.approx(r2)
    assert result.table["rescaled_pct"].sum() == pytest.approx(100)


def test_uncorrelated_predictors_get_their_squared_correlation() -> None:
    # Analytic case: with orthogonal predictors the relative weight equals r².
    x1 = np.array([1, -1, 1, -1, 1, -1, 1, -1], dtype=float)
    x2 = np.array([1, 1, -1, -1, 1, 1, -1, -1], dtype=float)
    y = 2 * x1 + x2 + np.array([0.1, -0.2, 0.05, 0.0, -0.1, 0.2, -0.05, 0.0])
    data = pd.DataFrame({"x1": x1, "x2": x2, "y": y})
    result = relative_weights(data, "y", ["x1", "x2"])
    np.testing.assert_allclose(result.table["raw_weight"], result.table["r"] ** 2)


def test_bootstrap_intervals_are_seeded_and_cover_the_estimate(mtcars) -> None:
    a = relative_weights(mtcars, "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, seed=11)
    b = relative_weights(mtcars, "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, seed=11)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert (a.table["raw_low"] <= a.table["raw_weight"]).all()
    assert (a.table["raw_weight"] <= a.table["raw_high"]).all()


def test_it_rejects_unknown_columns_and_collinear_predictors(mtcars) -> None:
    with pytest.raises(StatsInputError, match="gear"):
        relative_weights(mtcars, "mpg", ["cyl", "gear"])
    data = mtcars.assign(wt2=mtcars["wt"] * 2)
    with pytest.raises(StatsInputError, match="linearly dependent"):
        relative_weights(data, "mpg", ["wt", "wt2"])
