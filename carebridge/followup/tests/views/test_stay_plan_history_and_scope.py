"""A stay plan's items keep their history (who closed or dropped each, when, from → to, why), read in
the order it happened and shown on the care plan's page; and a stay plan is visible exactly where its care
plan is — a cardiology clinician who owns a call of a paediatric stay sees that stay's plan on its page
and through the API, and no other paediatric stay plan."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from carebridge.core.tests.factories import StaffFactory
from carebridge.followup.choices import StayItemStatus
from carebridge.followup.models import StayItemTransition, Touchpoint
from carebridge.followup.selectors.stay_plans import stay_plan_history, stay_plan_list
from carebridge.followup.services.stay_plans import stay_item_close, stay_plan_agree
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(at(2026, 3, 3, 12), tick=False):
        yield


@pytest.fixture
def agreed(stay, doctors, hospital, paediatrics, ward_manager_wang):
    nurse = StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)

    def make(items=("解释检查安排", "营养餐安排", "家属会谈")):
        plan = stay(started_at=at(2026, 3, 2, 9))
        return stay_plan_agree(
            plan=plan,
            doctor=doctors.pedi,
            nurse=nurse,
            items=[{"text": text} for text in items],
            actor=ward_manager_wang,
            agreed_at=at(2026, 3, 2, 15),
        )

    return make


def test_closing_and_dropping_items_writes_their_history_in_order(agreed, ward_manager_wang, client):
    stay_plan = agreed()
    first, second, third = stay_plan.items.order_by("sequence")
    same_moment = at(2026, 3, 3, 11)
    # Written in the reverse of their numbers at the same instant: the history follows the writes (id).
    stay_item_close(item=third, to=StayItemStatus.DONE, actor=ward_manager_wang, at=same_moment)
    stay_item_close(
        item=first, to=StayItemStatus.DROPPED, note="患者拒绝", actor=ward_manager_wang, at=same_moment
    )
    history = stay_plan_history(stay_plan)
    assert [(t.item.sequence, t.from_status, t.to_status, t.reason) for t in history] == [
        (3, "open", "done", ""),
        (1, "open", "dropped", "患者拒绝"),
    ]
    assert all(t.actor == ward_manager_wang and t.at == same_moment for t in history)

    client.force_login(ward_manager_wang)
    refused = client.post(reverse("followup:stay_item_close", args=[second.pk]), {"to": "dropped"})
    assert refused.status_code == 302 and StayItemTransition.objects.count() == 2
    client.post(reverse("followup:stay_item_close", args=[second.pk]), {"to": "dropped", "note": "已出院"})
    page = client.get(reverse("followup:plan_detail", args=[stay_plan.plan_id])).content.decode()
    assert 'id="stay-history"' in page and page.count('class="stay-transition"') == 3
    assert page.index("患者拒绝") < page.index("已出院")


def test_a_clinician_who_sees_the_care_plan_through_its_call_sees_its_stay_plan(
    agreed, clinician_zhou, client, api_client
):
    stay_plan = agreed()
    other = agreed(items=("别的病人",))
    call = Touchpoint.objects.filter(plan=stay_plan.plan).order_by("id").first()
    call.owner = clinician_zhou.staff
    call.save(update_fields=["owner"])

    assert list(stay_plan_list(user=clinician_zhou)) == [stay_plan]
    client.force_login(clinician_zhou)
    page = client.get(reverse("followup:plan_detail", args=[stay_plan.plan_id])).content.decode()
    assert "营养餐安排" in page and 'id="stay-items"' in page
    assert client.get(reverse("followup:plan_detail", args=[other.plan_id])).status_code == 404
    rows = api_client(clinician_zhou).get("/api/v1/followup/stay-plans/").json()["results"]
    assert [r["id"] for r in rows] == [stay_plan.pk]
    # They may close its items as the care plan's clinicians do (the change permission), with history.
    item = stay_plan.items.get(sequence=2)
    assert client.post(reverse("followup:stay_item_close", args=[item.pk]), {"to": "done"}).status_code == 302
    assert StayItemTransition.objects.get().item == item
