"""The content validity index against published worked examples (not against itself)."""

from __future__ import annotations

import pytest

from carebridge.lib.stats.cvi import content_validity, item_validity
from carebridge.lib.stats.errors import StatsInputError

# Six experts rating twelve items, with the published I-CVIs, S-CVI/Ave = 0.97 and S-CVI/UA = 0.83:
# https://pmc.ncbi.nlm.nih.gov/articles/PMC7253559/table/Tab4 (Table 4).
PMC7253559_TABLE4 = {
    "1": [4, 4, 4, 4, 4, 4],
    "2": [4, 3, 4, 4, 3, 4],
    "3": [4, 4, 4, 4, 4, 4],
    "4": [4, 4, 4, 4, 4, 4],
    "5": [3, 4, 4, 4, 4, 4],
    "6": [2, 3, 4, 3, 3, 4],
    "7": [4, 4, 4, 4, 4, 4],
    "8": [4, 4, 4, 4, 4, 4],
    "9": [3, 3, 4, 2, 3, 4],
    "10": [4, 4, 4, 3, 4, 4],
    "11": [4, 4, 4, 3, 4, 4],
    "12": [4, 4, 4, 3, 4, 4],
}
PUBLISHED_I_CVI = {"6": 0.83, "9": 0.83}


def test_item_and_scale_cvi_match_the_published_table():
    result = content_validity(PMC7253559_TABLE4)
    for item in result.items:
        assert round(item.i_cvi, 2) == PUBLISHED_I_CVI.get(item.item, 1.00)
        assert item.agreeing == (5 if item.item in PUBLISHED_I_CVI else 6)
    assert round(result.s_cvi_ave, 2) == 0.97
    assert round(result.s_cvi_ua, 2) == 0.83


# (experts N, agreeing A) → published I-CVI, Pc and k*: BMC Health Serv Res 2017;17:501, Table 10
# (https://bmchealthservres.biomedcentral.com/articles/10.1186/s12913-017-2469-8/tables/10), computed
# with Polit, Beck & Owen (2007)'s formula.
PUBLISHED_KAPPA = [
    (10, 10, 1.00, 0.001, 1.00),
    (10, 9, 0.90, 0.010, 0.90),
    (10, 8, 0.80, 0.044, 0.79),
    (10, 7, 0.70, 0.117, 0.66),
    (9, 8, 0.89, 0.018, 0.89),
    (9, 7, 0.78, 0.070, 0.76),
    (9, 6, 0.67, 0.164, 0.60),
]


@pytest.mark.parametrize(("n", "a", "i_cvi", "pc", "kappa"), PUBLISHED_KAPPA)
def test_the_modified_kappa_matches_the_published_values(n, a, i_cvi, pc, kappa):
    ratings = [4] * a + [1] * (n - a)
    item = item_validity("x", ratings)
    assert (round(item.i_cvi, 2), round(item.pc, 3), round(item.kappa, 2)) == (i_cvi, pc, kappa)


def test_the_scale_of_a_published_table_column():
    """The "relevance" column of the same Table 10: six items, S-CVI/Ave 0.93, S-CVI/UA 0.67."""
    agreeing = {"1": (10, 10), "2": (10, 9), "3": (10, 7), "4": (10, 10), "5": (10, 10), "6": (10, 10)}
    ratings = {item: [4] * a + [2] * (n - a) for item, (n, a) in agreeing.items()}
    result = content_validity(ratings)
    assert (round(result.s_cvi_ave, 2), round(result.s_cvi_ua, 2)) == (0.93, 0.67)


def test_ratings_off_the_four_point_scale_are_refused():
    with pytest.raises(StatsInputError):
        item_validity("x", [4, 5])
    with pytest.raises(StatsInputError):
        content_validity({})
