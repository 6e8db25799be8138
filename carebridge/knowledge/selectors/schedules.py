"""The weekly clinic grid (出诊表) of a department."""

from __future__ import annotations

from dataclasses import dataclass

from carebridge.core.models import Department
from carebridge.core.types import Actor
from carebridge.knowledge.choices import HalfDay, Weekday
from carebridge.knowledge.models import ClinicSession, Doctor
from carebridge.knowledge.selectors.entries import doctor_list


@dataclass(frozen=True)
class ScheduleRow:
    doctor: Doctor
    # One cell per (weekday, morning/afternoon), Monday morning first; a full-day session fills both.
    cells: list[ClinicSession | None]


SCHEDULE_COLUMNS: list[tuple[int, str]] = [
    (day, half) for day in Weekday.values for half in (HalfDay.MORNING, HalfDay.AFTERNOON)
]


def department_schedule(*, user: Actor, department: Department) -> list[ScheduleRow]:
    """The weekly clinic grid (出诊表) of a department: its active doctors × weekday half-days."""
    rows = []
    for doctor in doctor_list(user=user).filter(department=department, is_active=True).order_by("name", "id"):
        by_slot: dict[tuple[int, str], ClinicSession] = {}
        for session in doctor.sessions.all():
            halves = (
                (HalfDay.MORNING, HalfDay.AFTERNOON)
                if session.half_day == HalfDay.FULL_DAY
                else (session.half_day,)
            )
            for half in halves:
                by_slot[(session.weekday, half)] = session
        rows.append(ScheduleRow(doctor, [by_slot.get(column) for column in SCHEDULE_COLUMNS]))
    return rows
