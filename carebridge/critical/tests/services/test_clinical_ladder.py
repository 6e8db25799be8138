"""The clinical ladder (issue 13, scope 4): a result of an inpatient or outpatient is communicated along
ordering or attending doctor → ward nurse → department head, with read-back — not along the checkup
customer's ladder; its contacts are those people; the supervisor's sign-off needs the whole clinical
ladder; an overdue clinical notification escalates to the head of the patient's department."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carebridge.checkup.tests.support.people import record
from carebridge.core.models import OutboxMessage
from carebridge.core.tests.factories import StaffFactory, make_persona
from carebridge.critical.models import ClassPolicy, Escalation, Notification
from carebridge.critical.services.attempts import (
    attempt_record,
    contacts_of,
    ladder_gaps,
    ladder_of,
    notification_sign_off_unreachable,
)
from carebridge.critical.tasks import notifications_escalate
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_zhang(hospital, cardiology):
    user = make_persona("zhang", "dept_head", hospital, departments=[cardiology])
    user.staff.home_department = cardiology
    user.staff.phone = "13700000003"
    user.staff.save()
    return user


@pytest.fixture
def inpatient_visit(visit, hospital, cardiology, head_zhang):
    """The visit's results belong to an inpatient stay in cardiology (as an ORU for a ward files them)."""
    doctor = StaffFactory(hospital=hospital, name="李医生", title="主治医师", phone="13700000001")
    nurse = StaffFactory(hospital=hospital, name="赵护士", kind="nurse", title="护师", phone="13700000002")
    encounter = Encounter.objects.create(
        hospital=hospital,
        patient=visit.patient,
        kind="inpatient",
        department=cardiology,
        attending_doctor=doctor,
        primary_nurse=nurse,
        started_at=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC),
    )
    visit.encounter = encounter
    visit.save(update_fields=["encounter"])
    return visit


def _attempt(notification, actor, step, outcome="no_answer", **extra):
    return attempt_record(
        notification=notification, actor=actor, step=step, outcome=outcome, number="13700000001", **extra
    )


def test_an_inpatients_notification_follows_the_clinical_ladder_with_its_people(inpatient_visit, staff_chen):
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    assert ladder_of(notification) == ["doctor", "ward_nurse", "dept_head"]
    contacts = contacts_of(notification)
    assert [(c.step, c.name, c.number) for c in contacts] == [
        ("doctor", "李医生 主治医师", "137****0001"),
        ("ward_nurse", "赵护士 护师", "137****0002"),
        ("dept_head", "Zhang", "137****0003"),
    ]


def test_a_checkup_customers_notification_keeps_the_customer_ladder(visit, staff_chen):
    record(visit, "HGB", "70", staff_chen)
    notification = Notification.objects.get()
    assert ladder_of(notification) == ["person", "emergency", "home_visit"]  # no employer: came alone
    with pytest.raises(ValidationError) as error:
        _attempt(notification, staff_chen, "doctor")
    assert "step" in error.value.message_dict
    assert not notification.attempts.exists()


def test_a_step_off_the_clinical_ladder_is_refused_and_changes_nothing(inpatient_visit, staff_chen):
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    with pytest.raises(ValidationError) as error:
        _attempt(notification, staff_chen, "person")
    assert "step" in error.value.message_dict
    notification.refresh_from_db()
    assert notification.status == "new" and not notification.attempts.exists()


def test_the_doctor_reads_back_and_the_notification_closes(inpatient_visit, staff_chen):
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    _attempt(
        notification,
        staff_chen,
        "doctor",
        outcome="read_back",
        answered_by="李医生",
        read_back="血红蛋白55",
        advice="请临床评估，必要时输血",
    )
    notification.refresh_from_db()
    assert (notification.status, notification.read_back_to) == ("read_back", "李医生")


def test_sign_off_needs_the_whole_clinical_ladder(inpatient_visit, staff_chen, examiner_he):
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    _attempt(notification, staff_chen, "doctor")
    _attempt(notification, staff_chen, "ward_nurse")
    assert ladder_gaps(notification) == ["dept_head"]
    with pytest.raises(ValidationError):
        notification_sign_off_unreachable(notification=notification, actor=examiner_he, reason="无人接听")
    _attempt(notification, staff_chen, "dept_head")
    closed = notification_sign_off_unreachable(
        notification=notification, actor=examiner_he, reason="无人接听"
    )
    assert closed.status == "unreachable"


def test_the_clinical_ladder_is_configurable_per_class(inpatient_visit, staff_chen):
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    ClassPolicy.objects.filter(severity="A").update(clinical_ladder=["doctor", "dept_head"])
    assert ladder_of(notification) == ["doctor", "dept_head"]


def test_an_overdue_clinical_notification_escalates_to_the_department_head(
    examiner_he, inpatient_visit, staff_chen, head_zhang, clock
):
    examiner_he.staff.phone = "13800000001"  # the centre's supervisor: not the one to tell here
    examiner_he.staff.save()
    record(inpatient_visit, "HGB", "55", staff_chen)
    clock.shift(dt.timedelta(minutes=16))
    assert notifications_escalate() == 1
    assert notifications_escalate() == 0
    assert Escalation.objects.get().supervisor == head_zhang
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["13700000003"]


def test_the_notification_page_offers_only_the_clinical_steps(client, inpatient_visit, staff_chen, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    record(inpatient_visit, "HGB", "55", staff_chen)
    notification = Notification.objects.get()
    client.force_login(staff_chen)
    page = client.get(reverse("critical:notification", args=[notification.pk])).content.decode()
    assert 'value="doctor"' in page and 'value="dept_head"' in page
    assert 'value="person"' not in page and 'value="employer"' not in page
    assert "李医生" in page
