"""Shift handover and work logs: the shift that ends, the open matters carried to the next shift (complaints
near their deadline, escorts not finished, unanswered inquiries), the acknowledgement once and only once,
the beat task that never opens a handover twice, and the work log's counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from carebridge.complaints.services.transitions import complaint_route
from carebridge.complaints.tests.support.clock import at
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, StaffFactory, make_persona
from carebridge.frontdesk.choices import HandoverStatus
from carebridge.frontdesk.domain.carryover import CarriedItem, _providers, register
from carebridge.frontdesk.models import Handover, HandoverItem, Shift, WorkLog
from carebridge.frontdesk.selectors.handover import handovers_to_acknowledge
from carebridge.frontdesk.selectors.worklogs import worklog_counts, worklog_list
from carebridge.frontdesk.services.escorts import escort_assign, escort_transition
from carebridge.frontdesk.services.handover import (
    current_occurrence,
    handover_acknowledge,
    handover_prepare,
    handover_write_notes,
    handovers_open_due,
    last_ended_occurrence,
    next_shift_after,
    shifts_install_defaults,
)
from carebridge.frontdesk.services.worklogs import worklog_save
from carebridge.frontdesk.tasks import handovers_open_due as handovers_task
from carebridge.frontdesk.tests.factories import EscortFactory, InquiryFactory

pytestmark = pytest.mark.django_db
SHIFT_END = at(2026, 3, 2, 17, 5)  # a Monday, five minutes after the day shift ended


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def open_matters(hospital, agent_ann, receive):
    """What is open at the end of the day shift, and what is not (so must not be carried)."""
    porter = StaffFactory(hospital=hospital, name="陈晓燕", kind="agent")
    with time_machine.travel(at(2026, 2, 26, 9), tick=False):
        late = receive(agent_ann)  # acknowledgement due 27 Feb: overdue
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        calm = receive(agent_ann)
        calm = complaint_route(complaint=calm, actor=agent_ann)  # acknowledged; feedback due 9 Mar: not near
        under_way = EscortFactory(hospital=hospital, requested_by=agent_ann, patient_name="王大爷")
        under_way = escort_assign(escort=under_way, actor=agent_ann, staff=porter)
        under_way = escort_transition(escort=under_way, to="under_way", actor=agent_ann)
        finished = EscortFactory(
            hospital=hospital,
            requested_by=agent_ann,
            patient_name="李奶奶",
            status="under_way",
            started_at=at(2026, 3, 2, 9, 30),
            done_at=at(2026, 3, 2, 9, 50),
        )
        finished.status = "done"
        finished.save()
    open_question = InquiryFactory(
        hospital=hospital,
        received_by=agent_ann,
        received_at=at(2026, 3, 2, 15),
        answer="",
        answered_at=None,
        answered_by=None,
        question="病历复印要多久？",
    )
    InquiryFactory(hospital=hospital, received_by=agent_ann, received_at=at(2026, 3, 2, 15))
    return {"late": late, "calm": calm, "under_way": under_way, "question": open_question, "porter": porter}


def _carried(handover) -> set[tuple[str, str]]:
    return set(handover.items.values_list("kind", "object_key"))


def test_the_day_and_night_shifts_follow_each_other(hospital):
    shifts = shifts_install_defaults(hospital=hospital)
    day, night = sorted(shifts, key=lambda s: s.starts_at)
    at_three = at(2026, 3, 3, 3)
    running = current_occurrence(shifts, now=at_three, zone="Asia/Shanghai")
    assert (running.shift, running.date) == (night, dt.date(2026, 3, 2))
    ended = last_ended_occurrence(shifts, now=at_three, zone="Asia/Shanghai")
    assert (ended.shift, ended.date, ended.end) == (day, dt.date(2026, 3, 2), at(2026, 3, 2, 17))
    assert next_shift_after(shifts, ended, zone="Asia/Shanghai") == night
    assert next_shift_after(shifts, running, zone="Asia/Shanghai") == day
    assert shifts_install_defaults(hospital=hospital) and Shift.objects.filter(hospital=hospital).count() == 2


def test_the_handover_carries_the_open_matters_and_nothing_else(open_matters, hospital):
    with time_machine.travel(SHIFT_END, tick=False):
        created = handovers_open_due()
    handover = Handover.objects.get(pk=created[0])
    assert (handover.shift.code, handover.next_shift.code, handover.shift_date) == (
        "day",
        "night",
        dt.date(2026, 3, 2),
    )
    assert handover.handover_at == at(2026, 3, 2, 17) and handover.status == HandoverStatus.OPEN
    assert _carried(handover) == {
        ("complaint", str(open_matters["late"].pk)),
        ("escort", str(open_matters["under_way"].pk)),
        ("inquiry", str(open_matters["question"].pk)),
    }
    complaint_item = handover.items.get(kind="complaint")
    assert "overdue" in complaint_item.detail and complaint_item.url.endswith(f"/{open_matters['late'].pk}/")
    # The items come soonest-due first: the overdue complaint, then the escort, then the call-back.
    assert list(handover.items.values_list("kind", flat=True)) == ["complaint", "escort", "inquiry"]


def test_the_beat_task_does_not_duplicate_a_handover_when_run_twice(open_matters):
    with time_machine.travel(SHIFT_END, tick=False):
        first = handovers_task.apply().get()
        second = handovers_task.apply().get()
    assert len(first) == 1 and second == []
    assert Handover.objects.count() == 1 and HandoverItem.objects.count() == 3


def test_a_handover_needs_an_acknowledgement_once_by_whoever_takes_over(open_matters, agent_ann, hospital):
    night_agent = make_persona("night", "agent", hospital)
    with time_machine.travel(SHIFT_END, tick=False):
        handovers_open_due()
        handover = Handover.objects.get()
        handover = handover_write_notes(
            handover=handover, actor=agent_ann, notes="王大爷在CT室，陪诊员陈晓燕陪同。"
        )
    with time_machine.travel(at(2026, 3, 2, 17, 12), tick=False):
        handover = handover_acknowledge(handover=handover, actor=night_agent, note="已核对")
    assert (handover.status, handover.acknowledged_by, handover.acknowledged_at) == (
        "acknowledged",
        night_agent,
        at(2026, 3, 2, 17, 12),
    )
    assert handover.handed_over_by == agent_ann
    with pytest.raises(ValidationError) as twice:
        handover_acknowledge(handover=handover, actor=agent_ann)
    assert "already acknowledged" in str(twice.value)
    with pytest.raises(ValidationError):
        handover_write_notes(handover=handover, actor=agent_ann, notes="后补")
    # Once taken over, the list is what was handed over: later runs leave it alone.
    open_matters["question"].delete()
    with time_machine.travel(at(2026, 3, 2, 17, 20), tick=False):
        assert handovers_open_due() == []
    assert HandoverItem.objects.filter(handover=handover).count() == 3


def test_the_outgoing_agent_prepares_the_handover_before_the_end_and_the_task_finds_it(
    open_matters, hospital, agent_ann
):
    with time_machine.travel(at(2026, 3, 2, 16, 30), tick=False):
        prepared = handover_prepare(hospital=hospital, actor=agent_ann)
    assert prepared.opened_by == agent_ann and prepared.handover_at == at(2026, 3, 2, 17)
    with time_machine.travel(SHIFT_END, tick=False):
        assert handovers_open_due() == []
    assert Handover.objects.get().pk == prepared.pk


def test_hospitals_without_a_desk_get_no_handover(open_matters):
    HospitalFactory()
    with time_machine.travel(SHIFT_END, tick=False):
        handovers_open_due()
    assert Handover.objects.count() == 1


def test_another_module_registers_its_own_open_matters(open_matters):
    def unfinished_calls(hospital, now):
        yield CarriedItem(kind="call", object_key="7", title="出院回访 未接通", due=now)

    register(unfinished_calls)
    try:
        with time_machine.travel(SHIFT_END, tick=False):
            handovers_open_due()
    finally:
        _providers.remove(unfinished_calls)
    assert ("call", "7") in _carried(Handover.objects.get())


def test_whoever_handed_over_cannot_take_over_from_themselves(open_matters, agent_ann, hospital):
    night_agent = make_persona("night", "agent", hospital)
    with time_machine.travel(SHIFT_END, tick=False):
        handovers_open_due()
        handover = handover_write_notes(handover=Handover.objects.get(), actor=agent_ann, notes="见交班单。")
        assert list(handovers_to_acknowledge(user=agent_ann)) == []
        assert list(handovers_to_acknowledge(user=night_agent)) == [handover]
    with time_machine.travel(at(2026, 3, 2, 17, 12), tick=False), pytest.raises(ValidationError) as same:
        handover_acknowledge(handover=handover, actor=agent_ann)
    assert "colleague of the next shift" in str(same.value)
    handover.refresh_from_db()
    assert (handover.status, handover.acknowledged_by) == ("open", None)


def test_the_handover_pages_show_items_and_take_the_acknowledgement(
    open_matters, agent_ann, complaint_officer_li
):
    with time_machine.travel(SHIFT_END, tick=False):
        handovers_open_due()
    handover = Handover.objects.get()
    page = _client(agent_ann).get(f"/desk/handovers/{handover.pk}/").content.decode()
    assert "王大爷" in page and "病历复印要多久" in page and 'id="acknowledge"' in page
    assert (
        _client(complaint_officer_li).post(f"/desk/handovers/{handover.pk}/acknowledge/").status_code == 403
    )
    response = _client(agent_ann).post(f"/desk/handovers/{handover.pk}/acknowledge/", {"note": "接班"})
    assert response.status_code == 302
    again = _client(agent_ann).post(f"/desk/handovers/{handover.pk}/acknowledge/", {})
    assert again.status_code == 400 and "already acknowledged" in again.content.decode()
    assert "handover-table" in _client(complaint_officer_li).get("/desk/handovers/").content.decode()


# --- work logs ---------------------------------------------------------------------------------------


def test_the_work_log_is_prefilled_with_the_agents_counts_of_the_day(open_matters, agent_ann, hospital):
    staff = agent_ann.staff
    day = dt.date(2026, 3, 2)
    InquiryFactory(
        hospital=hospital,
        received_by=agent_ann,
        received_at=at(2026, 3, 1, 23, 58),
        answered_at=at(2026, 3, 2, 0, 3),
    )  # answered after midnight: counts on the 2nd
    InquiryFactory(hospital=hospital, received_by=agent_ann, received_at=at(2026, 3, 3, 8))  # another day
    EscortFactory(
        hospital=hospital,
        requested_by=agent_ann,
        assigned_to=staff,
        status="done",
        done_at=at(2026, 3, 2, 11),
    )
    EscortFactory(
        hospital=hospital,
        requested_by=agent_ann,
        assigned_to=open_matters["porter"],
        status="done",
        done_at=at(2026, 3, 2, 11),
    )  # someone else's
    # Answered that day by Ann: the fixture's answered inquiry and the one after midnight. Complaints she
    # received that day: "calm" (the late one came in on 26 Feb).
    expected = {"inquiries_answered": 2, "escorts_done": 1, "complaints_received": 1}
    assert worklog_counts(user=agent_ann, day=day) == expected
    with time_machine.travel(at(2026, 3, 2, 18), tick=False):
        log = worklog_save(actor=agent_ann, day=day, notes="上午咨询集中在挂号。")
        assert {k: getattr(log, k) for k in expected} == expected and log.notes == "上午咨询集中在挂号。"
        InquiryFactory(hospital=hospital, received_by=agent_ann, received_at=at(2026, 3, 2, 17, 30))
        log = worklog_save(actor=agent_ann, day=day)
        assert log.inquiries_answered == 3 and log.notes == "上午咨询集中在挂号。"
        with pytest.raises(ValidationError):
            worklog_save(actor=agent_ann, day=dt.date(2026, 3, 3))
    assert WorkLog.objects.count() == 1


def test_agents_read_their_own_logs_and_reviewers_their_teams(hospital, agent_ann, admin_sun):
    desk = DepartmentFactory(hospital=hospital, code="CSC", name="客户服务中心", kind="administrative")
    agent_ann.staff.home_department = desk
    agent_ann.staff.save()
    colleague = make_persona("bo", "agent", hospital)
    head = make_persona("csc-head", "dept_head", hospital, departments=[desk])
    for author in (agent_ann, colleague):
        WorkLog.objects.create(
            hospital=hospital, author=author, day=dt.date(2026, 3, 2), counted_at=at(2026, 3, 2)
        )
    assert {log.author for log in worklog_list(user=agent_ann)} == {agent_ann}
    assert {log.author for log in worklog_list(user=head)} == {agent_ann}  # only the agents of the desk
    assert {log.author for log in worklog_list(user=admin_sun)} == {agent_ann, colleague}


def test_the_work_log_page_shows_the_counts_and_saves_the_notes(agent_ann, hospital):
    InquiryFactory(hospital=hospital, received_by=agent_ann)
    client = _client(agent_ann)
    page = client.get("/desk/worklogs/today/").content.decode()
    assert 'id="worklog-counts"' in page
    assert client.post("/desk/worklogs/today/", {"notes": "今天一切顺利"}).status_code == 302
    assert WorkLog.objects.get().inquiries_answered == 1
    assert "今天一切顺利" in client.get("/desk/worklogs/").content.decode()
