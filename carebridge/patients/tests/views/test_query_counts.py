"""Query budgets of the registry (issue 18): the patient list page and API and each kind of search read a
page in a fixed number of queries however many rows it shows, for a hospital-wide and for a
department-scoped user, so a lazy relation per row fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.patients.tests.support.pages import API_LIST, LIST

pytestmark = pytest.mark.django_db

# name prefix, pinyin initials, phone tail, full mobile, MRN, national ID
SEARCHES = ("张", "zw", "5678", "13912345678", "M0000001", None)
# Queries per search kind, in the order of SEARCHES then no search: (page, API). The API is the page
# without the session and the menu. A phone search first looks up the numbers and MRNs; a whole MRN is
# tried exactly first; a department-scoped user reads the departments of their scope; a search that finds
# exactly one person (here the MRN and the national ID, for the hospital-wide roles) writes its
# access-log row.
HOSPITAL_WIDE = ([13, 13, 15, 11, 15, 14, 13], [9, 9, 11, 7, 11, 10, 9])
BUDGETS = {
    "agent_ann": HOSPITAL_WIDE,
    "admin_sun": HOSPITAL_WIDE,
    "ward_manager_wang": ([14, 14, 16, 12, 12, 11, 14], [10, 10, 12, 8, 8, 7, 10]),
}


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
