"""The centre's pages for the people who use them: each renders in zh-hans with labels (never a stored
choice value or a login name), the workflow's forms post through the services, and nothing is visible
to a role outside the centre."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.models import QueueEntry, Result
from carebridge.checkup.tests.support.pages import client_for, visible_text
from carebridge.checkup.tests.support.people import booked, checked_in, examined, signed
from carebridge.core.tests.factories import HospitalFactory, StaffFactory
from carebridge.patients.models import PatientAccessLog

pytestmark = pytest.mark.django_db

RAW_VALUES = re.compile(
    r"\b(checked_in|no_show|in_service|civil_servant|public_institution|after_meal|empties_bladder|"
    r"full_bladder|posneg|blood_count|tumour_marker|fatty_liver|sinus_tachy)\b"
)


@pytest.fixture
def day(site):
    """A morning with one person booked, one in the centre, one gone, one signed."""
    items = [site.catalogue.items[code] for code in ("GLU", "ECG", "SBP")]
    waiting = booked(centre=site.centre, actor=site.staff, items=items)
    inside = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, package=site.catalogue.packages["M-40"]
    )
    gone = examined(
        centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "6.5", "SBP": "150"}
    )
    done = signed(
        visit=examined(centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "5.0"}),
        examiner=site.examiner,
    )
    return {"booked": waiting, "inside": inside, "gone": gone, "signed": done}


def _pages(site, day) -> list[str]:
    room = site.catalogue.rooms["BLD"]
    return [
        "/checkup/",
        "/checkup/visits/new/",
        *[f"/checkup/visits/{visit.pk}/" for visit in day.values()],
        f"/checkup/visits/{day['inside'].pk}/guide-sheet/",
        f"/checkup/visits/{day['inside'].pk}/questionnaire/",
        f"/checkup/visits/{day['inside'].pk}/rooms/{room.pk}/results/",
        "/checkup/rooms/",
        f"/checkup/rooms/{room.pk}/",
        "/checkup/board/",
        "/checkup/board/panel/",
        "/checkup/items/",
        "/checkup/packages/",
        "/checkup/groups/",
        "/checkup/statistics/",
        "/checkup/statistics/rows/?key=customers",
        f"/checkup/records/{site.customer.pk}/",
    ]


def test_every_page_renders_labels_in_chinese_never_values_or_login_names(site, day):
    client = client_for(site.staff)
    for url in _pages(site, day):
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert not RAW_VALUES.search(text), (url, RAW_VALUES.search(text))
        assert "chen" not in text, url  # the login name; staff appear by their name


def test_the_chief_examiners_pages_render_labels(site, day):
    client = client_for(site.examiner)
    for url in (
        "/checkup/review/",
        f"/checkup/visits/{day['gone'].pk}/review/",
        f"/checkup/visits/{day['signed'].pk}/review/",
        "/checkup/advice/",
        f"/checkup/visits/{day['signed'].pk}/report.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            text = visible_text(response.content.decode())
            assert not RAW_VALUES.search(text), (url, RAW_VALUES.search(text))


def test_booking_through_the_page_finds_or_registers_the_person(site):
    client = client_for(site.staff)
    response = client.post(
        "/checkup/visits/new/",
        {
            "name": "周敏",
            "sex": "F",
            "birth_date": "1988-02-03",
            "national_id": "",
            "phone": "13700001234",
            "scheduled_for": "2025-03-12",
            "package": site.catalogue.packages["F-U40"].pk,
            "addons": [site.catalogue.packages["X-THYROID"].pk],
            "channel": "individual",
            "occupation_class": "enterprise",
        },
    )
    assert response.status_code == 302
    visit = site.centre.checkup_visits.get(patient__name="周敏")
    assert visit.orders.filter(item__code="TSH").exists() and visit.occupation_class == "enterprise"


def test_the_desk_chooses_a_dedicated_escort_other_than_the_person_booking(site):
    client = client_for(site.staff)
    outsider = StaffFactory(hospital=HospitalFactory(code="ELSE"), name="外院人员")
    page = client.get("/checkup/visits/new/").content.decode()
    nurse = site.nurse.staff
    assert nurse.name in page and outsider.name not in page
    # The single items are picked by typing (a catalogue of a hundred items and more).
    assert 'data-picker="multi"' in page and "carebridge/pickers.js" in page
    booking = {
        "name": "周敏",
        "sex": "F",
        "birth_date": "1988-02-03",
        "phone": "13700001234",
        "scheduled_for": "2025-03-12",
        "package": site.catalogue.packages["F-U40"].pk,
        "channel": "individual",
        "occupation_class": "enterprise",
    }
    refused = client.post("/checkup/visits/new/", {**booking, "escort": outsider.pk})
    assert refused.status_code == 200 and not site.centre.checkup_visits.filter(patient__name="周敏").exists()
    assert client.post("/checkup/visits/new/", {**booking, "escort": nurse.pk}).status_code == 302
    visit = site.centre.checkup_visits.get(patient__name="周敏")
    assert visit.escort == nurse and visit.escort != site.staff.staff


def test_check_in_then_scan_at_the_room_then_results_then_room_signature(site):
    visit = booked(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    client = client_for(site.staff)
    client.post(f"/checkup/visits/{visit.pk}/check-in/", {"arrived_fasting": "on"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CHECKED_IN
    room = site.catalogue.rooms["BLD"]
    client.post(f"/checkup/rooms/{room.pk}/", {"number": visit.number.lower()})
    entry = QueueEntry.objects.get(visit=visit)
    client.post(f"/checkup/queue/{entry.pk}/call/")
    client.post(f"/checkup/queue/{entry.pk}/finish/")
    order = visit.orders.get()
    response = client.post(
        f"/checkup/visits/{visit.pk}/rooms/{room.pk}/results/",
        {f"value_{order.pk}": "117", f"unit_{order.pk}": "mg/dL"},
    )
    assert response.status_code == 302
    result = Result.objects.get()
    assert str(result.value_numeric) == "6.5000" and result.flag == "H"
    client.post(f"/checkup/visits/{visit.pk}/rooms/{room.pk}/sign/")
    assert visit.room_signoffs.filter(room=room).exists()
    assert PatientAccessLog.objects.filter(patient=site.customer, user=site.staff).exists()


def test_a_refused_unit_keeps_the_form_and_says_why(site):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["WBC"]]
    )
    order = visit.orders.get()
    room = site.catalogue.rooms["BLD"]
    response = client_for(site.staff, language="en").post(
        f"/checkup/visits/{visit.pk}/rooms/{room.pk}/results/",
        {f"value_{order.pk}": "6.1", f"unit_{order.pk}": "mg/dL"},
    )
    assert response.status_code == 200 and not Result.objects.exists()
    assert "Select a valid choice" in response.content.decode()  # mg/dL is not offered for a cell count


def test_the_guide_nurse_moves_a_person_from_the_board(site):
    visit = checked_in(
        centre=site.centre,
        actor=site.staff,
        patient=site.customer,
        items=[site.catalogue.items["GLU"], site.catalogue.items["ECG"]],
    )
    client = client_for(site.nurse)
    client.post(f"/checkup/rooms/{site.catalogue.rooms['BLD'].pk}/", {"number": visit.number})
    response = client.post(
        f"/checkup/visits/{visit.pk}/move/", {"room": site.catalogue.rooms["ECG"].pk, "reason": "采血室人多"}
    )
    assert response.status_code == 302
    assert QueueEntry.objects.get(visit=visit, status="waiting").room == site.catalogue.rooms["ECG"]
    board = client.get("/checkup/board/panel/").content.decode()
    assert site.customer.name in board and "心电图室" in board


def test_signing_without_seeing_the_person_is_refused_on_the_page_until_a_reason_is_given(site, day):
    client = client_for(site.examiner, language="en")
    url = f"/checkup/visits/{day['gone'].pk}/review/sign/"
    response = client.post(url, {"summary": "空腹血糖受损，血压升高。"})
    assert (
        response.status_code == 400 and "why you sign without having seen them" in response.content.decode()
    )
    response = client.post(
        url, {"summary": "空腹血糖受损，血压升高。", "unseen_reason": "电话沟通，本人已离院"}
    )
    assert response.status_code == 302
    day["gone"].refresh_from_db()
    assert day["gone"].status == "signed" and day["gone"].risk_level == 3


def test_pages_outside_the_centre_are_refused_or_absent(site, day, clinician_zhou):
    client = client_for(clinician_zhou)
    assert client.get("/checkup/").status_code == 403
    assert client.get(f"/checkup/visits/{day['inside'].pk}/").status_code == 403
    assert client.get(f"/checkup/records/{site.customer.pk}/").status_code == 403
    assert client.get("/checkup/statistics/").status_code == 403


def test_the_nav_shows_the_centre_only_to_its_roles(site, clinician_zhou):
    assert "/checkup/" in client_for(site.staff).get("/patients/overview/").content.decode()
    assert "/checkup/" not in client_for(clinician_zhou).get("/patients/overview/").content.decode()


def test_the_statistics_export_escapes_cells_that_look_like_formulas(site):
    from carebridge.checkup.tests.factories import CustomerFactory

    person = CustomerFactory(
        hospital=site.centre.hospital, name="=HYPERLINK(1)", birth_date=dt.date(1970, 1, 1)
    )
    examined(
        centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "5"}, patient=person
    )
    response = client_for(site.staff).get("/checkup/statistics/rows/?year=2025&key=customers&format=xlsx")
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'=HYPERLINK(1)"]


def test_the_guide_board_panel_costs_the_same_queries_for_3_people_as_for_9(site):
    """The board is refreshed every few seconds for hundreds of people (bench/checkup_day.py): no query
    per row, neither in the selector nor in the template."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carebridge.checkup.tests.support.people import crowd

    items = [site.catalogue.items[code] for code in ("GLU", "ECG", "SBP")]
    room = site.catalogue.rooms["BLD"]
    client = client_for(site.nurse)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/checkup/board/panel/")
        assert response.status_code == 200
        return len(captured)

    crowd(centre=site.centre, actor=site.staff, room=room, item=items[0], size=2)
    checked_in(centre=site.centre, actor=site.staff, items=items)
    few = queries()
    crowd(centre=site.centre, actor=site.staff, room=room, item=items[0], size=4)
    for _ in range(2):
        checked_in(centre=site.centre, actor=site.staff, items=items)
    page = client.get("/checkup/board/panel/").content.decode()
    assert page.count('id="board-visit-') == 9
    assert queries() == few
    assert few <= 20
