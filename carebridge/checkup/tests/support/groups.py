"""A built unit for the group-report tests: people of chosen sex and age, each with a signed visit whose
blood pressure (and, optionally, BMI) makes them a case or not — rows written directly, as the demo
does, since the services that write them are tested elsewhere."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from carebridge.checkup.models import EmployerGroup, Item, OrderedItem, Result, RosterMember, Visit
from carebridge.checkup.tests.factories import ContractClassFactory, ContractFactory, CustomerFactory

_serial = itertools.count(1)


def person(hospital: Any, *, sex: str, age: int, on: dt.date) -> Any:
    return CustomerFactory(
        hospital=hospital, sex=sex, birth_date=on.replace(year=on.year - age) - dt.timedelta(days=30)
    )


def examined(
    group: EmployerGroup,
    patient: Any,
    *,
    on: dt.date,
    hypertensive: bool,
    overweight: bool | None = None,
    risk_level: int = 5,
    roster: bool = True,
) -> Visit:
    """A signed visit of ``patient`` in ``group`` on ``on`` with systolic pressure 150 or 120."""
    moment = dt.datetime(on.year, on.month, on.day, 9, 0, tzinfo=dt.UTC)
    visit = Visit.objects.create(
        hospital=group.hospital,
        department=group.department,
        patient=patient,
        number=f"TJT{next(_serial):08d}",
        scheduled_for=on,
        status="signed",
        channel="employer",
        group=group,
        booked_at=moment,
        checked_in_at=moment,
        signed_at=moment,
        risk_level=risk_level,
    )
    items = {
        item.code: item
        for item in Item.objects.filter(hospital=group.hospital, code__in=["SBP", "DBP", "BMI"])
    }
    values = {"SBP": "150" if hypertensive else "120", "DBP": "80"}
    if overweight is not None:
        values["BMI"] = "26.0" if overweight else "21.0"
    for code, value in values.items():
        order = OrderedItem.objects.create(visit=visit, item=items[code], status="resulted")
        Result.objects.create(
            visit=visit,
            order=order,
            item=items[code],
            value_numeric=Decimal(value),
            recorded_at=moment,
            flag="N",
        )
    if roster:
        contract = group.contracts.filter(starts_on__year=on.year).first() or ContractFactory(
            group=group, name=f"{on.year}", starts_on=dt.date(on.year, 1, 1), ends_on=dt.date(on.year, 12, 31)
        )
        member_class = contract.classes.first() or ContractClassFactory(
            contract=contract, package__hospital=group.hospital
        )
        RosterMember.objects.get_or_create(
            contract=contract, patient=patient, defaults={"employee_class": member_class}
        )
    return visit


def unit(
    group: EmployerGroup, spec: list[tuple[str, int, int, int]], *, on: dt.date, people: dict | None = None
) -> dict[tuple[str, int, int], list[Any]]:
    """People per ``(sex, age, count, cases)`` row of ``spec``, examined on ``on``; returns who they are so
    a second year can examine the same people (pass ``people`` back)."""
    found: dict[tuple[str, int, int], list[Any]] = {}
    for sex, age, count, cases in spec:
        key = (sex, age, count)
        patients = (people or {}).get(key) or [
            person(group.hospital, sex=sex, age=age, on=on) for _ in range(count)
        ]
        for index, patient in enumerate(patients):
            examined(group, patient, on=on, hypertensive=index < cases)
        found[key] = patients
    return found
