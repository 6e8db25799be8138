"""The registry's prepared look-up (``patients.selectors.lookup``) finds what the FilterSet's queryset finds:
the same patients in the same order, the same capped count, the same phones and tags on each row, for
every kind of search and every kind of scope."""

from __future__ import annotations

import pytest

from carebridge.core.pagination import CappedPaginator, LookupPaginator
from carebridge.core.tests.factories import HospitalFactory, make_persona
from carebridge.patients.filters import PatientFilterSet, search_box_only
from carebridge.patients.models import Patient, Tag
from carebridge.patients.selectors.lookup import patient_lookup
from carebridge.patients.selectors.patients import patient_list_for_display, patient_search
from carebridge.patients.services.departments import patient_departments_sync
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.patients.tests.support.pages import API_LIST

pytestmark = pytest.mark.django_db

QUERIES = [
    "",  # no search: the first page of everyone in scope
    "张",
    "张伟",
    "李_",  # LIKE's wildcards are searched for as themselves
    "100%",
    "zw",
    "ZW",
    "z w",
    "ln",
    "mz0099",  # an MRN in the wrong case: the whole MRN, upper-cased
    "MZ00",  # an MRN prefix (no whole MRN has it)
    "ZY2026",
    "ZY2026000",  # an MRN prefix of ten records: a later page falls back to the prefix too
    "9876",  # a phone tail (and the MRN 9876)
    "5555",
    "13812349876",
    "138 1234 9876",
    "王",
    "王\\",  # a backslash, LIKE's escape character
    "national ID",  # the national ID of one of them (the factory's), then in lower case
    "national id lower",
]


@pytest.fixture
def registry_people(hospital, cardiology, paediatrics):
    """Thirty 张 in both departments, each with two phones and some with tags, and the odd ones out:
    names with LIKE's wildcards, a record merged into another, one not yet seen anywhere, one of
    another hospital, an MRN that is also a phone tail."""
    vip, elderly = Tag.objects.create(name="VIP"), Tag.objects.create(name="老年")
    made = []
    for index in range(30):
        patient = PatientFactory(hospital=hospital, mrn=f"ZY2026{index:04d}", name=f"张伟{index}")
        PhoneFactory(patient=patient, number=f"139{index:04d}5555", is_primary=index % 3 == 0)
        PhoneFactory(patient=patient, number=f"137{index:04d}9876", is_primary=False)
        if index % 4 == 0:
            patient.tags.add(elderly, vip)
        elif index % 4 == 1:
            patient.tags.add(vip)
        EncounterFactory(patient=patient, department=cardiology if index % 2 else paediatrics)
        made.append(patient)
    odd = [
        PatientFactory(hospital=hospital, mrn="MZ0099", name="李_", name_initials="l"),
        PatientFactory(hospital=hospital, mrn="MZ0100", name="李娜", name_initials="ln"),
        PatientFactory(hospital=hospital, mrn="9876", name="100%", name_initials=""),
        PatientFactory(hospital=hospital, mrn="Z0001", name="赵文", name_initials="zw"),
    ]
    PhoneFactory(patient=odd[1], number="13812349876")
    for patient in odd[:3]:
        EncounterFactory(patient=patient, department=cardiology)
    # odd[3] has no encounter: seen nowhere yet (checkup staff may find it to register its first visit)
    merged = PatientFactory(hospital=hospital, mrn="ZY20269999", name="张伟合并", merged_into=made[0])
    EncounterFactory(patient=merged, department=cardiology)
    PatientFactory(hospital=HospitalFactory(code="other"), mrn="ZY20260001X", name="张伟他院")
    patient_departments_sync(patient_ids=Patient.objects.values_list("pk", flat=True))
    return made


@pytest.fixture
def users(request, hospital, cardiology, outsider):
    personas = ("agent_ann", "ward_manager_wang", "clinician_zhou")
    agent, ward_manager, clinician = (request.getfixturevalue(name) for name in personas)
    checkup = make_persona("chen", "checkup_staff", hospital, departments=[cardiology])
    return {
        "agent": agent,
        "ward manager": ward_manager,
        "clinician": clinician,
        "checkup staff": checkup,
        "no staff record": outsider,
    }


def _described(rows) -> list[tuple]:
    return [
        (
            row.pk,
            row.name,
            row.mrn,
            row.national_id,
            row.updated_at,
            row.hospital.code,
            [(p.pk, p.number, p.is_primary, p.label) for p in row.phones.all()],
            [t.name for t in row.tags.all()],
        )
        for row in rows
    ]


@pytest.mark.parametrize("per_page", [25, 7])
def test_the_lookup_finds_what_the_filtered_queryset_finds(registry_people, users, per_page):
    national_id = registry_people[7].national_id
    queries = [
        {"national ID": national_id, "national id lower": national_id.lower()}.get(q, q) for q in QUERIES
    ]
    for label, user in users.items():
        for query in queries:
            expected = LookupPaginator(patient_search(patient_list_for_display(user=user), query), per_page)
            found = LookupPaginator(patient_lookup(user=user, query=query), per_page)
            for number in (1, 2, 3):
                if number > expected.num_pages:
                    break
                want = expected.page(number).object_list
                assert _described(found.page(number).object_list) == _described(want), (label, query, number)
                # A request for a later page reads it with a lookup of its own (nothing read before it).
                alone = LookupPaginator(patient_lookup(user=user, query=query), per_page).page(number)
                assert _described(alone.object_list) == _described(want), (label, query, number)
            assert (found.count, found.is_capped) == (expected.count, expected.is_capped), (label, query)
    agent = users["agent"]
    assert [p.pk for p in patient_lookup(user=agent, query=national_id)] == [registry_people[7].pk]
    assert [p.mrn for p in patient_lookup(user=agent, query="mz0099")] == ["MZ0099"]
    assert len(patient_lookup(user=agent, query="9876")) == 32  # 30 phone tails, 李娜's, the MRN 9876


def test_the_lookup_stays_inside_the_scope(registry_people, users, cardiology):
    in_cardiology = set(
        Patient.objects.filter(encounters__department=cardiology, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
    clinician = {p.pk for p in patient_lookup(user=users["clinician"], query="")}
    assert clinician == in_cardiology
    checkup = {p.pk for p in patient_lookup(user=users["checkup staff"], query="")}
    assert checkup - in_cardiology == {Patient.objects.get(mrn="Z0001").pk}  # seen nowhere yet
    assert list(patient_lookup(user=users["no staff record"], query="张")) == []
    assert len(patient_lookup(user=users["no staff record"], query="")) == 0
    agent = patient_lookup(user=users["agent"], query="张伟")
    assert len(agent) == 30  # neither the merged record nor the other hospital's
    assert {p.pk for p in agent} == {p.pk for p in registry_people}


def test_a_row_of_the_lookup_refined_further_reads_its_own_relations(registry_people, users):
    row = patient_lookup(user=users["agent"], query=registry_people[4].mrn)[0]
    assert row.pk == registry_people[4].pk
    others = registry_people[4].phones.filter(is_primary=False)
    assert list(row.phones.filter(is_primary=False)) == list(others)
    assert [t.name for t in row.tags.order_by("-name")] == ["老年", "VIP"]
    assert [t.name for t in row.tags.all()] == ["VIP", "老年"]  # as read, by name
    assert all(phone.patient is row for phone in row.phones.all())


def test_phones_and_tags_come_in_prefetch_order_not_the_order_they_were_added(hospital, users):
    """The page's own statement reads the phones and tags in ``prefetch_related``'s order, not the order
    they were written in: the primary phone (written last) first, then by id; tags by name in the
    database's collation (``Beta`` and ``alpha`` sort apart under a language's collation and by code
    point)."""
    patient = PatientFactory(hospital=hospital, mrn="ORDER01", name="周序")
    PhoneFactory(patient=patient, number="13700000001", is_primary=False)
    PhoneFactory(patient=patient, number="13700000002", is_primary=False)
    PhoneFactory(patient=patient, number="13700000003", is_primary=True)
    for name in ("zeta", "Beta", "alpha"):
        patient.tags.add(Tag.objects.create(name=name))
    row = patient_lookup(user=users["agent"], query="ORDER01")[0]
    prefetched = Patient.objects.prefetch_related("phones", "tags").get(pk=patient.pk)
    assert [p.number for p in row.phones.all()] == ["13700000003", "13700000001", "13700000002"]
    assert [p.number for p in row.phones.all()] == [p.number for p in prefetched.phones.all()]
    assert [t.name for t in row.tags.all()] == [t.name for t in prefetched.tags.all()]
    assert {t.name for t in row.tags.all()} == {"zeta", "Beta", "alpha"}
    assert not hasattr(row, "lookup_phones") and not hasattr(row, "lookup_tags")  # read, then dropped


def test_the_lookup_is_sliced_forwards_and_indexed(registry_people, users):
    lookup = patient_lookup(user=users["agent"], query="张伟")
    newest = [p.pk for p in sorted(registry_people, key=lambda p: -p.pk)]
    assert lookup[0].pk == newest[0] and lookup[29].pk == newest[29]
    assert [p.pk for p in lookup[28:]] == newest[28:]
    assert lookup[5:5] == []
    with pytest.raises(IndexError):
        lookup[30]
    with pytest.raises(ValueError, match="forwards"):
        lookup[-3:]
    with pytest.raises(ValueError, match="forwards"):
        lookup[0:10:2]


def test_a_whole_mrn_finds_its_record_alone_and_a_prefix_every_record_it_begins(
    hospital, users, django_assert_num_queries
):
    # An MRN search reads the whole MRN alone, then its prefix only when nobody in scope has the whole.
    made = [PatientFactory(hospital=hospital, mrn=mrn) for mrn in ("Q100", "Q1001", "Q1002")]
    agent = users["agent"]
    assert [p.mrn for p in patient_lookup(user=agent, query="q100")] == ["Q100"]
    assert len(patient_lookup(user=agent, query="q100")) == 1
    assert patient_lookup(user=agent, query="q100")[1:3] == []  # a later page of one record: empty
    prefix = patient_lookup(user=agent, query="Q10")
    with django_assert_num_queries(2):  # counted before any page is read: the whole MRN, then the prefix
        assert len(prefix) == 3
    with django_assert_num_queries(1):  # the part is known now: the prefix's page alone
        assert [p.pk for p in prefix[1:3]] == [made[1].pk, made[0].pk]  # newest first
    with django_assert_num_queries(1):  # a whole MRN found: one statement
        assert [p.mrn for p in patient_lookup(user=agent, query="Q1002")[0:25]] == ["Q1002"]
    lower = PatientFactory(hospital=hospital, mrn="q100")  # the same MRN in lower case: both are whole
    assert [p.pk for p in patient_lookup(user=agent, query="q100")] == [lower.pk, made[0].pk]
    second = LookupPaginator(patient_lookup(user=agent, query="q100"), 1).page(2)  # nothing read before
    assert [p.pk for p in second] == [made[0].pk] and second.paginator.count == 2
    assert [p.pk for p in patient_lookup(user=agent, query="Q100")] == [made[0].pk]  # upper case: its own
    assert [p.mrn for p in patient_lookup(user=users["ward manager"], query="Q100")] == []  # not seen there


def test_wildcards_and_the_escape_character_are_searched_for_as_themselves(registry_people, users):
    agent = users["agent"]
    assert [p.mrn for p in patient_lookup(user=agent, query="李_")] == ["MZ0099"]  # not 李娜
    assert [p.mrn for p in patient_lookup(user=agent, query="100%")] == ["9876"]
    assert list(patient_lookup(user=agent, query="王\\")) == []
    assert list(patient_lookup(user=agent, query="%")) == []


def test_the_count_stops_at_the_cap(registry_people, users, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    agent = users["agent"]
    found = LookupPaginator(patient_lookup(user=agent, query="张伟"), 7)
    expected = LookupPaginator(patient_search(patient_list_for_display(user=agent), "张伟"), 7)
    assert (found.count, found.is_capped, found.num_pages) == (10, True, 2)
    assert _described(found.page(2).object_list) == _described(expected.page(2).object_list)
    assert len(found.page(2).object_list) == 3  # what the cap leaves of the second page


def test_a_user_whose_scope_changes_gets_the_new_scope(registry_people, users, cardiology):
    from django.contrib.auth import get_user_model

    wang = users["ward manager"]
    before = {p.pk for p in patient_lookup(user=wang, query="张伟")}
    assert len(before) == 15  # paediatrics' half
    wang.staff.departments.add(cardiology)
    fresh = get_user_model().objects.get(pk=wang.pk)  # the next request's user
    assert len(patient_lookup(user=fresh, query="张伟")) == 30


def test_the_search_box_alone_is_read_by_the_lookup_and_anything_else_by_the_filterset():
    # Each filter reads its own key: a filter reading more (a date range's _after/_before) must be
    # handled in search_box_only before it joins this list.
    assert set(PatientFilterSet.base_filters) == {
        "q", "department", "chapter", "icd10", "region", "sex", "tag", "encounter_kind",
        "survey_consent", "contact_consent",
    }  # fmt: skip
    assert search_box_only({}) == ""
    assert search_box_only({"q": "  张伟 "}) == "张伟"
    assert search_box_only({"q": "张", "sex": "", "tag": None, "page": "2"}) == "张"  # blank is not given
    assert search_box_only({"q": "张", "sex": "F"}) is None
    assert search_box_only({"q": "张", "survey_consent": "false"}) is None
    assert search_box_only({"q": "张\x00"}) is None  # the FilterSet refuses it, with its message


def test_the_api_answers_a_refused_search_and_an_ordering_through_the_filterset(
    registry_people, users, api_client
):
    api = api_client(users["agent"])
    refused = api.get(API_LIST, {"q": "张\x00"})
    assert refused.status_code == 400 and "q" in refused.json()
    by_mrn = api.get(API_LIST, {"q": "ZY2026", "ordering": "mrn"}).json()["results"]
    assert [row["mrn"] for row in by_mrn] == sorted(p.mrn for p in registry_people)[:25]
    tagged = api.get(API_LIST, {"q": "张伟", "tag": "老年"}).json()
    assert tagged["count"] == 8 and all("老年" in row["tags"] for row in tagged["results"])


def test_a_search_whose_values_have_no_stand_ins_is_refused(users):
    from django.core.exceptions import ImproperlyConfigured

    from carebridge.patients.selectors.lookup import PatientLookup
    from carebridge.patients.selectors.patients import SearchTerms

    terms = SearchTerms("name", {"name": "张%", "initials": "z%"})
    with pytest.raises(ImproperlyConfigured, match="name search sends"):
        PatientLookup(user=users["agent"], terms=terms, using="default")


def test_only_phones_and_tags_of_plain_columns_are_read_as_json():
    """A date or decimal column would come back from JSON as text or a float on PostgreSQL only (SQLite
    converts text): such a column added to a phone or a tag stops the module's import, not a search."""
    from django.core.exceptions import ImproperlyConfigured

    from carebridge.patients.models import PatientAccessLog
    from carebridge.patients.selectors import lookup

    with pytest.raises(ImproperlyConfigured, match="not Patient"):
        lookup._RelatedRows(Patient)
    with pytest.raises(ImproperlyConfigured, match="cannot be read back from JSON"):
        lookup._readable_as_json(PatientAccessLog)  # its time of access
    for model in lookup._ORDER:
        lookup._readable_as_json(model)
