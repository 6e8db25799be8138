"""Benchmark of the HL7 v2 intake on PostgreSQL: ORU^R01 over MLLP, end to end to committed results.

    python bench/interop_mllp.py                    # 300 visits, one ORU^R01 each (~20 OBX)
    python bench/interop_mllp.py --visits 100
    make bench BENCH_ARGS="--suite interop-mllp"

It uses a database of its own (``carebridge_bench_interop``, created and migrated when missing, emptied of
the bench's rows at each run): the starter catalogue, a LIS registered as a sender, ``--visits`` customers
checked in for the M-40 package. ``mllp_serve`` runs as a separate process on port 2601; one sender
sends every message on one connection and waits for each ACK (as LIS senders do).

Printed:

* messages/s and p50/p99 message → ACK (AA after commit) through the listener, beside bare
  ``hl7.parse`` of the same messages measured in the same run (the baseline: parsing alone);
* result → notification: a second set of visits whose ORU carries a critical value (Hb 70 g/L, a
  class-A rule of the seed's list); the critical-result rules run inside the filing transaction, so the
  AA (after commit) is the moment the notification exists — p50/p99 message → AA for these messages,
  and the run asserts one notification per message;
* the crash run: a third set of visits; the listener is killed with SIGKILL mid-stream, restarted, and
  the sender re-sends everything it has no ACK for, then re-sends every message once more; every message
  must be filed exactly once (inbound rows = messages, results = OBX segments). This one is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
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

DATABASE = db_name("interop")
PORT = 2601


def _database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    return urlunparse(urlparse(base)._replace(path=f"/{DATABASE}"))


def _ensure_database(url: str) -> None:
    import psycopg

    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))
    ] * 1000


def setup(visits: int, tag: str, *, critical: bool = False) -> list[tuple[bytes, int]]:
    """Visits checked in through the centre's services; one ORU^R01 per visit (with its OBX count).
    ``critical``: every message carries Hb 70 g/L and otherwise values inside the reference ranges."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from carebridge.checkup.choices import ItemKind
    from carebridge.checkup.demo.install import catalogue_install
    from carebridge.checkup.models import Item
    from carebridge.checkup.tests.factories import CustomerFactory
    from carebridge.checkup.tests.support.people import checked_in
    from carebridge.core.models import Department, Hospital, Region
    from carebridge.core.tests.factories import make_persona
    from carebridge.interop.models import Sender
    from carebridge.interop.services.setup import sender_register, system_account_create

    hospital = Hospital.objects.filter(code="bench-interop").first()
    if hospital is None:
        region = Region.objects.filter(code="320106").first() or Region.objects.first()
        hospital = Hospital.objects.create(code="bench-interop", name="Bench", level="3A", region=region)
        centre = Department.objects.create(
            hospital=hospital, code="CHKP", name="体检中心", kind="medical_technical"
        )
        catalogue_install(department=centre)
        make_persona("bench-staff", "checkup_staff", hospital, departments=[centre])
        account = system_account_create(hospital=hospital, username="bench-lis")
        sender_register(
            hospital=hospital, facility="BENCH-LIS", name="LIS", account=account, mrn_system="urn:x"
        )
    assert Sender.objects.filter(facility="BENCH-LIS").exists()
    centre = Department.objects.get(hospital=hospital, code="CHKP")
    staff = get_user_model().objects.get(username="bench-staff")

    package = hospital.checkup_packages.get(code="M-40")
    rng = random.Random(7)
    messages = []
    now = timezone.localtime()
    for n in range(visits):
        person = CustomerFactory(hospital=hospital, mrn=f"{tag}{n:06d}")
        visit = checked_in(centre=centre, actor=staff, patient=person, package=package, day=now.date())
        segments = [
            f"MSH|^~\\&|LIS|BENCH-LIS|CB|CB|{now:%Y%m%d%H%M%S}||ORU^R01^ORU_R01|{tag}{n:06d}|P|2.5"
            "||||||UNICODE UTF-8",
            f"PID|1||{visit.patient.mrn}^^^B^MR||{visit.patient.name}",
            "|".join(["PV1", "1", "O"] + [""] * 16 + [visit.number]),
            f"OBR|1|{visit.number}||LAB",
        ]
        orders = visit.orders.filter(item__kind=ItemKind.NUMERIC).select_related("item").order_by("id")
        count = 0
        for order in orders:
            item: Item = order.item
            count += 1
            value = round(rng.uniform(1, 9), 2)
            if critical:
                value = 70 if item.code == "HGB" else _inside(item)
            segments.append(f"OBX|{count}|NM|{item.code}^{item.name}^L||{value}|{item.unit}|||||F")
        messages.append((("\r".join(segments) + "\r").encode(), count))
    return messages


def _inside(item: Any) -> float:
    """A value inside the item's widest reference range (so only the planted Hb is critical)."""
    ranges = [(r.low, r.high) for r in item.ranges.all() if r.low is not None and r.high is not None]
    if not ranges:
        return 1.0
    low, high = ranges[0]
    return round(float(low + high) / 2, 2)


def _listener(url: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "mllp_serve", "--port", str(PORT)],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.readline()  # "MLLP listener on ..."
    return process


async def _send_all(messages: list[bytes], *, kill: Any = None) -> tuple[list[float], int]:
    """Send each message and wait for its ACK; reconnect and re-send what has no ACK. Latencies, retries."""
    import hl7.mllp

    latencies: list[float] = []
    retries = 0
    pending = list(range(len(messages)))
    reader = writer = None
    while pending:
        index = pending[0]
        try:
            if writer is None:
                reader, writer = await hl7.mllp.open_hl7_connection("127.0.0.1", PORT)
            started = time.perf_counter()
            writer.writeblock(messages[index])
            await writer.drain()
            if kill is not None:
                kill(index)
            ack = await asyncio.wait_for(reader.readblock(), 60)  # type: ignore[union-attr]
            if b"MSA|AA|" not in ack:
                raise RuntimeError(f"no AA for message {index}: {ack[:200]!r}")
            latencies.append(time.perf_counter() - started)
            pending.pop(0)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            retries += 1
            writer = None
            await asyncio.sleep(0.2)
    if writer is not None:
        writer.close()
    return latencies, retries


def run(visits: int) -> None:
    url = _database_url()
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    import django

    django.setup()
    import hl7

    from carebridge.checkup.models import Result
    from carebridge.interop.models import InboundMessage

    tag = f"B{int(time.time())}"
    print(f"== ORU^R01 over MLLP, {visits} visits ({url}) ==")
    started = time.perf_counter()
    batch = setup(visits, tag + "A")
    print(f"set-up: {visits} visits checked in in {time.perf_counter() - started:.1f} s")
    raw = [m for m, _count in batch]
    observations = sum(count for _m, count in batch)

    parse = []
    for message in raw:
        t = time.perf_counter()
        hl7.parse(message.decode())
        parse.append(time.perf_counter() - t)
    p50, p99 = _percentiles(parse)
    print(f"baseline hl7.parse: {len(raw) / sum(parse):,.0f} messages/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    listener = _listener(url)
    try:
        t = time.perf_counter()
        latencies, _retries = asyncio.run(_send_all(raw))
        elapsed = time.perf_counter() - t
    finally:
        listener.terminate()
        listener.wait()
    p50, p99 = _percentiles(latencies)
    print(
        f"intake (message → AA after commit): {len(raw) / elapsed:,.1f} messages/s "
        f"({observations / elapsed:,.0f} results/s), p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    from results import record

    parsed = len(raw) / sum(parse)
    record(
        "interop-mllp",
        "messages/s to AA",
        f"{visits} ORU^R01",
        len(raw) / elapsed,
        parsed,
        "/s",
        higher_is_better=True,
        baseline_name="hl7.parse",
    )
    filed = Result.objects.filter(source_key__startswith=f"hl7:BENCH-LIS:{tag}A").count()
    assert filed == observations, (filed, observations)

    from carebridge.critical.models import Notification

    alarms = setup(visits, tag + "N", critical=True)
    raw = [m for m, _count in alarms]
    listener = _listener(url)
    try:
        latencies, _retries = asyncio.run(_send_all(raw))
    finally:
        listener.terminate()
        listener.wait()
    p50, p99 = _percentiles(latencies)
    made = Notification.objects.filter(patient__mrn__startswith=tag + "N").count()
    print(
        f"result → notification (a critical Hb over MLLP → AA with its notification committed): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; notifications {made} of {len(raw)} messages"
    )
    assert made == len(raw), "a critical result was filed without its notification"

    crash = setup(visits, tag + "K")
    raw = [m for m, _count in crash]
    observations = sum(count for _m, count in crash)
    box: dict[str, Any] = {"listener": _listener(url), "killed": False}
    victim = len(raw) // 3

    def kill(index: int) -> None:
        if index == victim and not box["killed"]:
            time.sleep(0.005)  # mid-stream: the message is being filed
            box["listener"].send_signal(signal.SIGKILL)
            box["listener"].wait()
            box["killed"] = True
            box["listener"] = _listener(url)

    try:
        _latencies, retries = asyncio.run(_send_all(raw, kill=kill))
        _again, _none = asyncio.run(_send_all(raw))  # the whole stream once more: all duplicates
    finally:
        box["listener"].terminate()
        box["listener"].wait()
    rows = InboundMessage.objects.filter(source="BENCH-LIS", control_id__startswith=tag + "K")
    filed = Result.objects.filter(source_key__startswith=f"hl7:BENCH-LIS:{tag}K").count()
    print(
        f"SIGKILL at message {victim}: {retries} re-send(s) after the kill, then every message re-sent; "
        f"inbound rows {rows.count()} of {len(raw)}, accepted {rows.filter(status='accepted').count()}, "
        f"results {filed} of {observations} OBX"
    )
    assert rows.count() == len(raw) and filed == observations, "a message was lost or filed twice"
    print("every message filed exactly once")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=300)
    args = parser.parse_args()
    run(args.visits)


if __name__ == "__main__":
    main()
