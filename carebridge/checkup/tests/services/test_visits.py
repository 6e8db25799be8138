"""Booking and check-in: packages fit the person, 1+X add-ons, the day's capacity, the registry's
encounter, the life cycle's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.checkup.models import DayCapacity, Visit
from carebridge.checkup.services.visits import (
    VISIT,
    order_waive,
    visit_cancel,
    visit_check_in,
    visit_leave,
)
from carebridge.checkup.tests.support.people import booked, order_of
from carebridge.core.models import AuditEvent
from carebridge.patients.models import Encounter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_a_package_plus_an_add_on_orders_each_item_once_for_the_persons_sex(
    catalogue, centre, staff_chen, customer
):
    package, tumour = catalogue.packages["M-40"], catalogue.packages["X-TUMOUR"]
    visit = booked(centre=centre, actor=staff_chen, patient=customer, package=package, addons=[tumour])
    codes = set(visit.orders.values_list("item__code", flat=True))
    assert {"AFP", "CEA", "PSA", "CA199"} <= codes
    assert "CA125" not in codes  # a woman's marker, not ordered for a man
    assert len(codes) == visit.orders.count()
    assert visit.price == package.price + tumour.price
    assert visit.number == "TJ202503120001" and visit.status == "booked"
    assert [row.to_status for row in visit.transitions.all()] == ["booked"]


def test_a_package_for_women_is_refused_for_a_man(catalogue, centre, staff_chen, customer):
    with pytest.raises(ValidationError) as refused:
        booked(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["F-40"])
    assert "package" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_an_age_band_package_is_refused_outside_its_ages(catalogue, centre, staff_chen, customer):
    with pytest.raises(ValidationError, match="aged 49"):
        booked(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-U40"])


def test_a_full_day_refuses_one_more_booking(catalogue, centre, staff_chen, customer):
    DayCapacity.objects.create(department=centre, date=dt.date(2025, 3, 12), capacity=1)
    booked(centre=centre, actor=staff_chen, items=[catalogue.items["GLU"]])
    with pytest.raises(ValidationError, match="fully booked"):
        booked(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["GLU"]])
    booked(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"]],
        day=dt.date(2025, 3, 13),
    )


def test_single_items_are_priced_one_by_one(catalogue, centre, staff_chen, customer):
    visit = booked(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"], catalogue.items["AFP"]],
    )
    assert visit.price == Decimal("45.00")


def test_a_clinician_cannot_book(catalogue, centre, clinician_zhou, customer):
    with pytest.raises(PermissionDenied):
        booked(centre=centre, actor=clinician_zhou, patient=customer, items=[catalogue.items["GLU"]])


def test_check_in_opens_the_registrys_checkup_encounter_and_records_fasting(
    catalogue, centre, staff_chen, customer
):
    visit = booked(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])
    visit = visit_check_in(visit=visit, actor=staff_chen, arrived_fasting=True)
    assert visit.status == "checked_in" and visit.arrived_fasting
    encounter = Encounter.objects.get()
    assert encounter.kind == "checkup" and encounter.department == centre and visit.encounter == encounter
    assert [row.to_status for row in visit.transitions.all()] == ["booked", "checked_in"]
    assert AuditEvent.objects.filter(action="checkup.visit.check_in").count() == 1


def test_check_in_on_another_day_is_refused(catalogue, centre, staff_chen, customer):
    visit = booked(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"]],
        day=dt.date(2025, 3, 13),
    )
    with pytest.raises(ValidationError, match="another day"):
        visit_check_in(visit=visit, actor=staff_chen)


def test_a_man_cannot_be_marked_as_possibly_pregnant(catalogue, centre, staff_chen, customer):
    visit = booked(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["GLU"]])
    with pytest.raises(ValidationError):
        visit_check_in(visit=visit, actor=staff_chen, pregnancy_possible=True)


def test_leaving_the_centre_is_a_transition_and_a_signed_visit_cannot_be_left_again(
    catalogue, centre, staff_chen, customer
):
    visit = visit_check_in(
        visit=booked(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["GLU"]]),
        actor=staff_chen,
    )
    visit = visit_leave(visit=visit, actor=staff_chen)
    assert visit.status == "examined" and visit.examined_at is not None
    assert VISIT.allowed(visit) == ["signed"]
    with pytest.raises(ValidationError):
        visit_leave(visit=visit, actor=staff_chen)


def test_cancelling_needs_a_reason(catalogue, centre, staff_chen, customer):
    visit = booked(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["GLU"]])
    with pytest.raises(ValidationError):
        visit_cancel(visit=visit, actor=staff_chen, reason=" ")
    visit = visit_cancel(visit=visit, actor=staff_chen, reason="单位改期", no_show=False)
    assert visit.status == "cancelled" and visit.transitions.last().reason == "单位改期"


def test_a_waived_item_needs_a_reason_and_counts_as_waived(catalogue, centre, staff_chen, customer):
    visit = booked(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])
    with pytest.raises(ValidationError):
        order_waive(order=order_of(visit, "CXR"), actor=staff_chen, reason="")
    order = order_waive(order=order_of(visit, "CXR"), actor=staff_chen, reason="本人拒绝放射检查")
    assert order.status == "waived" and order.waived_by == staff_chen
