"""专人陪检 after booking (issue 11, scope 2): the desk gives a booked or checked-in person an escort,
changes it or removes it, each change in the audit trail; after the person has left it is refused, as
is someone from another hospital or a user without the right; a refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from carebridge.checkup.services.visits import visit_escort_change, visit_leave
from carebridge.checkup.tests.support.people import booked, checked_in
from carebridge.core.models import AuditEvent, Staff
from carebridge.core.tests.factories import HospitalFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def escorts(hospital, centre):
    first = StaffFactory(hospital=hospital, name="刘护士", kind="nurse", home_department=centre)
    second = StaffFactory(hospital=hospital, name="孙护士", kind="nurse", home_department=centre)
    return first, second


def test_a_booked_visit_gets_an_escort_then_another_then_none(clock, catalogue, centre, staff_chen, escorts):
    first, second = escorts
    visit = booked(centre=centre, actor=staff_chen, items=[catalogue.items["HGB"]])
    assert visit.escort is None
    assert visit_escort_change(visit=visit, escort=first, actor=staff_chen).escort == first
    visit_escort_change(visit=visit, escort=second, actor=staff_chen)
    visit.refresh_from_db()
    assert visit.escort == second
    visit_escort_change(visit=visit, escort=None, actor=staff_chen)
    visit.refresh_from_db()
    assert visit.escort is None
    changes = [
        e.changes["escort"] for e in AuditEvent.objects.filter(action="checkup.visit.escort").order_by("id")
    ]
    assert changes == [["", "刘护士"], ["刘护士", "孙护士"], ["孙护士", ""]]


def test_a_checked_in_person_may_get_one_but_not_after_leaving(clock, catalogue, centre, staff_chen, escorts):
    first, second = escorts
    visit = checked_in(centre=centre, actor=staff_chen, items=[catalogue.items["HGB"]])
    visit_escort_change(visit=visit, escort=first, actor=staff_chen)
    visit_leave(visit=visit, actor=staff_chen)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        visit_escort_change(visit=visit, escort=second, actor=staff_chen)
    assert "before the person leaves" in refused.value.message_dict["escort"][0]
    visit.refresh_from_db()
    assert visit.escort == first


def test_staff_of_another_hospital_and_users_without_the_right_are_refused(
    *, clock, catalogue, centre, staff_chen, nurse_gu, escorts
):
    visit = booked(centre=centre, actor=staff_chen, items=[catalogue.items["HGB"]])
    stranger = StaffFactory(hospital=HospitalFactory(), name="外院护士")
    with pytest.raises(ValidationError) as refused:
        visit_escort_change(visit=visit, escort=stranger, actor=staff_chen)
    assert "escort" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        visit_escort_change(visit=visit, escort=escorts[0], actor=nurse_gu)
    visit.refresh_from_db()
    assert visit.escort is None and not AuditEvent.objects.filter(action="checkup.visit.escort").exists()


def test_the_visit_page_changes_the_escort(
    *, client, settings, clock, catalogue, centre, staff_chen, escorts
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first, _second = escorts
    visit = booked(centre=centre, actor=staff_chen, items=[catalogue.items["HGB"]])
    client.force_login(staff_chen)
    page = client.get(reverse("checkup:visit_detail", args=[visit.pk])).content.decode()
    assert 'id="escort-form"' in page and "刘护士" in page
    response = client.post(reverse("checkup:visit_escort", args=[visit.pk]), {"escort": first.pk})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.escort == first
    assert Staff.objects.filter(pk=first.pk).exists()
