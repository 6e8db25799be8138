"""Escorts: the life cycle requested → assigned → under way → done / cancelled, a transition row per change,
illegal moves refused with a clear message and nothing changed, the pages and the scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from carebridge.complaints.tests.support.clock import at
from carebridge.core.tests.factories import HospitalFactory, StaffFactory
from carebridge.frontdesk.choices import ESCORT_TRANSITIONS, EscortStatus
from carebridge.frontdesk.models import Escort, EscortTransition
from carebridge.frontdesk.selectors.escorts import escort_list
from carebridge.frontdesk.services.escorts import (
    EscortInput,
    escort_assign,
    escort_request,
    escort_transition,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def porter(hospital):
    return StaffFactory(hospital=hospital, name="陈晓燕", kind="agent", title="陪诊员")


@pytest.fixture
def request_escort(hospital):
    def make(actor, **fields):
        values = {
            "from_place": "门诊大厅",
            "to_place": "CT室",
            "scheduled_at": timezone.now() + dt.timedelta(hours=1),
            "mobility": "wheelchair",
            "patient_name": "王大爷",
        }
        values.update(fields)
        return escort_request(hospital=hospital, actor=actor, data=EscortInput(**values))

    return make


@time_machine.travel(at(2026, 3, 2, 9), tick=False)
def test_an_escort_goes_through_its_life_cycle_with_the_time_and_a_row_of_each_step(
    request_escort, agent_ann, porter
):
    escort = request_escort(agent_ann)
    with time_machine.travel(at(2026, 3, 2, 9, 10), tick=False):
        escort = escort_assign(escort=escort, actor=agent_ann, staff=porter)
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        escort = escort_transition(escort=escort, to="under_way", actor=agent_ann)
    with time_machine.travel(at(2026, 3, 2, 10, 40), tick=False):
        escort = escort_transition(escort=escort, to="done", actor=agent_ann)
    assert escort.status == EscortStatus.DONE and escort.assigned_to == porter
    assert escort.scheduled_at == at(2026, 3, 2, 10)
    assert (escort.requested_at, escort.assigned_at, escort.started_at, escort.done_at) == (
        at(2026, 3, 2, 9),
        at(2026, 3, 2, 9, 10),
        at(2026, 3, 2, 10),
        at(2026, 3, 2, 10, 40),
    )
    rows = list(escort.transitions.values_list("from_status", "to_status", "actor__username"))
    assert rows == [
        ("", "requested", "ann"),
        ("requested", "assigned", "ann"),
        ("assigned", "under_way", "ann"),
        ("under_way", "done", "ann"),
    ]
    assert escort.transitions.get(to_status="assigned").assigned_to == porter


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ((), "under_way"),  # requested → under way: nobody assigned yet
        ((), "done"),
        (("assigned",), "requested"),
        (("assigned", "under_way"), "assigned"),
        (("assigned", "under_way", "done"), "cancelled"),
        (("cancelled",), "assigned"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message_and_change_nothing(
    request_escort, agent_ann, porter, path, to
):
    escort = request_escort(agent_ann)
    for step in path:
        escort = escort_transition(
            escort=escort,
            to=step,
            actor=agent_ann,
            staff=porter if step == "assigned" else None,
            reason="家属陪同" if step == "cancelled" else "",
        )
    before = (escort.status, escort.transitions.count(), Escort.objects.get(pk=escort.pk).updated_at)
    with pytest.raises(ValidationError) as refused:
        escort_transition(escort=escort, to=to, actor=agent_ann, staff=porter, reason="x")
    assert "cannot be moved to" in refused.value.message_dict["to"][0]
    fresh = Escort.objects.get(pk=escort.pk)
    assert (fresh.status, fresh.transitions.count(), fresh.updated_at) == before


def test_the_transition_table_is_closed_at_the_end():
    assert ESCORT_TRANSITIONS[EscortStatus.DONE] == ESCORT_TRANSITIONS[EscortStatus.CANCELLED] == frozenset()
    assert set(ESCORT_TRANSITIONS) == set(EscortStatus.values)


def test_assigning_needs_a_person_of_the_hospital_and_cancelling_a_reason(request_escort, agent_ann):
    escort = request_escort(agent_ann)
    with pytest.raises(ValidationError) as nobody:
        escort_transition(escort=escort, to="assigned", actor=agent_ann)
    assert nobody.value.message_dict == {"staff": ["Choose who accompanies the patient."]}
    stranger = StaffFactory(hospital=HospitalFactory())
    with pytest.raises(ValidationError):
        escort_assign(escort=escort, actor=agent_ann, staff=stranger)
    with pytest.raises(ValidationError) as why:
        escort_transition(escort=escort, to="cancelled", actor=agent_ann, reason=" ")
    assert "reason" in why.value.message_dict
    assert EscortTransition.objects.filter(escort=escort).count() == 1


def test_a_reassignment_is_a_transition_of_its_own(request_escort, agent_ann, porter, hospital):
    other = StaffFactory(hospital=hospital, name="刘婷", kind="agent")
    escort = escort_assign(escort=request_escort(agent_ann), actor=agent_ann, staff=porter)
    with pytest.raises(ValidationError):
        escort_assign(escort=escort, actor=agent_ann, staff=porter)
    escort = escort_assign(escort=escort, actor=agent_ann, staff=other)
    assert escort.assigned_to == other and escort.transitions.filter(to_status="assigned").count() == 2


def test_a_request_needs_places_a_name_and_a_known_mobility(hospital, agent_ann):
    with pytest.raises(ValidationError) as refused:
        escort_request(
            hospital=hospital,
            actor=agent_ann,
            data=EscortInput(from_place="", to_place="", scheduled_at=at(2026, 3, 2, 10), mobility="flying"),
        )
    assert set(refused.value.message_dict) == {
        "from_place",
        "to_place",
        "mobility",
        "patient_name",
        "scheduled_at",
    }
    assert not Escort.objects.exists()


def test_wards_see_their_departments_escorts_and_the_desk_sees_all(
    request_escort, agent_ann, ward_manager_wang, paediatrics, clinician_zhou
):
    cardiology = clinician_zhou.staff.departments.get()
    ours = request_escort(agent_ann, department=paediatrics)
    theirs = request_escort(agent_ann, department=cardiology)
    own_request = request_escort(ward_manager_wang)
    assert set(escort_list(user=ward_manager_wang)) == {ours, own_request}
    assert set(escort_list(user=agent_ann)) == {ours, theirs, own_request}
    assert set(escort_list(user=clinician_zhou)) == {theirs}


def test_the_pages_request_show_and_move_an_escort(agent_ann, porter):
    client = _client(agent_ann)
    when = (dt.datetime.now() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")  # noqa: DTZ005 - form input
    response = client.post(
        "/desk/escorts/new/",
        {
            "patient_name": "李奶奶",
            "from_place": "急诊科",
            "to_place": "超声科",
            "scheduled_at": when,
            "mobility": "stretcher",
        },
    )
    escort = Escort.objects.get()
    assert response.status_code == 302 and response.url == f"/desk/escorts/{escort.pk}/"
    page = client.get(f"/desk/escorts/{escort.pk}/").content.decode()
    assert "Stretcher" in page and 'id="escort-history"' in page
    refused = client.post(f"/desk/escorts/{escort.pk}/transition/", {"to": "done"})
    assert refused.status_code == 400 and "cannot be moved to" in refused.content.decode()
    moved = client.post(f"/desk/escorts/{escort.pk}/transition/", {"to": "assigned", "staff": porter.pk})
    assert moved.status_code == 302 and Escort.objects.get().status == "assigned"
    listing = client.get("/desk/escorts/").content.decode()
    assert "李奶奶" in listing
