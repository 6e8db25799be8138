"""Importance–performance analysis: quadrant rules of Martilla & James (1977); no R reference exists."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.ipa import ipa, ipa_from_survey


def test_quadrants_with_crosshairs_at_the_means() -> None:
    result = ipa(
        {"wait": 0.8, "staff": 0.7, "food": 0.2, "parking": 0.3},
        {"wait": 3.0, "staff": 4.5, "food": 3.2, "parking": 4.8},
    )
    assert result.importance_cut == pytest.approx(0.5)
    assert result.performance_cut == pytest.approx(3.875)
    assert result.table["quadrant"].to_dict() == {
        "wait": "concentrate_here",
        "staff": "keep_up",
        "food": "low_priority",
        "parking": "possible_overkill",
    }


def test_given_crosshairs_override_the_means_and_ties_count_as_high() -> None:
    result = ipa({"a": 0.5, "b": 0.4}, {"a": 4.0, "b": 4.0}, importance_cut=0.5, performance_cut=4.0)
    assert result.table.loc["a", "quadrant"] == "keep_up"
    assert result.table.loc["b", "quadrant"] == "possible_overkill"


def test_ipa_from_survey_uses_derived_importance_and_means() -> None:
    rng = np.random.default_rng(3)
    n = 400
    data = pd.DataFrame({name: rng.integers(1, 6, n) for name in ("wait", "staff", "food")})
    data["overall"] = data["wait"] * 2 + data["staff"] + rng.normal(0, 1, n)
    result = ipa_from_survey(data, ["wait", "staff", "food"], "overall")
    assert result.table.loc["wait", "importance"] > result.table.loc["food", "importance"]
    assert result.table.loc["food", "performance"] == pytest.approx(data["food"].mean())


def test_it_rejects_mismatched_attributes() -> None:
    with pytest.raises(StatsInputError, match="parking"):
        ipa({"a": 1, "parking": 2}, {"a": 3, "b": 4})
