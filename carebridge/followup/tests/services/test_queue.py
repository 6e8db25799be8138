"""The call queue: who sees which calls, in what order, and atomic claims (never one call to two agents)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from carebridge.core.tests.factories import make_persona
from carebridge.followup.choices import OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import Touchpoint
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.services.queue import (
    call_claim,
    call_claim_next,
    call_release,
    claims_release_expired,
)
from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for

NOW = at(2026, 3, 10, 10)


@pytest.fixture
def calls(stay, discharge, ward_manager_wang):
    """Three discharged stays: tier C (paediatrics), tier A (paediatrics, critical), tier A (cardiology)."""
    plans = [
        discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15)),
        discharge(stay("pedi", codes=["J18.9"], critical=True), when=at(2026, 3, 9, 15)),
        discharge(stay("card", codes=["I21.0"]), when=at(2026, 3, 9, 16)),
    ]
    return [p.touchpoints.get(kind="follow_up_call", sequence=1) for p in plans]


@pytest.mark.django_db
def test_the_agent_queue_is_hospital_wide_soonest_due_first_and_never_the_doctors_own_calls(calls, agent_ann):
    queue = list(call_queue(user=agent_ann, now=NOW))
    assert queue == [calls[1], calls[2], calls[0]]  # A due in 3 days (two), then C due in 30
    assert all(c.kind == "follow_up_call" for c in queue)


@pytest.mark.django_db
def test_a_clinician_sees_only_their_own_post_discharge_calls(calls, clinician_zhou, doctors):
    queue = list(call_queue(user=clinician_zhou, now=NOW))
    assert [(c.kind, c.owner) for c in queue] == [("post_discharge_call", doctors.card)]


@pytest.mark.django_db
def test_calls_of_patients_without_consent_or_deceased_never_enter_the_queue(calls, agent_ann):
    patient = calls[0].plan.patient
    patient.contact_consent = False
    patient.save()
    dead = calls[1].plan.patient
    dead.deceased_at = at(2026, 3, 9, 20)
    dead.save()
    assert list(call_queue(user=agent_ann, now=NOW)) == [calls[2]]


@pytest.mark.django_db
def test_a_claimed_call_is_refused_to_another_agent_until_the_claim_lapses(calls, agent_ann, hospital):
    bob = make_persona("bob", "agent", hospital)
    call_claim(touchpoint=calls[1], actor=agent_ann, now=NOW)
    with pytest.raises(ValidationError):
        call_claim(touchpoint=calls[1], actor=bob, now=NOW + dt.timedelta(minutes=5))
    assert calls[1] not in call_queue(user=bob, now=NOW + dt.timedelta(minutes=5))
    later = NOW + dt.timedelta(minutes=16)  # the default claim lasts 15 minutes
    assert call_claim(touchpoint=calls[1], actor=bob, now=later).claimed_by == bob
    assert claims_release_expired(now=later + dt.timedelta(minutes=16)) == 1


@pytest.mark.django_db
def test_a_ward_manager_cannot_claim_a_cardiology_call(calls, ward_manager_wang):
    with pytest.raises(PermissionDenied):
        call_claim(touchpoint=calls[2], actor=ward_manager_wang, now=NOW)


@pytest.mark.django_db
def test_the_claim_kept_compiled_for_an_agent_follows_the_clock_and_the_agents_rights(calls, agent_ann):
    """The claim's selects are compiled once per agent (``core.prepared``): a later claim reads the
    queue at its own time, and an agent who lost the role has no queue."""
    Touchpoint.objects.filter(pk=calls[1].pk).update(available_at=NOW + dt.timedelta(hours=1))
    first = call_claim_next(actor=agent_ann, now=NOW)
    assert first == calls[2]  # the soonest due (calls[1]) opens only in an hour
    call_release(touchpoint=first, actor=agent_ann)
    second = call_claim_next(actor=agent_ann, now=NOW + dt.timedelta(hours=2))
    assert second == calls[1]
    call_release(touchpoint=second, actor=agent_ann)
    agent_ann.groups.clear()
    former = type(agent_ann).objects.get(pk=agent_ann.pk)  # as the next request reads the user
    assert call_claim_next(actor=former, now=NOW + dt.timedelta(hours=2)) is None
    assert not Touchpoint.objects.filter(claimed_by=agent_ann).exists()


@pytest.mark.django_db
def test_release_gives_the_call_back(calls, agent_ann):
    call = call_claim_next(actor=agent_ann, now=NOW)
    assert call == calls[1] and call_claim_next(actor=agent_ann, now=NOW) == call  # one call at a time
    call_release(touchpoint=call, actor=agent_ann)
    call.refresh_from_db()
    assert call.claimed_by is None


@pytest.mark.django_db
def test_the_queue_page_lists_calls_and_the_claim_button_opens_the_call(calls, agent_ann):
    client = client_for(agent_ann)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/followup/")
        assert page.status_code == 200 and page.content.decode().count("claim-button") == 3
        response = client.post(f"/followup/calls/{calls[1].pk}/claim/")
        assert response.status_code == 302 and response.url == f"/followup/calls/{calls[1].pk}/"
        call_page = client.get(response.url).content.decode()
    assert "138****" in call_page and calls[1].plan.patient.phones.first().number not in call_page
    assert "Health status" in call_page  # the script


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_agents_claiming_at_once_never_get_the_same_call(stay, discharge, hospital):
    plans = [discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15)) for _ in range(8)]
    agents = [make_persona(f"agent{i}", "agent", hospital) for i in range(20)]
    for agent in agents:  # warm the permission caches outside the race
        agent.has_perm("followup.work_call_queue")
    barrier = threading.Barrier(len(agents))
    won: dict[int, int | None] = {}
    failures: list[BaseException] = []

    def work(agent) -> None:
        try:
            barrier.wait(timeout=30)
            call = call_claim_next(actor=agent, now=NOW)
            won[agent.pk] = call.pk if call else None
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    claimed = [pk for pk in won.values() if pk is not None]
    assert len(claimed) == len(set(claimed)) == len(plans)  # every call once, none twice
    holders = dict(Touchpoint.objects.filter(pk__in=claimed).values_list("pk", "claimed_by_id"))
    assert holders == {pk: agent for agent, pk in won.items() if pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agents_racing_through_the_queue_are_never_told_empty_while_calls_remain(stay, discharge, hospital):
    """Eight agents each take two calls and record "no answer" (the call leaves the queue for its redial
    time) on a queue of exactly sixteen calls: every claim gets a call, and never one call twice."""
    plans = [discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15)) for _ in range(16)]
    ids = {p.touchpoints.get(kind="follow_up_call", sequence=1).pk for p in plans}
    agents = [make_persona(f"racer{i}", "agent", hospital) for i in range(8)]
    for agent in agents:
        agent.has_perm("followup.work_call_queue")
    barrier = threading.Barrier(len(agents))
    taken: list[int | None] = []
    failures: list[BaseException] = []

    def work(agent) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(2):
                call = call_claim_next(actor=agent, now=NOW)
                taken.append(call.pk if call else None)
                if call is not None:
                    Touchpoint.objects.filter(pk=call.pk, claimed_by=agent).update(
                        available_at=NOW + dt.timedelta(hours=2), claimed_by=None, claimed_until=None
                    )
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert None not in taken  # sixteen claims on sixteen calls: nobody was told "empty"
    assert sorted(taken) == sorted(ids)  # each call exactly once


def test_the_queue_order_index_covers_exactly_the_calls_a_queue_can_hold():
    """A status added to the open ones must enter the index too, or the claim walks past it unindexed;
    a closed status inside it would make every claim walk the history of finished calls again."""
    index = next(i for i in Touchpoint._meta.indexes if i.name == "touchpoint_open_queue_idx")
    condition = dict(index.condition.children)
    assert set(condition["status__in"]) == set(OPEN_TOUCHPOINT)
    assert condition["step"] == EscalationStep.PHONE
    assert index.fields == ["due_at", "tier_rank", "id"]  # the queue's order (selectors.calls)
