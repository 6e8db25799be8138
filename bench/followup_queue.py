"""Benchmark of the follow-up call queue on PostgreSQL: the queue page and API, and concurrent claiming.

    python bench/followup_queue.py                       # 1,000,000 patients, 100,000 open calls
    python bench/followup_queue.py --patients 100000 --touchpoints 20000
    make bench BENCH_ARGS="--suite followup-queue"       # the same, through bench/run.py

It uses the registry bench database of that size (``carebridge_bench_<N>``, made by ``bench/run.py`` with
``seed_demo --seed 7`` when missing), migrates it, and adds the open calls once: ``--touchpoints`` care
plans for finished inpatient stays of the demo hospital, each with one open tiered follow-up call (tiers
A/B/C, due from ten days ago to thirty days ahead, a fifth not yet available), written server-side with
``INSERT … SELECT`` and marked ``bench:followup_queue`` so a later run finds them (and re-creates them
when the count differs). Each run first resets their claims and attempts, and vacuums the tables it
rewrote (autovacuum may be off, or late).

Then it prints p50/p95 of the queue page (``/followup/``, Django's test client, the first 50 calls) and
of the queue API (``/api/v1/followup/queue/``, token auth, the first 200), each beside the same page
written by hand in SQL and measured in the same run; and runs ``--agents`` threads (each its own
database connection) that claim with the real service (``services.queue.call_claim_next``) and record
a "no answer" (``services.calls.call_record``) as an agent would, ``--claims`` times each. It checks
that no call was claimed by two agents, and prints the throughput. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

MARK = "bench:followup_queue"
BENCH_AGENT = "bench-agent-{:02d}"


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


# --- the data --------------------------------------------------------------------------------------


def load_open_calls(touchpoints: int) -> None:
    """Add ``touchpoints`` plans with one open follow-up call each (once; re-created if the count differs)."""
    from django.db import connection, transaction

    from carebridge.core.models import Hospital

    hospital = Hospital.objects.get(code="lxq-demo")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM followup_careplan WHERE notes = %s", [MARK])
        (existing,) = cursor.fetchone()
    if existing == touchpoints:
        print(f"  {touchpoints:,} open calls already loaded")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        plans = "SELECT id FROM followup_careplan WHERE notes = %s"
        for table in ("followup_callattempt", "followup_touchpointtransition"):
            cursor.execute(
                f"DELETE FROM {table} WHERE touchpoint_id IN "
                f"(SELECT id FROM followup_touchpoint WHERE plan_id IN ({plans}))",
                [MARK],
            )
        cursor.execute(f"DELETE FROM followup_touchpoint WHERE plan_id IN ({plans})", [MARK])
        cursor.execute("DELETE FROM followup_careplantransition WHERE plan_id IN (" + plans + ")", [MARK])
        cursor.execute("DELETE FROM followup_careplan WHERE notes = %s", [MARK])
        cursor.execute(
            """
            INSERT INTO followup_careplan (hospital_id, encounter_id, patient_id, department_id, ward_id,
                status, admitted_at, discharged_at, tier, tier_reason, tier_facts, tier_assigned_at,
                medication_flags, customer_file, notes, closed_reason, created_at, updated_at)
            SELECT e.hospital_id, e.id, e.patient_id, e.department_id, e.ward_id, 'follow_up', e.started_at,
                e.ended_at, (ARRAY['A', 'B', 'C', 'C'])[1 + e.id %% 4], 'bench', '{}', e.ended_at, '[]', '{}',
                %s, '', now(), now()
            FROM patients_encounter e
            WHERE e.hospital_id = %s AND e.kind = 'inpatient' AND e.ended_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM followup_careplan p WHERE p.encounter_id = e.id)
            ORDER BY e.id
            LIMIT %s
            """,
            [MARK, hospital.pk, touchpoints],
        )
        cursor.execute(
            """
            INSERT INTO followup_touchpoint (plan_id, kind, sequence, title, owner_rule, tier, tier_rank,
                status, due_at, available_at, step, "trigger", event_description, notes, outcome, data,
                closed_reason, created_at, updated_at, hospital_id, patient_id, department_id, origin_label,
                reason, recheck_outcome)
            SELECT p.id, 'follow_up_call', 1, 'Tier ' || p.tier || ' · 1', 'call_centre', p.tier,
                CASE p.tier WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 3 END,
                CASE WHEN p.id %% 5 = 0 THEN 'in_progress' ELSE 'scheduled' END,
                now() + ((p.id %% 40) - 10) * interval '1 day' + (p.id %% 1440) * interval '1 minute',
                CASE WHEN p.id %% 5 = 1 THEN now() + interval '2 days'
                     ELSE now() - (p.id %% 72) * interval '1 hour' END,
                'phone', '', '', '', '', '{}', '', now(), now(), p.hospital_id, p.patient_id, p.department_id,
                '', '', ''
            FROM followup_careplan p WHERE p.notes = %s
            """,
            [MARK],
        )
        cursor.execute(
            "INSERT INTO followup_touchpointtransition (touchpoint_id, at, from_status, to_status, from_step,"
            " to_step, reason) SELECT t.id, now(), '', 'scheduled', '', 'phone', 'bench'"
            " FROM followup_touchpoint t JOIN followup_careplan p ON p.id = t.plan_id WHERE p.notes = %s",
            [MARK],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followup_careplan")
        cursor.execute("ANALYZE followup_touchpoint")
    print(f"  loaded {touchpoints:,} plans with an open call in {time.perf_counter() - started:.1f}s")


def reset_run() -> None:
    """Undo the previous run's claims and attempts on the bench calls, delete the bench agents' audit
    rows, and vacuum what that rewrote."""
    from django.db import connection

    with connection.cursor() as cursor:
        bench = (
            "SELECT t.id FROM followup_touchpoint t JOIN followup_careplan p ON p.id = t.plan_id"
            " WHERE p.notes = %s"
        )
        attempts = f"SELECT id FROM followup_callattempt WHERE touchpoint_id IN ({bench})"
        cursor.execute(f"DELETE FROM followup_callissue WHERE attempt_id IN ({attempts})", [MARK])
        cursor.execute(f"DELETE FROM followup_callattempt WHERE touchpoint_id IN ({bench})", [MARK])
        cursor.execute(
            "DELETE FROM followup_touchpointtransition WHERE reason <> 'bench'"
            f" AND touchpoint_id IN ({bench})",
            [MARK],
        )
        # The bench agents' audit rows (claims, attempts, moves) grew with every run (140,000 after a
        # day of runs): later runs wrote into a larger table than earlier ones.
        cursor.execute(
            "DELETE FROM core_auditevent WHERE actor_id IN (SELECT id FROM auth_user WHERE username LIKE %s)",
            [BENCH_AGENT.partition("{")[0] + "%"],  # bench-agent-%
        )
        cursor.execute(
            "UPDATE followup_touchpoint t SET claimed_by_id = NULL, claimed_until = NULL,"
            " status = CASE WHEN t.plan_id %% 5 = 0 THEN 'in_progress' ELSE 'scheduled' END,"
            " available_at = CASE WHEN t.plan_id %% 5 = 1 THEN now() + interval '2 days'"
            " ELSE now() - (t.plan_id %% 72) * interval '1 hour' END, notes = ''"
            " FROM followup_careplan p WHERE p.id = t.plan_id AND p.notes = %s",
            [MARK],
        )
        # The reset rewrites 100,000 rows: without a vacuum (autovacuum may be off, or not yet come
        # round) the next run reads past their dead versions — the queue API measured 20.0 ms against
        # 8.4 bare after three runs, 13.6 against 6.5 once vacuumed.
        for table in (
            "followup_touchpoint",
            "followup_callattempt",
            "followup_touchpointtransition",
            "core_auditevent",
        ):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def bench_agents(count: int) -> list[Any]:
    """``count`` call-centre agents of the demo hospital (created once)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from carebridge.core.models import Hospital, Staff

    User = get_user_model()
    hospital = Hospital.objects.get(code="lxq-demo")
    group = Group.objects.get(name="agent")
    agents = []
    for index in range(1, count + 1):
        user, created = User.objects.get_or_create(username=BENCH_AGENT.format(index))
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
            Staff.objects.create(hospital=hospital, user=user, name=f"坐席{index:02d}", kind="agent")
        agents.append(User.objects.get(pk=user.pk))
    return agents


def synthetic_database(base: str, patients: int, stays: int) -> str:
    """``carebridge_bench_queue_<N>``: the 2,000-patient bench demo copied (its hospital, staff, demo users)
    and topped up to ``patients`` patients with a phone each, ``stays`` of them with a finished inpatient
    stay, written server-side with ``generate_series`` in about a minute (``seed_demo`` needs 15 minutes
    or more for a million patients). For when the seeded database of that size is not there."""
    from urllib.parse import urlparse, urlunparse

    import psycopg
    import run

    template = run._database_url(base, 2000)
    run._ensure_database(template, 2000)
    parts = urlparse(base)
    name = run.db_name(f"queue_{patients}")
    url = urlunparse(parts._replace(path=f"/{name}"))
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return url
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{run.db_name("2000")}"')
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        (hospital,) = conn.execute("SELECT id FROM core_hospital WHERE code = 'lxq-demo'").fetchone()  # type: ignore[misc]
        (existing,) = conn.execute(
            "SELECT COUNT(*) FROM patients_patient WHERE hospital_id = %s", (hospital,)
        ).fetchone()  # type: ignore[misc]
        pairs = conn.execute(
            "SELECT d.id, w.id FROM core_ward w JOIN core_department d ON d.id = w.department_id"
            " WHERE d.hospital_id = %s ORDER BY w.id",
            (hospital,),
        ).fetchall()
        conn.execute(
            """
            INSERT INTO patients_patient (mrn, name, name_initials, sex, birth_date, national_id,
                address, contact_consent, contact_consent_at, survey_consent, survey_consent_at,
                created_at, updated_at, hospital_id, region_id, seen_anywhere)
            SELECT 'S' || lpad(g::text, 8, '0'),
                (ARRAY['张','王','李','赵','刘','陈','杨','黄'])[1 + g %% 8]
                    || (ARRAY['伟','芳','娜','敏','静','强','磊','洋'])[1 + (g / 8) %% 8],
                'x', CASE WHEN g %% 2 = 0 THEN 'M' ELSE 'F' END, date '1940-01-01' + g %% 29000, '', '',
                g %% 10 <> 0, now(), true, now(), now(), now(), %s, '320106', false
            FROM generate_series(1, %s) g
            """,
            (hospital, max(0, patients - existing)),
        )
        conn.execute(
            "INSERT INTO patients_patientphone (number, tail, kind, label, is_primary, patient_id)"
            " SELECT '139' || lpad(p.id::text, 8, '0'), right(lpad(p.id::text, 8, '0'), 4), 'mobile', '',"
            " true, p.id"
            " FROM patients_patient p WHERE p.mrn LIKE 'S%%'"
        )
        conn.execute(
            """
            INSERT INTO patients_encounter (kind, started_at, ended_at, critical, created_at, department_id,
                hospital_id, ward_id, patient_id)
            SELECT 'inpatient', now() - (10 + p.id %% 500) * interval '1 day',
                now() - (5 + p.id %% 500) * interval '1 day', false, now(),
                (%s::bigint[])[1 + p.id %% %s], %s, (%s::bigint[])[1 + p.id %% %s], p.id
            FROM patients_patient p WHERE p.mrn LIKE 'S%%' ORDER BY p.id LIMIT %s
            """,
            ([d for d, _w in pairs], len(pairs), hospital, [w for _d, w in pairs], len(pairs), stays),
        )
        conn.execute("ANALYZE")
    print(f"  topped up to {patients:,} patients ({stays:,} stays) in {time.perf_counter() - started:.0f}s")
    return url


# --- measuring -------------------------------------------------------------------------------------


def bare_queue(hospital_id: int, user_id: int, limit: int) -> None:
    """The baseline: the agent's first page of the queue, hand-written."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.*, p.id, pa.id, pa.name, d.name, w.name
            FROM followup_touchpoint t
            JOIN followup_careplan p ON p.id = t.plan_id
            JOIN patients_patient pa ON pa.id = p.patient_id
            JOIN core_department d ON d.id = p.department_id
            LEFT JOIN core_ward w ON w.id = p.ward_id
            WHERE p.hospital_id = %s
              AND t.status IN ('scheduled', 'in_progress')
              AND t.kind IN ('post_discharge_call', 'follow_up_call') AND t.step = 'phone'
              AND t.owner_id IS NULL
              AND pa.contact_consent AND pa.deceased_at IS NULL
              AND (t.available_at IS NULL OR t.available_at <= now())
              AND (t.claimed_by_id IS NULL OR t.claimed_until < now() OR t.claimed_by_id = %s)
            ORDER BY t.due_at, t.tier_rank, t.id
            LIMIT %s
            """,
            [hospital_id, user_id, limit],
        )
        cursor.fetchall()


def measure_pages(repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    agent = get_user_model().objects.get(username="agent")
    hospital_id = agent.staff.hospital_id
    page = Client(HTTP_HOST="localhost")
    page.force_login(agent)
    token = Token.objects.get_or_create(user=agent)[0].key
    api = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="localhost")

    def get(client: Client, path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]

    print(f"\n  call queue, p50 / p95 in ms over {repeat} runs (agent, hospital-wide)")
    print(f"  {'what':<28}{'CareBridge':>20}{'bare SQL':>20}{'ratio p50':>12}")
    for label, client, path, limit in (
        ("queue page (/followup/)", page, "/followup/", 50),
        ("queue API (200 calls)", api, "/api/v1/followup/queue/", 200),
    ):
        ours = _time(lambda c=client, p=path: get(c, p), repeat)
        base = _time(lambda n=limit: bare_queue(hospital_id, agent.pk, n), repeat)
        print(
            f"  {label:<28}{ours[0]:>9.1f} /{ours[1]:>8.1f}"
            f"{base[0]:>9.1f} /{base[1]:>8.1f}{ours[0] / base[0]:>12.2f}"
        )
        from results import record

        record("followup-queue", f"{label}, p50", _size(), ours[0], base[0], "ms")
        record("followup-queue", f"{label}, p95", _size(), ours[1], base[1], "ms")


def web_worker_database() -> dict[str, str]:
    """The database settings the production web workers run with (``gunicorn.conf.py``): server-side
    binding, so psycopg prepares what a connection repeats. Not the pool: the bench's threads each keep
    their own connection. The environment's own value wins (``DB_SERVER_SIDE_BINDING=0``)."""
    import runpy

    defaults = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["_DATABASE_DEFAULTS"]
    name = "DB_SERVER_SIDE_BINDING"
    return {} if name in os.environ else {name: defaults[name]}


def _size() -> str:
    from carebridge.followup.models import CarePlan
    from carebridge.patients.models import Patient

    calls = CarePlan.objects.filter(notes=MARK).count()
    return f"{Patient.objects.count():,} patients, {calls:,} open calls"


def measure_claims(agents: list[Any], claims: int) -> tuple[float, int, int]:
    """Agents claim and record in parallel, each thread on its own connection: the calls/s, the calls
    taken twice and the false "queue empty" answers (both must be 0)."""
    from django.db import connection

    from carebridge.followup.models import CallAttempt
    from carebridge.followup.services.calls import call_record
    from carebridge.followup.services.queue import call_claim_next

    taken: list[tuple[int, int]] = []
    warmed: list[tuple[int, int]] = []  # the untimed first calls, checked for doubles all the same
    latencies: list[float] = []
    errors: list[str] = []
    empties: list[int] = []  # for each "queue empty" answer, the claimable calls counted right after
    lock = threading.Lock()
    begun: list[float] = []
    barrier = threading.Barrier(len(agents), action=lambda: begun.append(time.perf_counter()))

    def work(agent: Any) -> None:
        try:
            # One claim and record before the clock starts, as the baseline does: the agent's connection
            # and statements are set up (a process serves an agent for a whole shift, not 25 calls).
            warm = call_claim_next(actor=agent)
            if warm is not None:
                call_record(touchpoint=warm, actor=agent, outcome="no_answer", notes="bench warm-up")
                with lock:
                    warmed.append((warm.pk, agent.pk))
            barrier.wait()
            for _ in range(claims):
                started = time.perf_counter()
                touchpoint = call_claim_next(actor=agent)
                elapsed = time.perf_counter() - started
                if touchpoint is None:
                    with lock:
                        empties.append(claimable_count(agent))
                    break
                call_record(touchpoint=touchpoint, actor=agent, outcome="no_answer", notes="bench")
                with lock:
                    taken.append((touchpoint.pk, agent.pk))
                    latencies.append(elapsed)
        except Exception as exc:  # reported, not raised: the other agents go on
            with lock:
                errors.append(f"{agent.username}: {exc!r}"[:300])
            barrier.abort()
        finally:
            connection.close()

    elapsed = _run_agents(agents, work, begun)
    per_call = Counter(pk for pk, _agent in taken + warmed)
    doubled = [pk for pk, n in per_call.items() if n > 1]
    attempts = Counter(
        CallAttempt.objects.filter(
            touchpoint_id__in=list(per_call), notes__in=["bench", "bench warm-up"]
        ).values_list("touchpoint_id", flat=True)
    )
    doubled_in_db = [pk for pk, n in attempts.items() if n > 1]
    p50, p95 = _percentiles(latencies) if latencies else (0.0, 0.0)
    print(f"\n  concurrent claiming: {len(agents)} agents × {claims} calls, each thread its own connection")
    print(
        f"  claimed and recorded {len(taken):,} calls in {elapsed:.1f}s: {len(taken) / elapsed:,.1f} calls/s"
    )
    print(f"  claim (call_claim_next) p50 / p95: {p50:.1f} / {p95:.1f} ms")
    print(
        f"  double claims: {len(doubled)} by the agents' records, {len(doubled_in_db)} by the attempts stored"
    )
    false = sum(1 for remaining in empties if remaining > 0)
    print(
        f"  'queue empty' answers: {len(empties)}, of which {false} while claimable calls remained"
        f" ({max(empties, default=0):,} at most)"
    )
    for error in errors[:5]:
        print(f"  error: {error}")
    return len(taken) / elapsed, len(doubled) + len(doubled_in_db), false


def _run_agents(agents: list[Any], work: Any, begun: list[float]) -> float:
    """One thread per agent running ``work``; the seconds from the start (the threads' barrier, passed
    once every agent has done its untimed first call) until the last thread ends."""
    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - begun[0] if begun else float("inf")  # inf: an agent failed first


def claimable_count(agent: Any) -> int:
    """Calls of the agent's queue nobody holds now (counted by hand, after a "queue empty" answer)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM followup_touchpoint t
            JOIN followup_careplan p ON p.id = t.plan_id JOIN patients_patient pa ON pa.id = p.patient_id
            WHERE p.hospital_id = %s AND t.status IN ('scheduled', 'in_progress')
              AND t.kind IN ('post_discharge_call', 'follow_up_call') AND t.step = 'phone'
              AND t.owner_id IS NULL AND pa.contact_consent AND pa.deceased_at IS NULL
              AND (t.available_at IS NULL OR t.available_at <= now())
              AND (t.claimed_by_id IS NULL OR t.claimed_until < now())
            """,
            [agent.staff.hospital_id],
        )
        return int(cursor.fetchone()[0])


def measure_bare_claims(agents: list[Any], claims: int) -> float:
    """The baseline: each agent claims with a bare ``UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED)``
    and records an attempt (an ``INSERT`` and an ``UPDATE`` moving the call two hours on), in SQL."""
    from django.db import connection, transaction

    count = [0]
    lock = threading.Lock()
    begun: list[float] = []
    barrier = threading.Barrier(len(agents), action=lambda: begun.append(time.perf_counter()))

    def claim_and_record(agent: Any) -> bool:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE followup_touchpoint SET claimed_by_id = %s, claimed_until = now()
                    + interval '15 minutes', updated_at = now()
                WHERE id = (
                    SELECT t.id FROM followup_touchpoint t
                    JOIN followup_careplan p ON p.id = t.plan_id
                    JOIN patients_patient pa ON pa.id = p.patient_id
                    WHERE p.hospital_id = %s AND t.status IN ('scheduled', 'in_progress')
                      AND t.kind IN ('post_discharge_call', 'follow_up_call') AND t.step = 'phone'
                      AND t.owner_id IS NULL AND pa.contact_consent AND pa.deceased_at IS NULL
                      AND (t.available_at IS NULL OR t.available_at <= now())
                      AND (t.claimed_by_id IS NULL OR t.claimed_until < now())
                    ORDER BY t.due_at, t.tier_rank, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED)
                RETURNING id
                """,
                [agent.pk, agent.staff.hospital_id],
            )
            row = cursor.fetchone()
        if row is None:
            return False
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO followup_callattempt (touchpoint_id, at, agent_id, channel, step,"
                " outcome, notes, answers, recording_url, duration_seconds, message_reference,"
                " created_at)"
                " VALUES (%s, now(), %s, 'phone', 'phone', 'no_answer', 'bench-bare', '{}', '', NULL,"
                " '', now())",
                [row[0], agent.pk],
            )
            cursor.execute(
                "UPDATE followup_touchpoint SET claimed_by_id = NULL, claimed_until = NULL,"
                " available_at = now() + interval '2 hours', updated_at = now() WHERE id = %s",
                [row[0]],
            )
        return True

    errors: list[str] = []

    def work(agent: Any) -> None:
        try:
            claim_and_record(agent)  # before the clock starts, as for CareBridge's agents
            barrier.wait()
            for _ in range(claims):
                if not claim_and_record(agent):
                    break
                with lock:
                    count[0] += 1
        except Exception as exc:  # reported, not raised: the other agents go on (or stop waiting)
            with lock:
                errors.append(f"{agent.username}: {exc!r}"[:300])
            barrier.abort()
        finally:
            connection.close()

    elapsed = _run_agents(agents, work, begun)
    for error in errors[:5]:
        print(f"  error: {error}")
    print(
        f"\n  bare SQL claim-and-record, {len(agents)} agents × {claims}:"
        f" {count[0]:,} calls in {elapsed:.1f}s, {count[0] / elapsed:,.1f} calls/s"
    )
    return count[0] / elapsed


def measure(  # noqa: PLR0917
    patients: int,
    touchpoints: int,
    repeat: int,
    agents: int,
    claims: int,
    claims_only: bool = False,
    rounds: int = 3,
) -> None:
    import django

    django.setup()
    load_open_calls(touchpoints)
    reset_run()
    if not claims_only:
        measure_pages(repeat)
    team = bench_agents(agents)
    # Rounds of CareBridge and the baseline in turn, which goes first swapped every round: one round of
    # 500 calls lasts about a second, and a single pair of them moved by a fifth from run to run on a
    # quiet machine.
    ours, bare, doubled, false = [], [], 0, 0
    for number in range(1, rounds + 1):
        print(f"\n  -- round {number} of {rounds}")
        for side in ("ours", "bare") if number % 2 else ("bare", "ours"):
            if side == "ours":
                rate, twice, empty = measure_claims(team, claims)
                ours.append(rate)
                doubled, false = doubled + twice, false + empty
            else:
                bare.append(measure_bare_claims(team, claims))
            reset_run()
        if bare[-1]:
            print(f"  claims/s ratio CareBridge ÷ bare SQL, round {number}: {ours[-1] / bare[-1]:.2f}")
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    ratio = f"{ours_median / bare_median:.2f}" if bare_median else "none (the bare SQL claimed nothing)"
    print(
        f"\n  claims/s, median of {rounds} rounds: CareBridge {ours_median:,.1f},"
        f" bare SQL {bare_median:,.1f}, ratio {ratio}; in all rounds, calls taken twice: {doubled},"
        f" false 'queue empty' answers: {false}"
    )
    from results import record

    size = f"{_size()}, {len(team)} agents × {claims}"
    record(
        "followup-queue", "calls taken twice", f"{size}, {rounds} rounds", doubled, None, "", baseline_name=""
    )
    record(
        "followup-queue",
        "false 'queue empty' answers",
        f"{size}, {rounds} rounds",
        false,
        None,
        "",
        baseline_name="",
    )
    record(
        "followup-queue",
        "claim-and-record calls/s",
        f"{size}, median of {rounds} rounds",
        ours_median,
        bare_median,
        "/s",
        higher_is_better=True,
    )


def _at_least_one(text: str) -> int:
    count = int(text)
    if count < 1:
        raise argparse.ArgumentTypeError("at least one round")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--claims", type=int, default=25, help="calls each agent claims")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use carebridge_bench_queue_<N>: the 2,000-patient demo topped up with SQL-generated patients",
    )
    parser.add_argument("--measure-only", action="store_true", help="internal: measure in this process")
    parser.add_argument("--claims-only", action="store_true", help="skip the page and API timings")
    parser.add_argument(
        "--rounds", type=_at_least_one, default=3, help="rounds of claims, CareBridge and bare in turn"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    if args.measure_only:
        measure(
            args.patients,
            args.touchpoints,
            args.repeat,
            args.agents,
            args.claims,
            args.claims_only,
            args.rounds,
        )
        return
    import run

    if args.synthetic:
        url = synthetic_database(base, args.patients, args.touchpoints)
    else:
        url = run._database_url(base, args.patients)
    print(f"== follow-up queue: {args.patients:,} patients, {args.touchpoints:,} open calls ({url}) ==")
    binding = {**os.environ, **web_worker_database()}.get("DB_SERVER_SIDE_BINDING")
    print(f"  server-side binding (as the web workers, gunicorn.conf.py): DB_SERVER_SIDE_BINDING={binding}")
    if not args.synthetic:
        run._ensure_database(url, args.patients)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure-only",
            *("--patients", str(args.patients), "--touchpoints", str(args.touchpoints)),
            *("--repeat", str(args.repeat), "--agents", str(args.agents), "--claims", str(args.claims)),
            *(["--claims-only"] if args.claims_only else []),
            *("--rounds", str(args.rounds)),
        ],
        check=True,
        env={**os.environ, **web_worker_database(), "DATABASE_URL": url},
    )


if __name__ == "__main__":
    main()
