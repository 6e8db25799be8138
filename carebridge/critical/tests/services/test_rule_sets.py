"""Issue 13, scope 1: a second rule set — the ward's list for inpatients and outpatients — shipped beside
the seed's checkup list, each judging its own population; versions with effective dates: a result is
judged by the version in force on its date, and a new version leaves earlier results to the old one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carebridge.checkup.tests.support.people import record
from carebridge.core.tests.factories import make_persona
from carebridge.critical.domain.defaults import CONSENSUS_SOURCE
from carebridge.critical.models import Notification, Rule, RuleSet
from carebridge.critical.services.rules import (
    rule_set_in_force,
    rule_set_install_defaults,
    rule_set_new_version,
)
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_root(hospital):
    return make_persona("root", "admin", hospital)


@pytest.fixture
def ward_visit(visit, hospital, cardiology):
    encounter = Encounter.objects.create(
        hospital=hospital,
        patient=visit.patient,
        kind="inpatient",
        department=cardiology,
        started_at=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC),
    )
    visit.encounter = encounter
    visit.save(update_fields=["encounter"])
    return visit


def test_both_sets_are_shipped_with_their_population_and_source(hospital, catalogue):
    rule_set_install_defaults(hospital=hospital)
    ward = RuleSet.objects.get(hospital=hospital, code="WARD")
    assert (ward.population, ward.version, ward.effective_from) == ("clinical", 1, dt.date(2019, 1, 1))
    (rule,) = Rule.objects.filter(rule_set=ward)
    assert (rule.item.code, rule.operator, rule.threshold, rule.severity) == ("HGB", "lte", 60, "A")
    assert rule.source == CONSENSUS_SOURCE and "2019" in rule.source
    day = dt.date(2026, 3, 2)
    assert rule_set_in_force(hospital=hospital, day=day).code == "SEED-2.2.5"
    assert rule_set_in_force(hospital=hospital, day=day, population="clinical").code == "WARD"
    # Before the ward's list came into force, a clinical result fell back to the checkup list.
    assert (
        rule_set_in_force(hospital=hospital, day=dt.date(2018, 6, 1), population="clinical").code
        == "SEED-2.2.5"
    )


@pytest.mark.parametrize(("value", "fires"), [("60", True), ("60.1", False), ("75", False)])
def test_an_inpatients_haemoglobin_is_judged_by_the_ward_list(ward_visit, staff_chen, value, fires):
    record(ward_visit, "HGB", value, staff_chen)
    notification = Notification.objects.filter(visit=ward_visit).first()
    assert (notification is not None) == fires
    if fires:
        assert notification.rule_set.code == "WARD" and notification.severity == "A"


def test_the_same_haemoglobin_of_a_checkup_customer_is_judged_by_the_seed_list(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen)
    assert Notification.objects.get(visit=visit).rule_set.code == "SEED-2.2.5"


def test_a_new_version_judges_results_from_its_date_and_the_old_one_before(
    *, hospital, catalogue, ward_visit, staff_chen, admin_root, clock
):
    rule_set_install_defaults(hospital=hospital)
    ward = RuleSet.objects.get(hospital=hospital, code="WARD")
    today = timezone.now().date()
    new = rule_set_new_version(rule_set=ward, effective_from=today + dt.timedelta(days=1), actor=admin_root)
    Rule.objects.filter(rule_set=new, code="HGB-LE60").update(threshold=50)
    ward.refresh_from_db()
    assert (new.version, ward.effective_to) == (2, today + dt.timedelta(days=1))
    assert rule_set_in_force(hospital=hospital, day=today, population="clinical") == ward
    record(ward_visit, "HGB", "58", staff_chen)  # today: version 1 (≤ 60) fires
    assert Notification.objects.get().rule_set == ward
    clock.shift(dt.timedelta(days=1))
    assert rule_set_in_force(hospital=hospital, day=timezone.now().date(), population="clinical") == new


def test_a_new_version_is_refused_without_the_right_or_before_the_old_one(
    hospital, catalogue, staff_chen, admin_root
):
    rule_set_install_defaults(hospital=hospital)
    ward = RuleSet.objects.get(hospital=hospital, code="WARD")
    with pytest.raises(PermissionDenied):
        rule_set_new_version(rule_set=ward, effective_from=dt.date(2027, 1, 1), actor=staff_chen)
    with pytest.raises(ValidationError):
        rule_set_new_version(rule_set=ward, effective_from=dt.date(2018, 1, 1), actor=admin_root)
    assert RuleSet.objects.filter(code="WARD").count() == 1
