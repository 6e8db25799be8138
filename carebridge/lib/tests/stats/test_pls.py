"""PLS-PM against R plspm on the ECSI ``satisfaction`` data (plspm's own example model).

Reference numbers: the output of R ``plspm(satisfaction, sat_path, sat_blocks, modes = rep("A", 6),
scaled = FALSE)`` (centroid scheme, plspm 0.4.x) as saved from R in the public repository
GoogleCloudPlatform/plspm-python, files ``tests/data/satisfaction.*.csv`` and
``satisfaction_unidim.csv`` (only the numbers are used here). R prints 7 significant digits; we
compare to 1e-6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.pls import csi_index, pls_bootstrap, plspm, rescaled_scores
from carebridge.lib.tests.datasets import load

BLOCKS = {
    "IMAG": [f"imag{i}" for i in range(1, 6)],
    "EXPE": [f"expe{i}" for i in range(1, 6)],
    "QUAL": [f"qual{i}" for i in range(1, 6)],
    "VAL": [f"val{i}" for i in range(1, 5)],
    "SAT": [f"sat{i}" for i in range(1, 5)],
    "LOY": [f"loy{i}" for i in range(1, 5)],
}
PATHS = [
    ("IMAG", "EXPE"),
    ("IMAG", "SAT"),
    ("IMAG", "LOY"),
    ("EXPE", "QUAL"),
    ("EXPE", "VAL"),
    ("EXPE", "SAT"),
    ("QUAL", "VAL"),
    ("QUAL", "SAT"),
    ("VAL", "SAT"),
    ("SAT", "LOY"),
]

# R plspm $path_coefs (= direct effects in satisfaction.effects.csv).
R_PATHS = {
    ("IMAG", "EXPE"): 0.57895912845279,
    ("IMAG", "SAT"): 0.200724200280665,
    ("IMAG", "LOY"): 0.275149575748467,
    ("EXPE", "QUAL"): 0.8483444083796,
    ("EXPE", "VAL"): 0.105477649519747,
    ("EXPE", "SAT"): -0.00275399457916834,
    ("QUAL", "VAL"): 0.676655529105984,
    ("QUAL", "SAT"): 0.122144565609107,
    ("VAL", "SAT"): 0.589330650016017,
    ("SAT", "LOY"): 0.495479322090817,
}
# R plspm $inner_summary (satisfaction.inner-summary.csv): R2, Block_Communality, Mean_Redundancy, AVE.
R_INNER_SUMMARY = {
    "IMAG": (0.0, 0.582269092760334, 0.0, 0.582269092760334),
    "EXPE": (0.335193672418813, 0.616419883010119, 0.206620044338137, 0.616419883010119),
    "QUAL": (0.719688235228933, 0.65857174851724, 0.473966339462006, 0.65857174851724),
    "VAL": (0.59008437279849, 0.66441556645883, 0.392061242811412, 0.66441556645883),
    "SAT": (0.707320949544597, 0.75889072736371, 0.536779309879489, 0.75889072736371),
    "LOY": (0.509922562050087, 0.639051735398058, 0.325866898196732, 0.639051735398058),
}
# R plspm $outer_model (satisfaction.outer-model.csv): weight, loading.
R_OUTER = {
    "imag1": (0.0982418501741741, 0.70932650116601),
    "imag2": (0.157472863818056, 0.877307817983846),
    "imag3": (0.156722118194341, 0.841748537706059),
    "imag4": (0.0765758587028763, 0.569193430203468),
    "imag5": (0.184330241358762, 0.77846683251928),
    "expe1": (0.106230159251131, 0.765800562617078),
    "expe2": (0.140693124381936, 0.837418997567575),
    "expe3": (0.118783165134756, 0.759820571357087),
    "expe4": (0.0994514827286758, 0.71834524993581),
    "expe5": (0.138374378658729, 0.837276022047764),
    "qual1": (0.106606553258155, 0.781469313516066),
    "qual2": (0.134594903250232, 0.881558340214507),
    "qual3": (0.117141650592502, 0.794076151381524),
    "qual4": (0.0956184636638662, 0.788981936722486),
    "qual5": (0.115707870129084, 0.807446541109636),
    "val1": (0.174960810051613, 0.864821997997945),
    "val2": (0.11766978894579, 0.796238958208741),
    "val3": (0.1207889525664, 0.750064674608617),
    "val4": (0.16652602110192, 0.844483086242166),
    "sat1": (0.166366549374147, 0.919797990928334),
    "sat2": (0.162659797860461, 0.916030239797506),
    "sat3": (0.121091359148817, 0.825878617822696),
    "sat4": (0.132079076814512, 0.8175253352275),
    "loy1": (0.158624625826792, 0.906587085677551),
    "loy2": (0.081728096069474, 0.671101376778201),
    "loy3": (0.161664593108151, 0.904973625494352),
    "loy4": (0.0806690862675395, 0.681874238346727),
}
R_GOF = 0.609741624338411  # R plspm $gof for this model (as asserted in plspm-python's R comparison)
# R plspm $unidim (satisfaction_unidim.csv): C.alpha, DG.rho, eig.1st, eig.2nd.
R_UNIDIM = {
    "IMAG": (0.830226690205339, 0.882203311183515, 3.01780990053354, 0.777635750863909),
    "EXPE": (0.84658407892526, 0.890855432982731, 3.10231374752292, 0.610546737862663),
    "QUAL": (0.871324954769643, 0.906899737529554, 3.30598735662497, 0.567777281450322),
    "VAL": (0.835722840511797, 0.890444224132854, 2.68153094464434, 0.600684167284007),
    "SAT": (0.894010912676559, 0.926700636965068, 3.03999878726797, 0.422000089566117),
    "LOY": (0.819421641029961, 0.881371093219811, 2.60472075864966, 0.573454889436363),
}


@pytest.fixture(scope="module")
def satisfaction() -> pd.DataFrame:
    return load("ecsi_satisfaction")


@pytest.fixture(scope="module")
def satpls(satisfaction: pd.DataFrame):
    return plspm(satisfaction, BLOCKS, PATHS, modes="A", scheme="centroid", scaled=False)


def test_path_coefficients_match_r(satpls) -> None:
    for (src, dst), expected in R_PATHS.items():
        assert satpls.path_coefs.loc[dst, src] == pytest.approx(expected, abs=1e-6)


def test_r2_communality_redundancy_and_ave_match_r(satpls) -> None:
    for lv, (r2, comm, red, ave) in R_INNER_SUMMARY.items():
        row = satpls.inner_summary.loc[lv]
        assert row["r2"] == pytest.approx(r2, abs=1e-6)
        assert row["block_communality"] == pytest.approx(comm, abs=1e-6)
        assert row["mean_redundancy"] == pytest.approx(red, abs=1e-6)
        assert row["ave"] == pytest.approx(ave, abs=1e-6)


def test_outer_weights_and_loadings_match_r(satpls) -> None:
    for mv, (weight, loading) in R_OUTER.items():
        assert satpls.outer_model.loc[mv, "weight"] == pytest.approx(weight, abs=1e-6)
        assert satpls.outer_model.loc[mv, "loading"] == pytest.approx(loading, abs=1e-6)


def test_goodness_of_fit_matches_r(satpls) -> None:
    assert satpls.gof == pytest.approx(R_GOF, abs=1e-6)


def test_unidimensionality_matches_r(satpls) -> None:
    for lv, values in R_UNIDIM.items():
        row = satpls.unidim.loc[lv]
        got = (row["cronbach_alpha"], row["dillon_goldstein_rho"], row["eig_1st"], row["eig_2nd"])
        assert got == pytest.approx(values, abs=1e-6)


def test_inner_model_for_sat_matches_r_lm_summary(satpls) -> None:
    # satisfaction.inner-model.csv: Estimate, Std. Error, t value, Pr(>|t|) for SAT's predictors.
    sat = satpls.inner_model["SAT"]
    assert sat.loc["IMAG", "std_error"] == pytest.approx(0.0499287396486374, abs=1e-7)
    assert sat.loc["VAL", "t"] == pytest.approx(9.81948600675306, abs=1e-5)
    assert sat.loc["QUAL", "p"] == pytest.approx(0.105591533548731, abs=1e-7)
    assert sat.loc["EXPE", "p"] == pytest.approx(0.966593697082093, abs=1e-7)


def test_indirect_and_total_effects_match_r(satpls) -> None:
    # satisfaction.effects.csv
    eff = satpls.effects.set_index(["from", "to"])
    assert len(eff) == 15
    assert eff.loc[("IMAG", "LOY"), "indirect"] == pytest.approx(0.243266046562688, abs=1e-6)
    assert eff.loc[("EXPE", "SAT"), "total"] == pytest.approx(0.501325436174541, abs=1e-6)
    assert eff.loc[("QUAL", "LOY"), "total"] == pytest.approx(0.25810429986563, abs=1e-6)


@pytest.mark.parametrize(
    ("scheme", "mv", "weight", "loading"),
    [
        # satisfaction.outer-model-path.csv (plspm scheme = "path")
        ("path", "imag1", 0.0982374837495072, 0.70955076789416),
        ("path", "val2", 0.121254528616825, 0.799328099439193),
        ("path", "loy4", 0.0786269581935837, 0.678814311108138),
        # satisfaction.outer-model-factorial.csv (plspm scheme = "factorial")
        ("factorial", "imag1", 0.0982545375897477, 0.709579562555722),
        ("factorial", "val2", 0.118244094401818, 0.796730006569803),
        ("factorial", "loy4", 0.0802887089500578, 0.681305477044771),
    ],
)
def test_other_inner_schemes_match_r(satisfaction, scheme, mv, weight, loading) -> None:
    result = plspm(satisfaction, BLOCKS, PATHS, scheme=scheme, scaled=False)
    assert result.outer_model.loc[mv, "weight"] == pytest.approx(weight, abs=1e-6)
    assert result.outer_model.loc[mv, "loading"] == pytest.approx(loading, abs=1e-6)


def test_mode_b_matches_r(satisfaction) -> None:
    # satisfaction.modeb.inner-summary.csv: all blocks Mode B, centroid, scaled = FALSE.
    result = plspm(satisfaction, BLOCKS, PATHS, modes="B", scaled=False)
    r_r2 = {
        "EXPE": 0.372046006581529,
        "QUAL": 0.722837619445379,
        "VAL": 0.614360808369793,
        "SAT": 0.732183693952877,
        "LOY": 0.539969047981518,
    }
    for lv, expected in r_r2.items():
        assert result.r2[lv] == pytest.approx(expected, abs=1e-6)
    assert result.inner_summary.loc["IMAG", "block_communality"] == pytest.approx(0.532480143903468, abs=1e-6)
    assert result.inner_summary["ave"].isna().all()


def test_scores_are_standardised_with_population_variance(satpls) -> None:
    assert np.allclose(satpls.scores.mean(), 0, atol=1e-12)
    assert np.allclose(satpls.scores.var(ddof=0), 1)


def test_bootstrap_is_seeded_and_close_to_r_standard_errors(satisfaction) -> None:
    # R's bootstrap (satisfaction_boot_paths.csv) used R's RNG, so only the size of the standard
    # errors can agree; 200 resamples estimate an SE to within roughly ±10 %.
    r_se = {
        "IMAG -> EXPE": 0.0571020970575064,
        "EXPE -> QUAL": 0.0244616193096477,
        "VAL -> SAT": 0.0865482765571615,
        "SAT -> LOY": 0.0821812222333643,
    }
    boot = pls_bootstrap(satisfaction, BLOCKS, PATHS, scaled=False, n_boot=200, seed=7)
    again = pls_bootstrap(satisfaction, BLOCKS, PATHS, scaled=False, n_boot=200, seed=7)
    pd.testing.assert_frame_equal(boot.paths, again.paths)
    for label, se in r_se.items():
        assert boot.paths.loc[label, "std_error"] == pytest.approx(se, rel=0.3)
    assert (boot.paths["perc_low"] <= boot.paths["original"]).all()
    assert (boot.paths["original"] <= boot.paths["perc_high"]).all()
    assert boot.paths.loc["IMAG -> EXPE", "original"] == pytest.approx(R_PATHS[("IMAG", "EXPE")], abs=1e-6)


def test_csi_index_is_the_weighted_item_mean_on_0_100(satisfaction, satpls) -> None:
    # No published plspm value for the index; check the definition on the original scale instead:
    # mean of plspm::rescale() scores mapped from 1..10 to 0..100, inside the range of item means.
    csi = csi_index(satpls, scale_min=1, scale_max=10)
    rescaled = rescaled_scores(satpls, satisfaction)
    for lv, mvs in BLOCKS.items():
        assert csi.loc[lv, "index"] == pytest.approx((rescaled[lv].mean() - 1) / 9 * 100)
        item_index = (satisfaction[mvs].mean() - 1) / 9 * 100
        assert item_index.min() <= csi.loc[lv, "index"] <= item_index.max()


def test_csi_index_is_invariant_to_a_linear_change_of_scale(satisfaction, satpls) -> None:
    # Re-expressing every item as 2x + 3 (so 1..10 becomes 5..23) must not move the 0-100 index.
    items = [mv for mvs in BLOCKS.values() for mv in mvs]
    moved = satisfaction.copy()
    moved[items] = moved[items] * 2 + 3
    a = csi_index(satpls, scale_min=1, scale_max=10)["index"]
    b = csi_index(plspm(moved, BLOCKS, PATHS, scaled=False), scale_min=5, scale_max=23)["index"]
    pd.testing.assert_series_equal(a, b, atol=1e-9)


def test_it_rejects_unknown_and_non_numeric_columns(satisfaction) -> None:
    with pytest.raises(StatsInputError, match="imag9"):
        plspm(satisfaction, {**BLOCKS, "IMAG": ["imag1", "imag9"]}, PATHS)
    with pytest.raises(StatsInputError, match="gender"):
        plspm(satisfaction, {**BLOCKS, "LOY": ["loy1", "gender"]}, PATHS)


def test_it_rejects_cycles_and_unknown_constructs(satisfaction) -> None:
    with pytest.raises(StatsInputError, match="cycle"):
        plspm(satisfaction, BLOCKS, [*PATHS, ("LOY", "IMAG")])
    with pytest.raises(StatsInputError, match="NOPE"):
        plspm(satisfaction, BLOCKS, [*PATHS, ("NOPE", "SAT")])


def test_it_rejects_too_few_rows(satisfaction) -> None:
    with pytest.raises(StatsInputError, match="rows"):
        plspm(satisfaction.head(5), BLOCKS, PATHS)
