"""Improvement actions: raised from a complaint's root cause with a link both ways, moved through
plan → doing → check → done with a transition row each time, checked for effect on the department's
satisfaction before and after, reminded and escalated once when late."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.core.models import AuditEvent
from carebridge.core.services.outbox import outbox_deliver_one, outbox_due
from carebridge.followup.tests.factories import at
from carebridge.performance.choices import ActionSource, ActionStatus, EffectVerdict
from carebridge.performance.models import ActionTransition, ImprovementAction
from carebridge.performance.selectors.actions import action_list, actions_for
from carebridge.performance.services.actions import (
    action_create,
    action_effect_check,
    action_move,
    actions_remind_and_escalate,
)

pytestmark = pytest.mark.django_db
START = at(2026, 4, 1, 9)


@pytest.fixture
def complaint(hospital, complaint_officer_li, paediatrics):
    make_offices(hospital)
    case = receive_case(hospital, complaint_officer_li)
    case.departments.add(paediatrics)
    return case


@pytest.fixture
def action(complaint, paediatrics, nurse_owner, head_he):
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        return action_create(
            department=paediatrics,
            title="护士沟通礼仪培训",
            owner=nurse_owner,
            due_date=dt.date(2026, 5, 15),
            source=ActionSource.COMPLAINT,
            source_object=complaint,
            plan="每周一次情景演练",
            measure="satisfaction",
            window_days=30,
            actor=head_he,
        )


def test_an_action_raised_from_a_complaint_links_both_ways(action, complaint, head_he, complaint_officer_li):
    assert action.source_object == complaint and action.status == ActionStatus.PLAN
    assert list(actions_for(user=head_he, obj=complaint)) == [action]
    assert list(actions_for(user=complaint_officer_li, obj=complaint)) == [action]
    row = ActionTransition.objects.get(action=action)
    assert (row.from_status, row.to_status, row.actor) == ("", "plan", head_he)
    assert AuditEvent.objects.filter(action="action.create", object_id=str(action.pk)).exists()


def test_another_departments_head_does_not_see_it(action, hospital, cardiology, complaint):
    from carebridge.core.tests.factories import make_persona

    other = make_persona("card_head", "dept_head", hospital, departments=[cardiology])
    assert list(action_list(user=other)) == []
    assert list(actions_for(user=other, obj=complaint)) == []


def test_bad_input_is_refused_and_writes_nothing(paediatrics, nurse_owner):
    with pytest.raises(ValidationError) as error:
        action_create(
            department=paediatrics,
            title=" ",
            owner=nurse_owner,
            due_date=dt.date(2020, 1, 1),
            source="nonsense",
            measure="nonsense",
            actor=None,
        )
    assert set(error.value.message_dict) == {"title", "source", "due_date", "measure"}
    assert not ImprovementAction.objects.exists()


def test_the_effect_check_compares_the_same_window_before_and_after(action, head_he, answers, paediatrics):
    # 40 answers in March averaging 70, 40 in the 30 days before 6 May averaging 80.
    answers(paediatrics, START - dt.timedelta(days=10), [60, 80] * 20)
    answers(paediatrics, START + dt.timedelta(days=20), [70, 90] * 20)
    answers(paediatrics, START - dt.timedelta(days=40), [10] * 50)  # outside the before window
    with time_machine.travel(START, tick=False):
        action_move(action=action, to=ActionStatus.DOING, actor=head_he)
    check_at = START + dt.timedelta(days=35)
    with time_machine.travel(check_at, tick=False):
        checked = action_effect_check(action=action, actor=head_he)
        assert checked.status == ActionStatus.CHECK
        done = action_move(action=checked, to=ActionStatus.DONE, actor=head_he)
    effect = done.effect
    assert (effect["n_before"], effect["n_after"]) == (40, 40)
    assert (effect["before"], effect["after"]) == (70.0, 80.0)
    # Welch: both windows have s² = 40·100/39, n = 40: t = 10/√(2·(4000/39)/40) = 4.4159, df = 78.
    assert effect["test"] == "welch_t"
    assert effect["statistic"] == pytest.approx(10 / (2 * (4000 / 39) / 40) ** 0.5)
    assert effect["df"] == pytest.approx(78.0)
    assert done.verdict == EffectVerdict.IMPROVED
    assert effect["sentence"].startswith("Satisfaction index (0–100) improved: 70.0 before (n = 40)")
    moves = list(ActionTransition.objects.filter(action=action).values_list("from_status", "to_status"))
    assert moves == [("", "plan"), ("plan", "doing"), ("doing", "check"), ("check", "done")]


def test_the_effect_check_refuses_to_judge_below_the_minimum_n(action, head_he, answers, paediatrics):
    answers(paediatrics, START - dt.timedelta(days=10), [60] * 12)
    answers(paediatrics, START + dt.timedelta(days=20), [95] * 12)
    with time_machine.travel(START, tick=False):
        action_move(action=action, to=ActionStatus.DOING, actor=head_he)
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        checked = action_effect_check(action=action, actor=head_he)
    assert checked.verdict == EffectVerdict.INSUFFICIENT
    assert checked.effect["p"] is None
    assert "Not enough data to judge" in checked.effect["sentence"]


def test_the_effect_cannot_be_checked_before_a_whole_window_has_passed(action, head_he):
    with time_machine.travel(START, tick=False):
        action_move(action=action, to=ActionStatus.DOING, actor=head_he)
    with time_machine.travel(START + dt.timedelta(days=10), tick=False), pytest.raises(ValidationError):
        action_effect_check(action=action, actor=head_he)
    action.refresh_from_db()
    assert action.status == ActionStatus.DOING and action.effect == {}


def test_closing_needs_the_effect_check_and_abandoning_needs_a_reason(action, head_he):
    with time_machine.travel(START, tick=False):
        action_move(action=action, to=ActionStatus.DOING, actor=head_he)
        with pytest.raises(ValidationError):
            action_move(action=action, to=ActionStatus.DONE, actor=head_he)
        with pytest.raises(ValidationError):
            action_move(action=action, to=ActionStatus.ABANDONED, actor=head_he)
        action_move(action=action, to=ActionStatus.ABANDONED, actor=head_he, reason="科室合并")
    action.refresh_from_db()
    assert action.status == ActionStatus.ABANDONED


def test_a_late_action_is_reminded_daily_and_escalated_once(action, head_he, settings):
    outbox = Path(settings.CAREBRIDGE["SMS"]["FILE_DIR"])
    late = at(2026, 5, 25, 8)  # ten days after the due date
    with time_machine.travel(late, tick=False):
        first = actions_remind_and_escalate()
        again = actions_remind_and_escalate()
        for message_id in outbox_due():  # what the worker does with the committed outbox rows
            outbox_deliver_one(message_id=message_id)
    assert first == {"reminded": 1, "escalated": 1}
    assert again == {"reminded": 0, "escalated": 0}
    action.refresh_from_db()
    assert action.escalated_to == head_he.staff and action.escalated_at == late
    sent = [json.loads(line) for f in sorted(outbox.glob("*")) for line in f.read_text().splitlines()]
    assert sorted(m["to"] for m in sent) == ["13600002222", "13700001111"]
    assert all(m["reference"].startswith(f"action-{action.pk}-") for m in sent)
    with time_machine.travel(late + dt.timedelta(days=1), tick=False):
        assert actions_remind_and_escalate() == {"reminded": 1, "escalated": 0}
