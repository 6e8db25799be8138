"""Employer groups: contracts with a package and price per employee class, the roster imported from
Excel with a row-by-row report (nothing imported from a file with errors unless "valid rows only"),
and the roster booked for a day."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from carebridge.checkup.models import RosterMember
from carebridge.checkup.services.customers import (
    ClassInput,
    contract_create,
    group_create,
    roster_book,
    roster_import,
)
from carebridge.checkup.tests.factories import CustomerFactory, national_id
from carebridge.patients.models import Patient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

HEADER = ["姓名", "性别", "出生日期", "身份证号", "手机", "人员类别", "工号"]
ZHANG = [
    "张伟",
    "男",
    "1978-04-02",
    national_id(dt.date(1978, 4, 2), 11, sex="M"),
    "13800001111",
    "在职男",
    "A001",
]
LI = [
    "李娜",
    "女",
    "1985-10-20",
    national_id(dt.date(1985, 10, 20), 12, sex="F"),
    "13800002222",
    "在职女",
    "A002",
]
BAD_ID = ["赵强", "男", "1970-01-01", "110101197001011230", "", "在职男", "A003"]
NO_CLASS = ["钱芳", "女", "1990-01-01", "", "", "临时工", "A004"]


def workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@pytest.fixture
def contract(site):
    group = group_create(
        department=site.centre,
        actor=site.staff,
        code="GOV01",
        name="市财政局",
        channel="employer",
        occupation_class="civil_servant",
    )
    packages = site.catalogue.packages
    return contract_create(
        group=group,
        actor=site.staff,
        name="2025年度职工体检",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        classes=[
            ClassInput(name="在职男", package=packages["M-40"], price=Decimal("1200"), sex="M"),
            ClassInput(name="在职女", package=packages["F-40"], price=Decimal("1400"), sex="F"),
        ],
    )


def test_a_clean_roster_is_imported_and_people_already_registered_are_found(site, contract):
    existing = CustomerFactory(
        hospital=site.centre.hospital,
        name="张伟",
        national_id=ZHANG[3],
        sex="M",
        birth_date=dt.date(1978, 4, 2),
    )
    record = roster_import(
        contract=contract, content=workbook(ZHANG, LI), file_name="名单.xlsx", actor=site.staff
    )
    assert (record.status, record.rows_total, record.rows_imported, record.rows_rejected) == (
        "imported",
        2,
        2,
        0,
    )
    assert [row["status"] for row in record.report] == ["found", "registered"]
    assert RosterMember.objects.get(patient=existing).employee_class.name == "在职男"
    li = Patient.objects.get(national_id=LI[3])
    assert li.mrn.startswith("TJ") and li.sex == "F" and li.phones.get().number == "13800002222"


def test_a_file_with_a_bad_row_imports_nothing_and_reports_every_row(site, contract):
    before = Patient.objects.count()
    record = roster_import(
        contract=contract,
        content=workbook(ZHANG, BAD_ID, LI, NO_CLASS),
        file_name="名单.xlsx",
        actor=site.staff,
    )
    assert record.status == "rejected" and record.rows_imported == 0 and record.rows_rejected == 2
    assert not RosterMember.objects.exists() and Patient.objects.count() == before
    report = {row["row"]: row for row in record.report}
    assert report[2]["status"] == "not_imported" and report[4]["status"] == "not_imported"
    assert report[3]["status"] == "error" and len(report[3]["errors"]) == 1  # the ID's check digit
    assert report[5]["status"] == "error" and any(
        "临时工" in e and "在职男" in e for e in report[5]["errors"]
    )


def test_valid_rows_only_imports_the_good_rows_and_reports_the_bad(site, contract):
    record = roster_import(
        contract=contract,
        content=workbook(ZHANG, BAD_ID, LI),
        file_name="名单.xlsx",
        actor=site.staff,
        mode="valid",
    )
    assert (record.status, record.rows_imported, record.rows_rejected) == ("partial", 2, 1)
    assert RosterMember.objects.count() == 2


def test_importing_the_same_roster_twice_adds_nobody_twice(site, contract):
    roster_import(contract=contract, content=workbook(ZHANG, LI), file_name="a.xlsx", actor=site.staff)
    again = roster_import(
        contract=contract, content=workbook(ZHANG, LI), file_name="a.xlsx", actor=site.staff
    )
    assert again.rows_imported == 0 and [r["status"] for r in again.report] == ["already_on_roster"] * 2
    assert RosterMember.objects.count() == 2


def test_a_file_that_is_not_a_workbook_is_refused_and_nothing_is_kept(site, contract):
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        roster_import(contract=contract, content=b"name,sex\n", file_name="x.csv", actor=site.staff)
    assert not contract.imports.exists()


def test_the_same_id_twice_in_one_file_is_an_error(site, contract):
    record = roster_import(
        contract=contract, content=workbook(ZHANG, ZHANG), file_name="a.xlsx", actor=site.staff
    )
    assert record.status == "rejected" and "row 2" in record.report[1]["errors"][0]


def test_the_roster_is_booked_with_each_classs_package_and_price(site, contract):
    roster_import(contract=contract, content=workbook(ZHANG, LI), file_name="a.xlsx", actor=site.staff)
    visits = roster_book(
        contract=contract,
        members=list(contract.members.order_by("id")),
        scheduled_for=dt.date(2025, 3, 20),
        actor=site.staff,
    )
    assert [(v.package.code, v.price, v.channel, v.occupation_class) for v in visits] == [
        ("M-40", Decimal("1200.00"), "employer", "civil_servant"),
        ("F-40", Decimal("1400.00"), "employer", "civil_servant"),
    ]
    assert all(v.group == contract.group and v.roster_member is not None for v in visits)


def test_a_contract_needs_an_employee_class(site):
    group = group_create(department=site.centre, actor=site.staff, code="G2", name="某小学", channel="school")
    with pytest.raises(ValidationError) as refused:
        contract_create(
            group=group,
            actor=site.staff,
            name="x",
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 12, 31),
            classes=[],
        )
    assert "classes" in refused.value.message_dict
