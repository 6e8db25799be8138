"""Weights set with the AHP editor as a service: indicator weights, and a published version refused."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from carebridge.insights.services.weights import weights_set_by_ahp

pytestmark = pytest.mark.django_db


def test_indicator_weights_within_a_dimension(draft, quality_officer_qian):
    matrix = np.array([[1.0, 2.0], [0.5, 1.0]])
    weights_set_by_ahp(
        version=draft,
        actor=quality_officer_qian,
        level="indicator",
        parent_code="env",
        labels=["env_clean", "env_quiet"],
        matrix=matrix,
    )
    draft.refresh_from_db()
    env = next(d for d in draft.definition["dimensions"] if d["code"] == "env")
    assert [i["weight"] for i in env["indicators"]] == pytest.approx([2 / 3, 1 / 3], abs=1e-5)


def test_a_published_version_cannot_be_reweighted(draft, quality_officer_qian):
    draft.status = "published"
    draft.save()
    with pytest.raises(ValidationError):
        weights_set_by_ahp(
            version=draft,
            actor=quality_officer_qian,
            level="dimension",
            parent_code=None,
            labels=["care", "env"],
            matrix=np.array([[1.0, 3.0], [1 / 3, 1.0]]),
        )
