"""The AHP arithmetic: a consistent matrix has no disagreements, an inconsistent one names them."""

from __future__ import annotations

import numpy as np
import pytest

from carebridge.insights.domain.analysis.ahp import ahp_check


def test_the_disagreements_name_the_judgement_to_revisit():
    check = ahp_check(["a", "b", "c"], np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], dtype=float))
    assert check.consistent and check.cr == pytest.approx(0, abs=1e-9) and not check.disagreements
    bad = ahp_check(["a", "b", "c"], np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], dtype=float))
    assert not bad.consistent and bad.disagreements
