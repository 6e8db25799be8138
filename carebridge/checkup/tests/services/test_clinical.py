"""Clinical results (issue #12, results for encounters other than checkups): a ward's laboratory
results are filed through the centre's ``result_record`` into a results holder of the encounter, one
per laboratory order — and the centre never sees them: not in its visit lists, statistics, nightly
close, chief examiner's review queue or group reports, even for a user whose scope covers the ward.
The patient's file shows them to whoever may see the ward's encounters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from carebridge.checkup.models import Item, Result, Visit
from carebridge.checkup.selectors.review import review_queue
from carebridge.checkup.selectors.statistics import statistics, year_period
from carebridge.checkup.selectors.visits import visit_get, visit_list, visits_of_day
from carebridge.checkup.services.clinical import clinical_holder, clinical_order
from carebridge.checkup.services.results import result_record
from carebridge.checkup.services.visits import visits_close_stale
from carebridge.checkup.tests.support.people import checked_in, record
from carebridge.core.tests.factories import WardFactory, make_persona
from carebridge.core.timeline import timeline_for
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(site, cardiology):
    """The customer is also an inpatient of cardiology's ward (admitted two days ago)."""
    return Encounter.objects.create(
        hospital=site.centre.hospital,
        patient=site.customer,
        kind="inpatient",
        department=cardiology,
        ward=WardFactory(department=cardiology, code="CW1", name="心内一病区"),
        started_at=dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC),
    )


def ward_result(stay, code="HGB", value="55", order_number="L0001"):
    holder = clinical_holder(encounter=stay, order_number=order_number, actor=None)
    item = Item.objects.get(hospital=stay.hospital, code=code)
    return result_record(
        order=clinical_order(holder=holder, item=item), value=value, actor=None, source="hl7"
    )


@pytest.fixture
def wide(site, cardiology):
    """Checkup staff whose scope covers the centre and the cardiology ward."""
    return make_persona("lin", "checkup_staff", site.centre.hospital, departments=[site.centre, cardiology])


@pytest.fixture
def wide_examiner(site, cardiology):
    return make_persona("qian", "chief_examiner", site.centre.hospital, departments=[site.centre, cardiology])


def test_a_ward_result_is_flagged_and_kept_in_the_encounters_holder(stay):
    result = ward_result(stay)
    holder = Visit.all_kinds.get(pk=result.visit_id)
    assert (holder.kind, holder.encounter, holder.department, holder.number) == (
        "clinical",
        stay,
        stay.department,
        "L0001",
    )
    assert (result.value_numeric, result.flag) == (55, "L")


def test_each_laboratory_order_is_its_own_holder_and_a_re_sent_order_finds_it_again(stay):
    first = ward_result(stay, value="55", order_number="L0001")
    second = ward_result(stay, value="58", order_number="L0002")
    assert first.visit_id != second.visit_id
    assert Result.objects.filter(item__code="HGB").count() == 2  # a new result, not a correction
    assert clinical_holder(encounter=stay, order_number="L0001", actor=None).pk == first.visit_id
    assert Visit.all_kinds.filter(encounter=stay).count() == 2


def test_a_checkup_encounter_gets_no_clinical_holder(site, stay):
    stay.kind = "checkup"
    stay.save(update_fields=["kind"])
    with pytest.raises(ValidationError):
        clinical_holder(encounter=stay, order_number="L0001", actor=None)
    assert not Visit.all_kinds.exists()


def test_a_checkup_visit_cannot_be_ordered_on_arrival(site):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    with pytest.raises(ValidationError):
        clinical_order(holder=visit, item=Item.objects.get(hospital=visit.hospital, code="HGB"))


def test_the_centres_lists_and_statistics_leave_ward_results_out(site, stay, wide):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    record(visit, "GLU", "5.0", site.staff)
    holder = ward_result(stay).visit

    assert list(visit_list(user=wide)) == [visit]
    assert list(visits_of_day(user=wide, day=visit.scheduled_for)) == [visit]
    with pytest.raises(Http404):
        visit_get(user=wide, pk=holder.pk)
    figures = statistics(user=wide, period=year_period(2025))
    assert (figures.visits, figures.customers) == (1, 1)
    assert list(site.customer.checkup_visits.all()) == [visit]


def test_the_nightly_close_and_the_review_queue_leave_ward_results_out(site, stay, wide_examiner):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    holder = ward_result(stay).visit
    site.clock.shift(dt.timedelta(days=1))

    assert visits_close_stale() == {"left": 1, "no_show": 0}
    holder.refresh_from_db()
    assert holder.status == "checked_in"  # results keep arriving while the stay lasts
    assert list(review_queue(user=wide_examiner)) == [Visit.objects.get(pk=visit.pk)]
    assert visits_close_stale() == {"left": 0, "no_show": 0}


def test_visit_objects_where_every_read_of_the_centre_starts_has_no_holder(site, stay):
    holder = ward_result(stay).visit
    assert not Visit.objects.filter(pk=holder.pk).exists()
    assert not Visit.objects.filter(patient=site.customer).exists()
    assert Result.objects.get().visit == Visit.all_kinds.get(pk=holder.pk)  # a result still reaches it


def test_the_patients_file_shows_ward_results_to_the_wards_staff_only(site, stay, clinician_zhou, outsider):
    ward_result(stay)
    titles = [e.title for e in timeline_for(site.customer, clinician_zhou) if e.kind == "clinical_result"]
    assert len(titles) == 1 and "55" in titles[0] and "↓" in titles[0]
    assert not [e for e in timeline_for(site.customer, site.staff) if e.kind == "clinical_result"]
    assert not [e for e in timeline_for(site.customer, outsider) if e.kind == "clinical_result"]


def test_an_order_number_in_the_centres_series_gets_a_number_of_its_own(stay):
    centre_like = clinical_holder(encounter=stay, order_number="TJ202503120001", actor=None)
    plain = clinical_holder(encounter=stay, order_number="L0001", actor=None)
    assert (centre_like.number, plain.number) == (f"EN{stay.pk}-1", "L0001")


def test_the_patients_page_shows_the_ward_result(client, site, stay, clinician_zhou):
    ward_result(stay)
    client.force_login(clinician_zhou)
    page = client.get(reverse("patients:detail", args=[site.customer.pk])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "55 g/L↓" in timeline and "L0001" in timeline and "心内一病区" in timeline
