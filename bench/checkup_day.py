"""Benchmark of a checkup centre's day on PostgreSQL: the next-room suggestion and the guide nurse's board.

    python bench/checkup_day.py                        # 2,000 visits × 60 items
    python bench/checkup_day.py --visits 1000 --repeat 50
    make bench BENCH_ARGS="--suite checkup-day"         # the same, through bench/run.py

It uses a database of its own (``carebridge_bench_checkup``, created and migrated when missing) and loads
the day once (again when ``--visits`` changes): the starter catalogue plus ten extra laboratory items (60
items per visit), ``--visits`` customers booked for today; at mid-morning 60% have left (every item done
and resulted), 30% are in the centre (half their items done, one open queue entry each, spread over the
rooms) and 10% have not arrived. Orders, results and queue entries are written with ``executemany``.

Then it prints p50/p95 of

* the next-room suggestion of one person in the centre (``selectors.flow.next_room``: the queue loads,
  the person's undone items, the preparation rules), beside the same choice written by hand in SQL (one
  statement: room loads, the person's undone rooms with a fasting flag, fasting rooms first, then the
  shortest expected wait);
* the guide nurse's board (``selectors.flow.board``: every room's queue and wait, everybody in the centre
  with their undone items and suggestion) and its htmx panel page (``/checkup/board/panel/``), beside
  the board's data written by hand in SQL (room loads; people with their current room and undone items
  aggregated) — the hand-written SQL computes no suggestion, which the selector does in Python.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from results import db_name  # noqa: E402

DATABASE = db_name("checkup")
EXTRA_ITEMS = 10
MARK = "bench:checkup_day"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(function: Any, repeat: int) -> tuple[float, float]:
    function()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


# --- the day -------------------------------------------------------------------------------------------


def load_day(visits: int) -> Any:
    """The centre and today's visits (once; re-created when the count differs). Returns the centre."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from carebridge.checkup.demo.install import catalogue_install
    from carebridge.checkup.models import Item, Visit
    from carebridge.core.models import Department, Hospital, Region, Staff
    from carebridge.patients.models import Patient

    today = timezone.localdate()
    hospital = Hospital.objects.filter(code="bench-checkup").first()
    if hospital is not None:
        existing = Visit.objects.filter(hospital=hospital, scheduled_for=today).count()
        if existing == visits:
            print(f"  {visits:,} visits of today already loaded")
            return Department.objects.get(hospital=hospital, code="CHKP")
        with connection.cursor() as cursor:  # start again (another size, or another day)
            for table in (
                "checkup_result",
                "checkup_queueentry",
                "checkup_ordereditem",
                "checkup_visittransition",
            ):
                cursor.execute(
                    f"DELETE FROM {table} WHERE visit_id IN "
                    "(SELECT id FROM checkup_visit WHERE hospital_id = %s)",
                    [hospital.pk],
                )
            cursor.execute("DELETE FROM checkup_visit WHERE hospital_id = %s", [hospital.pk])
            cursor.execute(
                "DELETE FROM patients_patientphone WHERE patient_id IN "
                "(SELECT id FROM patients_patient WHERE hospital_id = %s)",
                [hospital.pk],
            )
            cursor.execute("DELETE FROM patients_patient WHERE hospital_id = %s", [hospital.pk])
    started = time.perf_counter()
    with transaction.atomic():
        if hospital is None:
            hospital = Hospital.objects.create(
                code="bench-checkup", name="基准医院", level="3A", region=Region.objects.get(code="320106")
            )
            centre = Department.objects.create(
                hospital=hospital, code="CHKP", name="体检中心", kind="medical_technical"
            )
            catalogue_install(department=centre)
            blood = centre.checkup_rooms.get(code="BLD")
            for index in range(EXTRA_ITEMS):
                Item.objects.create(
                    hospital=hospital,
                    code=f"LAB{index:02d}",
                    name=f"检验项目{index + 1}",
                    kind="numeric",
                    category="liver",
                    unit="U/L",
                    room=blood,
                    price=10,
                    sequence=900 + index,
                )
            nurse = get_user_model().objects.create_user(username="bench-guide-nurse", password=None)
            nurse.groups.add(Group.objects.get(name="guide_nurse"))
            Staff.objects.create(hospital=hospital, user=nurse, name="导检", kind="nurse").departments.set(
                [centre]
            )
        centre = Department.objects.get(hospital=hospital, code="CHKP")
        Patient.objects.bulk_create(
            Patient(
                hospital=hospital,
                mrn=f"B{index:09d}",
                name=f"受检者{index}",
                sex="MF"[index % 2],
                birth_date=dt.date(1960 + index % 40, 1 + index % 12, 1 + index % 28),
            )
            for index in range(visits)
        )
        _visits(centre, today, visits)
    with connection.cursor() as cursor:
        for table in ("checkup_visit", "checkup_ordereditem", "checkup_result", "checkup_queueentry"):
            cursor.execute(f"ANALYZE {table}")
    print(f"  loaded {visits:,} visits × 60 items in {time.perf_counter() - started:.1f}s")
    return centre


def _visits(centre: Any, today: dt.date, count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from carebridge.checkup.models import Item, Room, Visit
    from carebridge.patients.models import Patient

    items = [
        i
        for i in Item.objects.filter(hospital_id=centre.hospital_id)
        .select_related("room")
        .order_by("sequence")
        if i.sex in ("any", "M")
    ][:60]
    rooms = list(Room.objects.filter(department=centre).order_by("sequence"))
    patients = list(Patient.objects.filter(hospital_id=centre.hospital_id).order_by("id"))
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0)))
    visits = Visit.objects.bulk_create(
        Visit(
            hospital_id=centre.hospital_id,
            department=centre,
            patient=patient,
            number=f"BJ{today:%Y%m%d}{index:05d}",
            scheduled_for=today,
            booked_at=start - dt.timedelta(days=7),
            status=("examined", "checked_in", "booked")[0 if index % 10 < 6 else 1 if index % 10 < 9 else 2],
            checked_in_at=start + dt.timedelta(seconds=index * 7) if index % 10 < 9 else None,
            arrived_fasting=True,
        )
        for index, patient in enumerate(patients[:count])
    )
    when = connection.ops.adapt_datetimefield_value
    orders, queue = [], []
    for index, visit in enumerate(visits):
        state = visit.status
        for position, item in enumerate(items):
            done = state == "examined" or (state == "checked_in" and position < 30)
            performed = when(visit.checked_in_at + dt.timedelta(minutes=position)) if done else None
            orders.append(
                (visit.pk, item.pk, None, 0, "resulted" if done else "ordered", performed, "", None, None)
            )
        if state == "checked_in":
            room = rooms[index % len(rooms)]
            queue.append(
                (
                    visit.pk,
                    room.pk,
                    "waiting" if index % 3 else "in_service",
                    when(visit.checked_in_at + dt.timedelta(minutes=40)),
                    None,
                    None,
                    MARK,
                    None,
                )
            )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO checkup_ordereditem (visit_id, item_id, package_id, price, status, performed_at, "
            "waived_reason, waived_by_id, waived_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            orders,
        )
        cursor.execute(
            "INSERT INTO checkup_result (visit_id, order_id, item_id, value_numeric, value_text, unit, "
            "entered_value, entered_unit, ref_text, flag, comment, source, recorded_at) "
            "SELECT o.visit_id, o.id, o.item_id, 5.0, '', i.unit, '5.0', i.unit, '', 'N', '', 'room', "
            "o.performed_at "
            "FROM checkup_ordereditem o JOIN checkup_item i ON i.id = o.item_id "
            "JOIN checkup_visit v ON v.id = o.visit_id WHERE v.department_id = %s AND o.status = 'resulted'",
            [centre.pk],
        )
        cursor.executemany(
            "INSERT INTO checkup_queueentry (visit_id, room_id, status, joined_at, started_at, finished_at, "
            "note, joined_by_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            queue,
        )


# --- the measurements ---------------------------------------------------------------------------------

NEXT_ROOM_SQL = """
WITH loads AS (
    SELECT r.id, r.name, r.sequence, r.stations, r.service_minutes, COUNT(q.id) AS ahead
    FROM checkup_room r
    LEFT JOIN checkup_queueentry q
        ON q.room_id = r.id AND q.status IN ('waiting', 'in_service') AND q.joined_at >= %(since)s
    WHERE r.department_id = %(centre)s AND r.is_active
    GROUP BY r.id
), current AS (
    SELECT room_id FROM checkup_queueentry WHERE visit_id = %(visit)s AND status IN ('waiting', 'in_service')
), pending AS (
    SELECT i.room_id, bool_or(i.preparations::jsonb ? 'fasting') AS fasting
    FROM checkup_ordereditem o JOIN checkup_item i ON i.id = o.item_id
    WHERE o.visit_id = %(visit)s AND o.status = 'ordered' AND o.performed_at IS NULL
    GROUP BY i.room_id
)
SELECT l.id, l.name, CEIL(l.ahead::numeric / GREATEST(l.stations, 1)) * l.service_minutes AS wait
FROM loads l JOIN pending p ON p.room_id = l.id
WHERE l.id NOT IN (SELECT room_id FROM current)
ORDER BY (%(fasting)s AND NOT p.fasting), wait, l.sequence, l.id
LIMIT 1
"""

BOARD_LOADS_SQL = """
SELECT r.id, r.name, r.stations, r.service_minutes,
       COUNT(q.id) FILTER (WHERE q.status = 'waiting') AS waiting,
       COUNT(q.id) FILTER (WHERE q.status = 'in_service') AS inside
FROM checkup_room r
LEFT JOIN checkup_queueentry q
    ON q.room_id = r.id AND q.status IN ('waiting', 'in_service') AND q.joined_at >= %(since)s
WHERE r.department_id = %(centre)s AND r.is_active
GROUP BY r.id ORDER BY r.sequence, r.id
"""

BOARD_PEOPLE_SQL = """
SELECT v.id, v.number, p.name, v.meal_at, cur.room_id, cur.status,
       (SELECT string_agg(i.name, '、' ORDER BY i.sequence)
        FROM checkup_ordereditem o JOIN checkup_item i ON i.id = o.item_id
        WHERE o.visit_id = v.id AND o.status = 'ordered' AND o.performed_at IS NULL) AS undone
FROM checkup_visit v
JOIN patients_patient p ON p.id = v.patient_id
LEFT JOIN checkup_queueentry cur ON cur.visit_id = v.id AND cur.status IN ('waiting', 'in_service')
WHERE v.department_id = %(centre)s AND v.status = 'checked_in' AND v.scheduled_for = %(today)s
ORDER BY v.checked_in_at, v.id
"""


def measure(visits: int, repeat: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from carebridge.checkup.models import Visit
    from carebridge.checkup.selectors.flow import board, next_room

    centre = load_day(visits)
    nurse = get_user_model().objects.get(username="bench-guide-nurse")
    today = timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    inside = list(Visit.objects.filter(department=centre, status="checked_in").order_by("id"))
    samples = inside[:: max(1, len(inside) // repeat)][:repeat] or inside
    print(f"\n  a day of {visits:,} visits × 60 items, {len(inside):,} people in the centre; p50 / p95 in ms")
    print(f"  {'':<34}{'CareBridge':>20}{'bare SQL':>20}{'ratio p50':>12}")

    cycle = iter(range(10**9))

    def ours_next() -> None:
        next_room(visit=samples[next(cycle) % len(samples)])

    def sql_next() -> None:
        visit = samples[next(cycle) % len(samples)]
        with connection.cursor() as cursor:
            cursor.execute(
                NEXT_ROOM_SQL,
                {
                    "since": since,
                    "centre": centre.pk,
                    "visit": visit.pk,
                    "fasting": visit.arrived_fasting and visit.meal_at is None,
                },
            )
            cursor.fetchall()

    def ours_board() -> None:
        board(user=nurse, department_id=centre.pk)

    def sql_board() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BOARD_LOADS_SQL, {"since": since, "centre": centre.pk})
            cursor.fetchall()
            cursor.execute(BOARD_PEOPLE_SQL, {"centre": centre.pk, "today": today})
            cursor.fetchall()

    client = Client(HTTP_HOST="localhost")
    client.force_login(nurse)

    def ours_panel() -> None:
        response = client.get(f"/checkup/board/panel/?centre={centre.pk}")
        assert response.status_code == 200

    for label, ours, base, times in (
        ("next-room suggestion (one person)", ours_next, sql_next, repeat),
        ("guide board (selector)", ours_board, sql_board, max(5, repeat // 5)),
        ("guide board (htmx panel page)", ours_panel, sql_board, max(5, repeat // 5)),
    ):
        mine, bare = _time(ours, times), _time(base, times)
        print(
            f"  {label:<34}{mine[0]:>9.1f} /{mine[1]:>8.1f}"
            f"{bare[0]:>9.1f} /{bare[1]:>8.1f}{mine[0] / bare[0]:>12.2f}"
        )
        from results import record

        record("checkup-day", f"{label}, p50", f"{visits:,} visits × 60 items", mine[0], bare[0], "ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--measure-only", action="store_true", help="internal: measure in this process")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    if args.measure_only:
        measure(args.visits, args.repeat)
        return
    url = urlunparse(urlparse(base)._replace(path=f"/{DATABASE}"))
    print(f"== checkup centre day ({url}) ==")
    _ensure_database(url)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure-only",
            "--visits",
            str(args.visits),
            "--repeat",
            str(args.repeat),
        ],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


if __name__ == "__main__":
    main()
