"""Query budgets of the registry (issue 18): the patient list page and API and each kind of search read a
page in a fixed number of queries however many rows it shows, for a hospital-wide and for a
department-scoped user, so a lazy relation per row fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.core.models.organisation import region_full_names
from carebridge.patients.models import PatientAccessLog
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.patients.tests.support.pages import API_LIST, LIST

pytestmark = pytest.mark.django_db

# name prefix, pinyin initials, phone tail, full mobile, MRN, national ID
SEARCHES = ("张", "zw", "5678", "13912345678", "M0000001", None)
# Queries per search kind, in the order of SEARCHES then no search: (page, API).
# The page (9): session, user, the user's permissions (granted and through groups, one read), the staff
# record (scope), the page of rows with their phones and tags (one statement), the department picker, and
# the menu's staff, hospital and groups. The API (4): the token with its user, the permission read, the
# staff record, the rows with their phones and tags. A page shorter than
# a full one is its own count (a full page adds the capped count: ``test_a_full_page_adds_one_capped_count``);
# every search kind is one statement (a phone's numbers and MRNs in one semi-join) but an MRN that nobody
# in the user's scope has whole (a prefix, or a record outside the scope: the ward manager's M0000001 is
# in cardiology): the whole MRN is read alone, then its prefix; a department-scoped user also reads the
# departments of their scope; a search that finds exactly one person (the MRN and the national ID, for
# the hospital-wide roles) writes its access-log row. Region names are read once per process.
HOSPITAL_WIDE = ([9, 9, 9, 9, 10, 10, 9], [4, 4, 4, 4, 5, 5, 4])
BUDGETS = {
    "agent_ann": HOSPITAL_WIDE,
    "admin_sun": HOSPITAL_WIDE,
    "ward_manager_wang": ([10, 10, 10, 10, 11, 10, 10], [5, 5, 5, 5, 6, 5, 5]),
}


@pytest.fixture(autouse=True)
def _region_names_read():
    region_full_names(["320106"])  # the factories' region, as a running process has it


@pytest.fixture
def people(hospital, paediatrics, cardiology):
    def make(count: int, start: int = 0) -> list:
        made = []
        for index in range(start, start + count):
            patient = PatientFactory(
                hospital=hospital, mrn=f"M{index + 1:07d}", name=f"张伟{index}", name_initials="zw"
            )
            PhoneFactory(patient=patient, number=f"139{index:04d}5678")
            PhoneFactory(patient=patient, number=f"137{index:04d}1111", is_primary=False)
            EncounterFactory(patient=patient, department=paediatrics if index % 2 else cardiology)
            made.append(patient)
        return made

    return make


def _counts(client, path, people_list, login=None) -> list[int]:
    counts = []
    for query in [*SEARCHES, ""]:
        value = people_list[0].national_id if query is None else query
        if login is not None:
            client.force_login(login)  # the page client: a fresh session before each request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"q": value})
        assert response.status_code == 200, (path, value, response.get("Location"))
        counts.append(len(queries.captured_queries))
    return counts


@pytest.mark.parametrize("persona", ["agent_ann", "ward_manager_wang", "admin_sun"])
def test_the_list_and_every_search_read_a_page_in_a_fixed_number_of_queries(
    request, client, api_client, people, persona
):
    user = request.getfixturevalue(persona)
    # Two in each department from the start: a search that finds exactly one person is a lookup and writes
    # its access-log row, so a scoped user's first searches must not find one by accident.
    first = people(4)
    api = api_client(user)
    pages, apis = _counts(client, LIST, first, login=user), _counts(api, API_LIST, first)
    people(8, start=4)
    assert _counts(client, LIST, first, login=user) == pages  # three times the rows, the same queries
    assert _counts(api, API_LIST, first) == apis
    assert (pages, apis) == BUDGETS[persona]


def test_the_patient_list_page_reads_its_first_page_in_nine_queries(
    client, people, agent_ann, django_assert_num_queries
):
    people(3)
    client.force_login(agent_ann)
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 3
    assert response.context["page"].paginator.count == 3


def test_a_search_by_mrn_is_one_statement_and_one_access_log_row(
    client, api_client, people, agent_ann, django_assert_num_queries
):
    people(3)
    client.force_login(agent_ann)
    with django_assert_num_queries(10):  # the first page's queries and the access-log row
        response = client.get(LIST, {"q": "M0000002"})
    assert [p.mrn for p in response.context["page"].object_list] == ["M0000002"]
    api = api_client(agent_ann)
    with django_assert_num_queries(5):
        rows = api.get(API_LIST, {"q": "M0000002"}).json()
    assert [row["mrn"] for row in rows["results"]] == ["M0000002"] and rows["count"] == 1
    assert PatientAccessLog.objects.filter(reason="search").count() == 2  # one row per request


def test_an_mrn_prefix_still_finds_every_record_it_begins(
    client, api_client, people, agent_ann, django_assert_num_queries
):
    people(3)
    client.force_login(agent_ann)
    response = client.get(LIST, {"q": "m000000"})
    assert {p.mrn for p in response.context["page"].object_list} == {"M0000001", "M0000002", "M0000003"}
    api = api_client(agent_ann)
    with django_assert_num_queries(5):  # the whole MRN (nobody has it), then the prefix
        rows = api.get(API_LIST, {"q": "m000000"}).json()
    assert [row["mrn"] for row in rows["results"]] == ["M0000003", "M0000002", "M0000001"]
    assert rows["count"] == 3


def test_the_list_api_reads_a_page_and_a_phone_search_in_four_queries(
    api_client, people, agent_ann, django_assert_num_queries
):
    people(3)
    api = api_client(agent_ann)
    with django_assert_num_queries(4):
        body = api.get(API_LIST).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    with django_assert_num_queries(4):  # the numbers and the MRNs in one semi-join
        body = api.get(API_LIST, {"q": "5678"}).json()
    assert body["count"] == 3


def test_a_full_page_adds_one_capped_count(client, api_client, people, agent_ann, django_assert_num_queries):
    people(26)
    client.force_login(agent_ann)
    with django_assert_num_queries(10):
        response = client.get(LIST)
    page = response.context["page"]
    assert len(page.object_list) == 25 and page.paginator.count == 26 and page.has_next()
    api = api_client(agent_ann)
    with django_assert_num_queries(5):
        body = api.get(API_LIST).json()
    assert body["count"] == 26 and body["next"] is not None
    with django_assert_num_queries(4):  # the second page is short: it is its own count
        body = api.get(API_LIST, {"page": 2}).json()
    assert body["count"] == 26 and len(body["results"]) == 1
