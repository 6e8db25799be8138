"""The AHP editor: a consistent matrix sets a draft's weights, an inconsistent one is refused with the
judgements to revisit and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.core.models import AuditEvent
from carebridge.surveys.models import InstrumentVersion

pytestmark = pytest.mark.django_db

THIRD = f"{1 / 3:.6f}"


def _weights(version: InstrumentVersion) -> dict[str, float]:
    version.refresh_from_db()
    return {d["code"]: d.get("weight", 1) for d in version.definition["dimensions"]}


def _post(client, draft, a01, a02, a12, *, action="apply"):
    data = {"version": draft.pk, "level": "dimension", "parent": "", "action": action}
    data.update({"a_0_1": a01, "a_0_2": a02, "a_1_2": a12})
    return client.post(reverse("insights:ahp"), data)


def test_an_inconsistent_matrix_is_refused_with_an_explanation_and_nothing_changes(
    client, draft, quality_officer_qian
):
    before = _weights(draft)
    client.force_login(quality_officer_qian)
    # care ≫ env (9), env ≫ overall (9) but overall ≫ care (1/9): circular judgements.
    response = _post(client, draft, "9.000000", f"{1 / 9:.6f}", "9.000000")
    assert response.status_code == 400
    refusal = response.context["refusal"]
    assert "CR =" in refusal and "≥ 0.10" in refusal and "(care, overall_rating) = 1/9" in refusal
    assert _weights(draft) == before
    assert not AuditEvent.objects.filter(action="insights.ahp_weights_set").exists()


def test_a_consistent_matrix_sets_the_drafts_dimension_weights(client, draft, quality_officer_qian):
    client.force_login(quality_officer_qian)
    # care : env = 3, care : overall = 3, env : overall = 1 → weights 0.6, 0.2, 0.2 (CR = 0).
    response = _post(client, draft, "3.000000", "3.000000", "1.000000")
    assert response.status_code == 302
    weights = _weights(draft)
    assert weights["care"] == pytest.approx(0.6, abs=1e-4)
    assert weights["env"] == pytest.approx(0.2, abs=1e-4) and weights["overall_rating"] == pytest.approx(
        0.2, abs=1e-4
    )
    assert weights["about"] == 0  # unscored dimensions keep their weight
    assert AuditEvent.objects.filter(action="insights.ahp_weights_set", object_id=str(draft.pk)).exists()


def test_check_only_shows_weights_without_changing_the_draft(client, draft, quality_officer_qian):
    before = _weights(draft)
    client.force_login(quality_officer_qian)
    response = _post(client, draft, "3.000000", THIRD, THIRD, action="check")
    assert response.status_code == 200 and response.context["check"].cr >= 0
    assert _weights(draft) == before


def test_only_the_quality_office_may_set_weights(client, draft, ward_manager_wang):
    client.force_login(ward_manager_wang)
    assert client.get(reverse("insights:ahp")).status_code == 200
    assert 'id="ahp-form"' not in client.get(reverse("insights:ahp")).content.decode()
