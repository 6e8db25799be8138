"""The checkup centre of the demo hospital: the starter catalogue, 32 employer groups with a contract per
year, three years of visits by people who come back year after year (so their records show trends),
abnormal findings at realistic prevalence, the chief examiner's conclusions and risk levels, released
reports, and a live morning today (people in the rooms' queues for the guide board) with bookings for
the next days. Demo users ``guide_nurse`` and ``chief_examiner`` (scoped to 体检中心) are added here.

Everything is written in bulk (as the registry's demo does): the services' checks are exercised by the
tests; here the rows they would write are made directly, flags and risk levels computed by the same
domain rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from carebridge.checkup.choices import ItemKind, OrderStatus, QueueStatus, ResultFlag, VisitStatus
from carebridge.checkup.demo import (  # noqa: F401 - steps 61–64
    aftercare,
    groupreports,
    questionnaires,
    satisfaction,
)
from carebridge.checkup.demo.install import Catalogue, catalogue_install
from carebridge.checkup.demo.people import GROUPS, Person, drift, people, values_for
from carebridge.checkup.domain import ranges as ref
from carebridge.checkup.domain.rules import (
    AdviceRuleSpec,
    Condition,
    Fact,
    assess_risk,
    prescriptions_of,
    suggest_findings,
)
from carebridge.checkup.models import (
    AdviceRule,
    ContractClass,
    EmployerGroup,
    GroupContract,
    Item,
    OrderedItem,
    QueueEntry,
    ReportRelease,
    Result,
    RiskRule,
    RoomSignoff,
    RosterMember,
    Visit,
    VisitFinding,
    VisitTransition,
)
from carebridge.checkup.services.registry import CHECKUP_ICD10, CHECKUP_ICD10_NAME
from carebridge.checkup.services.review import risk_rules_of
from carebridge.core.demo.behind import WriteBehind
from carebridge.core.demo.bulk import bulk_insert, copy_rows, insert_rows, next_ids
from carebridge.core.demo.steps import DemoContext, demo_password, register_step
from carebridge.core.models import Department, Hospital, Staff
from carebridge.patients.models import Diagnosis, Encounter, Patient
from carebridge.patients.services.departments import patient_departments_sync

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEARS = 3
BATCH = 2000
TODAY_PEOPLE = 36
RECENT_PEOPLE = 24
BOOKED_AHEAD_DAYS = 5
# Demo users of the centre: username = role; the checkup_staff user comes with the organisation.
CENTRE_USERS = {"guide_nurse": ("nurse", "主管护师"), "chief_examiner": ("doctor", "主任医师")}
ADDON_CHANCES = {"X-TUMOUR": 0.2, "X-CARDIO": 0.1, "X-THYROID": 0.1}


@dataclass
class OrderRow:
    """An ordered item as a plain row (the demo writes these in bulk SQL: model instances cost too much)."""

    item: Item
    package_id: int
    status: str = OrderStatus.ORDERED
    performed_at: dt.datetime | None = None


@dataclass
class ResultRow:
    order: OrderRow
    value_numeric: Decimal | None
    value_text: str
    entered: str
    ref_low: Decimal | None
    ref_high: Decimal | None
    ref_text: str
    flag: str
    at: dt.datetime

    @property
    def item(self) -> Item:
        return self.order.item


# The queue's and the room sign-offs' rows are plain tuples of these (after the visit's key).
QUEUE_FIELDS = ("room_id", "status", "joined_at", "started_at", "finished_at", "joined_by_id")
SIGNOFF_FIELDS = ("room_id", "signed_by_id", "signed_at")


@dataclass
class Draft:
    """One visit and the rows that come with it, before they are written."""

    visit: Visit
    orders: list[OrderRow]
    results: list[ResultRow] = field(default_factory=list)
    queue: list[tuple[Any, ...]] = field(default_factory=list)  # QUEUE_FIELDS but the visit's key
    signoffs: list[tuple[Any, ...]] = field(default_factory=list)  # SIGNOFF_FIELDS but the visit's key
    findings: list[VisitFinding] = field(default_factory=list)
    transitions: list[VisitTransition] = field(default_factory=list)
    releases: list[ReportRelease] = field(default_factory=list)
    encounter: Encounter | None = None


@dataclass
class Rows:
    """Everything one batch of visits writes."""

    visits: list[Visit] = field(default_factory=list)
    orders: list[list[OrderRow]] = field(default_factory=list)
    results: list[list[ResultRow]] = field(default_factory=list)
    queue: list[list[tuple[Any, ...]]] = field(default_factory=list)
    signoffs: list[list[tuple[Any, ...]]] = field(default_factory=list)
    findings: list[list[VisitFinding]] = field(default_factory=list)
    transitions: list[list[VisitTransition]] = field(default_factory=list)
    releases: list[list[ReportRelease]] = field(default_factory=list)
    encounters: list[Encounter | None] = field(default_factory=list)
    members: list[RosterMember | None] = field(default_factory=list)

    def add(self, draft: Draft) -> None:
        self.visits.append(draft.visit)
        self.orders.append(draft.orders)
        self.results.append(draft.results)
        self.queue.append(draft.queue)
        self.signoffs.append(draft.signoffs)
        self.findings.append(draft.findings)
        self.transitions.append(draft.transitions)
        self.releases.append(draft.releases)
        self.encounters.append(draft.encounter)


class CentreDemo:
    def __init__(
        self, context: DemoContext, hospital: Hospital, centre: Department, catalogue: Catalogue
    ) -> None:
        self.context = context
        self.rng = random.Random(context.seed + 60)  # noqa: S311 - deterministic demo data
        self.hospital, self.centre, self.catalogue = hospital, centre, catalogue
        self.users = _centre_users(hospital, centre, context)
        self.examiner = self.users["chief_examiner"]
        self.staff_user = get_user_model().objects.filter(username="checkup_staff").first() or self.examiner
        self.items = {
            item.code: item
            for item in Item.objects.filter(hospital=hospital)
            .select_related("room")
            .prefetch_related("ranges", "coded_values")
        }
        self.ranges = {
            code: [
                ref.Range(r.sex, r.age_min, r.age_max, r.low, r.high, r.normal_grade, r.text)
                for r in item.ranges.all()
            ]
            for code, item in self.items.items()
        }
        self.abnormal_codes = {
            code: {c.code for c in item.coded_values.all() if c.is_abnormal}
            for code, item in self.items.items()
        }
        self.labels = {
            code: {c.code: c.label for c in item.coded_values.all()} for code, item in self.items.items()
        }
        self.package_codes = {
            code: [i.code for i in package.items.all()] for code, package in catalogue.packages.items()
        }
        ruleset = catalogue.ruleset
        self.risk_rules = risk_rules_of(ruleset) if ruleset else []
        self.rule_rows = (
            {rule.pk: rule for rule in RiskRule.objects.filter(ruleset=ruleset)} if ruleset else {}
        )
        self.advice = [
            AdviceRuleSpec(
                rule_id=rule.pk,
                finding=rule.finding,
                conclusion=rule.conclusion,
                advice=rule.advice,
                prescriptions=tuple(rule.prescriptions),
                condition=Condition(rule.item_id, rule.operator, rule.threshold, tuple(rule.codes)),
            )
            for rule in AdviceRule.objects.filter(hospital=hospital, is_active=True).order_by(
                "sequence", "id"
            )
        ]
        self.serials: dict[dt.date, int] = defaultdict(int)

    # --- people and groups ------------------------------------------------------------------------

    def groups(
        self, first_year: int
    ) -> tuple[list[EmployerGroup], dict[tuple[int, int], dict[str, ContractClass]]]:
        groups = EmployerGroup.objects.bulk_create(
            EmployerGroup(
                hospital=self.hospital,
                department=self.centre,
                code=f"G{index + 1:03d}",
                name=name,
                occupation_class=occupation,
                channel=channel,
                contact_name=f"{name[:1]}老师",
                contact_phone=f"139{self.rng.randrange(10**8):08d}",
            )
            for index, (name, occupation, channel) in enumerate(GROUPS)
        )
        classes: dict[tuple[int, int], dict[str, ContractClass]] = {}
        packages = self.catalogue.packages
        for year in range(first_year, first_year + YEARS):
            contracts = GroupContract.objects.bulk_create(
                GroupContract(
                    group=group,
                    name=f"{year}年度职工体检",
                    starts_on=dt.date(year, 1, 1),
                    ends_on=dt.date(year, 12, 31),
                )
                for group in groups
            )
            rows = []
            for contract in contracts:
                discount = Decimal(self.rng.choice(("0.85", "0.9", "0.95")))
                for code, label in (
                    ("M-U40", "男职工（40岁以下）"),
                    ("M-40", "男职工（40岁及以上）"),
                    ("F-U40", "女职工（40岁以下）"),
                    ("F-40", "女职工（40岁及以上）"),
                ):
                    package = packages[code]
                    rows.append(
                        ContractClass(
                            contract=contract,
                            name=label,
                            sex=package.sex,
                            package=package,
                            price=(package.price * discount).quantize(Decimal("1")),
                        )
                    )
            created = ContractClass.objects.bulk_create(rows)
            for row in created:
                group_index = groups.index(next(g for g in groups if g.pk == row.contract.group_id))
                classes.setdefault((group_index, year), {})[row.package.code] = row
        return groups, classes

    def customers(self, *, count: int, as_of: dt.date) -> list[Patient]:
        """Adults of the registry who come for checkups (a deterministic sample)."""
        adults = list(
            Patient.objects.filter(
                hospital=self.hospital,
                merged_into__isnull=True,
                deceased_at__isnull=True,
                birth_date__lte=as_of.replace(year=as_of.year - 22),
                birth_date__gte=as_of.replace(year=as_of.year - 85),
                sex__in=("M", "F"),
            )
            .prefetch_related("phones")
            .order_by("id")
        )
        return sorted(self.rng.sample(adults, min(count, len(adults))), key=lambda patient: patient.pk)

    # --- one visit ----------------------------------------------------------------------------------

    def package_code(self, person: Person, day: dt.date) -> str:
        age = ref.age_on(person.birth_date, day) or 40
        return f"{person.sex}-{'40' if age >= 40 else 'U40'}"

    def _moment(self, day: dt.date, minutes: float) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=SHANGHAI) + dt.timedelta(
            minutes=minutes
        )

    def visit(
        self,
        rows: Rows,
        *,
        person: Person,
        patient: Patient,
        day: dt.date,
        stage: str,
        contract_class: ContractClass | None,
        group: EmployerGroup | None,
        now: dt.datetime,
    ) -> None:
        """One visit at ``stage`` (booked, live, examined, signed, released), added to ``rows``."""
        rng = self.rng
        package_code = contract_class.package.code if contract_class else self.package_code(person, day)
        addons = [
            code for code, chance in ADDON_CHANCES.items() if contract_class is None and rng.random() < chance
        ]
        codes: list[str] = []
        for code in (*self.package_codes[package_code], *(c for a in addons for c in self.package_codes[a])):
            if code not in codes and self.items[code].sex in ("any", person.sex):
                codes.append(code)
        self.serials[day] += 1
        number = f"TJ{day:%Y%m%d}{self.serials[day]:04d}"
        booked_at = self._moment(day - dt.timedelta(days=rng.randint(3, 30)), rng.uniform(60, 540))
        package = self.catalogue.packages[package_code]
        price = (
            contract_class.price
            if contract_class
            else package.price + sum((self.catalogue.packages[a].price for a in addons), Decimal(0))
        )
        draft = Draft(
            visit=Visit(
                hospital=self.hospital,
                department=self.centre,
                patient=patient,
                number=number,
                scheduled_for=day,
                channel=group.channel if group else "individual",
                occupation_class=person.occupation,
                group=group,
                contract_class=contract_class,
                package=package,
                price=price,
                booked_at=booked_at,
                created_by=self.staff_user,
                status=VisitStatus.BOOKED,
            ),
            orders=[],
        )
        draft.orders = [OrderRow(item=self.items[c], package_id=package.pk) for c in codes]
        draft.transitions.append(
            VisitTransition(
                visit=draft.visit, at=booked_at, actor=self.staff_user, to_status=VisitStatus.BOOKED
            )
        )
        if stage != "booked":
            self._day(draft, person=person, patient=patient, stage=stage, now=now)
        if stage in ("signed", "released"):
            examined_at = draft.visit.examined_at or now
            signed_at = min(
                self._moment(
                    day + dt.timedelta(days=rng.choice((1, 1, 2, 2, 3, 4, 6))), rng.uniform(60, 480)
                ),
                now,
            )
            self._sign(draft, examined_at=examined_at, signed_at=signed_at)
        if stage == "released":
            self._release(draft, person=person, now=now)
        rows.add(draft)

    def _day(self, draft: Draft, *, person: Person, patient: Patient, stage: str, now: dt.datetime) -> None:
        """Check-in, the rooms walked (fasting first), the results, leaving the centre."""
        rng, visit = self.rng, draft.visit
        checked_in = self._moment(
            visit.scheduled_for, rng.uniform(5, 70) if stage == "live" else rng.uniform(10, 150)
        )
        visit.checked_in_at, visit.status = checked_in, VisitStatus.CHECKED_IN
        visit.arrived_fasting = rng.random() < 0.95
        draft.transitions.append(
            VisitTransition(
                visit=visit,
                at=checked_in,
                actor=self.staff_user,
                from_status="booked",
                to_status="checked_in",
            )
        )
        draft.encounter = Encounter(
            hospital=self.hospital,
            patient=patient,
            kind="checkup",
            department=self.centre,
            started_at=checked_in,
            source_key=f"checkup-visit:{self.hospital.pk}:{visit.number}",
        )
        rooms = sorted(
            {order.item.room for order in draft.orders}, key=lambda room: (room.code != "BLD", room.sequence)
        )
        done_rooms, clock = self._walk(draft, rooms=rooms, start=checked_in, live=stage == "live", now=now)
        examined_at = clock + dt.timedelta(minutes=rng.uniform(5, 20))
        values = values_for(person, {order.item.code for order in draft.orders}, rng)
        for order in draft.orders:
            item = order.item
            if item.room_id not in done_rooms:
                continue
            order.performed_at = clock
            if (stage == "live" and item.room.code in ("BLD", "SMP")) or item.code not in values:
                continue  # the laboratory has not reported yet
            draft.results.append(
                self._result(
                    order, values[item.code], person=person, day=visit.scheduled_for, at=min(examined_at, now)
                )
            )
            order.status = OrderStatus.RESULTED
        if stage != "live":
            visit.status, visit.examined_at = VisitStatus.EXAMINED, examined_at
            draft.transitions.append(
                VisitTransition(
                    visit=visit,
                    at=examined_at,
                    actor=self.staff_user,
                    from_status="checked_in",
                    to_status="examined",
                )
            )
            draft.encounter.ended_at = examined_at
            draft.signoffs = [(room.pk, self.staff_user.pk, examined_at) for room in rooms]

    def _walk(
        self, draft: Draft, *, rooms: list[Any], start: dt.datetime, live: bool, now: dt.datetime
    ) -> tuple[set[int], dt.datetime]:
        """The queue entries of the rooms walked; a live visit stops in a queue (waiting or inside)."""
        rng, clock, done = self.rng, start, set()
        stop = rng.randrange(0, len(rooms) + 1) if live else len(rooms)
        for position, room in enumerate(rooms):
            joined = clock + dt.timedelta(minutes=rng.uniform(1, 4))
            started = joined + dt.timedelta(
                minutes=max(rng.gauss(room.service_minutes * 1.5, room.service_minutes), 0.5)
            )
            finished = started + dt.timedelta(minutes=max(rng.gauss(room.service_minutes, 1), 1))
            if position == stop:  # where the person is right now
                inside = rng.random() < 0.3
                draft.queue.append(
                    (
                        room.pk,
                        QueueStatus.IN_SERVICE if inside else QueueStatus.WAITING,
                        min(joined, now),
                        min(started, now) if inside else None,
                        None,
                        self.staff_user.pk,
                    )
                )
                break
            draft.queue.append((room.pk, QueueStatus.DONE, joined, started, finished, self.staff_user.pk))
            done.add(room.pk)
            clock = finished
            if room.code == "BLD" and not live:
                draft.visit.meal_at = finished + dt.timedelta(minutes=10)
        return done, clock

    def _result(
        self, order: OrderRow, value: str, *, person: Person, day: dt.date, at: dt.datetime
    ) -> ResultRow:
        item = order.item
        reference = ref.pick_range(
            self.ranges[item.code], sex=person.sex, age=ref.age_on(person.birth_date, day)
        )
        numeric, text, flag = None, "", str(ResultFlag.NORMAL)
        if item.kind == ItemKind.NUMERIC:
            numeric = Decimal(value).quantize(Decimal("0.0001"))
            flag = ref.flag_numeric(numeric, reference)
        elif item.kind == ItemKind.GRADE:
            text, flag = value, ref.flag_grade(value, reference)
        elif item.kind == ItemKind.POSNEG:
            text, flag = value, ref.flag_posneg(value)
        elif item.kind == ItemKind.CODED:
            text, flag = value, ref.flag_coded(value, list(self.abnormal_codes[item.code]))
        else:
            text = value
        return ResultRow(
            order=order,
            value_numeric=numeric,
            value_text=text,
            entered=value,
            ref_low=reference.low if reference else None,
            ref_high=reference.high if reference else None,
            ref_text=reference.display(item.decimals) if reference else "",
            flag=flag,
            at=at,
        )

    def _display(self, result: ResultRow) -> str:
        if result.value_numeric is not None:
            return f"{result.value_numeric:.{result.item.decimals}f} {result.item.unit}".strip()
        return self.labels[result.item.code].get(result.value_text, result.value_text)

    def _sign(self, draft: Draft, *, examined_at: dt.datetime, signed_at: dt.datetime) -> None:
        """The chief examiner's conclusion from the advice library and the risk level by the rules."""
        visit = draft.visit
        facts = [
            Fact(i, r.item.pk, r.item.name, r.flag, r.value_numeric, r.value_text, self._display(r))
            for i, r in enumerate(draft.results)
        ]
        assessment = assess_risk(self.risk_rules, facts)
        suggestions = suggest_findings(self.advice, facts)
        draft.findings = [
            VisitFinding(
                visit=visit,
                sequence=position,
                finding=s.finding,
                conclusion=f"{s.conclusion}（{s.evidence}）",
                advice=s.advice,
                rule_id=s.rule_id,
            )
            for position, s in enumerate(suggestions, start=1)
        ]
        seen = self.rng.random() < 0.92
        visit.status = VisitStatus.SIGNED
        visit.examiner = self.examiner
        visit.examiner_saw_at = examined_at - dt.timedelta(minutes=self.rng.uniform(5, 30)) if seen else None
        visit.unseen_reason = "" if seen else "受检者已离院，结果经电话沟通确认"
        visit.signed_at = signed_at
        visit.summary = (
            "；".join(s.finding for s in suggestions) + "。" if suggestions else "本次体检未见明显异常。"
        )
        visit.prescriptions = prescriptions_of(suggestions)
        visit.risk_level = visit.risk_level_computed = assessment.level
        visit.risk_rule_id = assessment.rule_id
        visit.risk_ruleset = self.catalogue.ruleset
        visit.risk_matches = [
            {
                "rule": m.rule_id,
                "level": m.level,
                "name": m.rule_name,
                "item": m.item_name,
                "value": m.display,
                "source": self.rule_rows[m.rule_id].get_source_display(),
                "citation": self.rule_rows[m.rule_id].citation,
            }
            for m in assessment.matches
        ]
        draft.transitions.append(
            VisitTransition(
                visit=visit,
                at=signed_at,
                actor=self.examiner,
                from_status="examined",
                to_status="signed",
                reason=visit.unseen_reason,
            )
        )

    def _release(self, draft: Draft, *, person: Person, now: dt.datetime) -> None:
        visit, rng = draft.visit, self.rng
        signed_at: dt.datetime = visit.signed_at or now
        released_at: dt.datetime = min(signed_at + dt.timedelta(hours=rng.uniform(1, 40)), now)
        visit.status, visit.released_at = VisitStatus.RELEASED, released_at
        draft.transitions.append(
            VisitTransition(
                visit=visit, at=released_at, actor=self.examiner, from_status="signed", to_status="released"
            )
        )
        opened = released_at + dt.timedelta(hours=rng.uniform(0.2, 30)) if rng.random() < 0.8 else None
        draft.releases.append(
            ReportRelease(
                visit=visit,
                token=f"demo-{visit.number}-{rng.getrandbits(64):016x}",
                released_at=released_at,
                released_by=self.examiner,
                expires_at=released_at + dt.timedelta(days=30),
                opened_at=opened if opened and opened < now else None,
                sent_to=person.phone,
            )
        )

    # --- writing -------------------------------------------------------------------------------------

    @transaction.atomic
    def write(self, rows: Rows) -> int:
        if not rows.visits:
            return 0
        encounters = bulk_insert(e for e in rows.encounters if e is not None)
        patient_departments_sync(patient_ids={e.patient_id for e in encounters})
        bulk_insert(
            Diagnosis(
                encounter=e,
                code=CHECKUP_ICD10,
                name=CHECKUP_ICD10_NAME,
                category="Z00",
                chapter=21,
                is_primary=True,
            )
            for e in encounters
        )
        for visit, encounter in zip(rows.visits, rows.encounters, strict=True):
            visit.encounter = encounter
        bulk_insert(rows.visits)
        for model, fields, groups in (
            (QueueEntry, QUEUE_FIELDS, rows.queue),
            (RoomSignoff, SIGNOFF_FIELDS, rows.signoffs),
        ):
            insert_rows(
                model,
                ("visit_id", *fields),
                ((visit.pk, *row) for visit, group in zip(rows.visits, groups, strict=True) for row in group),
            )
        for name in ("transitions", "findings", "releases"):
            groups = getattr(rows, name)
            bulk_insert(
                row for visit, group in zip(rows.visits, groups, strict=True) for row in _bind(group, visit)
            )
        self._write_orders_and_results(rows)
        members = [m for m in rows.members if m is not None]
        RosterMember.objects.bulk_create(members, batch_size=BATCH, ignore_conflicts=True)
        return len(rows.visits)

    def _write_orders_and_results(self, rows: Rows) -> None:
        """The two largest tables in plain SQL (``COPY`` on PostgreSQL, else ``executemany``), values adapted
        as the ORM would."""
        ops = connection.ops
        when = ops.adapt_datetimefield_value
        order_table, result_table = OrderedItem._meta.db_table, Result._meta.db_table
        order_params = [
            (visit.pk, o.item.pk, o.package_id, Decimal(0), o.status, when(o.performed_at), "", None, None)
            for visit, orders in zip(rows.visits, rows.orders, strict=True)
            for o in orders
        ]
        order_columns = (
            "visit_id",
            "item_id",
            "package_id",
            "price",
            "status",
            "performed_at",
            "waived_reason",
            "waived_by_id",
            "waived_at",
        )
        ids: dict[tuple[int, int], int] = {}
        if connection.vendor == "postgresql":
            # COPY with keys taken from the sequence: no read-back of the ids (issue 18 item 6).
            keys = next_ids(order_table, len(order_params))
            for key, params in zip(keys, order_params, strict=True):
                ids[(params[0], params[1])] = key
            copy_rows(
                order_table,
                ("id", *order_columns),
                ((k, *p) for k, p in zip(keys, order_params, strict=True)),
            )
        else:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {order_table} ({', '.join(order_columns)}) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    order_params,
                )
                visit_ids = [visit.pk for visit in rows.visits]
                for start in range(0, len(visit_ids), 500):
                    chunk = visit_ids[start : start + 500]
                    cursor.execute(
                        f"SELECT id, visit_id, item_id FROM {order_table} WHERE visit_id IN "  # noqa: S608
                        f"({', '.join(['%s'] * len(chunk))})",
                        chunk,
                    )
                    ids.update({(visit_id, item_id): pk for pk, visit_id, item_id in cursor.fetchall()})
        result_params = [
            (
                visit.pk,
                ids[(visit.pk, r.item.pk)],
                r.item.pk,
                r.value_numeric,
                r.value_text,
                r.item.unit,
                r.entered,
                r.item.unit,
                r.ref_low,
                r.ref_high,
                r.ref_text,
                r.flag,
                "",
                r.item.room_id,
                "room",
                None,
                self.staff_user.pk,
                when(r.at),
            )
            for visit, results in zip(rows.visits, rows.results, strict=True)
            for r in results
        ]
        result_columns = (
            "visit_id",
            "order_id",
            "item_id",
            "value_numeric",
            "value_text",
            "unit",
            "entered_value",
            "entered_unit",
            "ref_low",
            "ref_high",
            "ref_text",
            "flag",
            "comment",
            "room_id",
            "source",
            "source_key",
            "recorded_by_id",
            "recorded_at",
        )
        if connection.vendor == "postgresql":
            copy_rows(result_table, result_columns, result_params)
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {result_table} ({', '.join(result_columns)}) VALUES "  # noqa: S608
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                result_params,
            )


def _phone(patient: Patient) -> str:
    phones = sorted(patient.phones.all(), key=lambda phone: (not phone.is_primary, phone.pk))
    return phones[0].number if phones else ""


def _bind(group: list[Any], visit: Visit) -> list[Any]:
    for row in group:
        row.visit = visit
    return group


def _centre_users(hospital: Hospital, centre: Department, context: DemoContext) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    names = {"guide_nurse": "顾晓燕", "chief_examiner": "何建明"}
    for username, (kind, title) in CENTRE_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, password=demo_password())
            user.groups.add(Group.objects.get(name=username))
            staff = Staff.objects.create(
                hospital=hospital,
                user=user,
                name=names[username],
                kind=kind,
                title=title,
                home_department=centre,
            )
            staff.departments.set([centre])
        users[username] = user
    return users


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@dataclass
class Calendar:
    """When each person comes: their group's days (or any working day), today for the live morning,
    one of the last working days for those waiting for the chief examiner."""

    as_of: dt.date
    today: set[int]
    recent: set[int]
    recent_days: list[dt.date]
    days: dict[int, list[dt.date]] = field(default_factory=dict)
    group_days: dict[tuple[int, int], list[dt.date]] = field(default_factory=dict)

    def plan(self, person: Person, year: int, rng: random.Random) -> tuple[dt.date, str] | None:
        """``(day, stage)`` of the person's visit in ``year``, or ``None`` when it is not in the demo."""
        this_year = year == self.as_of.year
        if this_year and person.index in self.today:
            return self.as_of, "live"
        if this_year and person.index in self.recent and self.recent_days:
            return rng.choice(self.recent_days), rng.choice(("examined", "examined", "signed"))
        days = self.group_days[(year, person.group)] if person.group is not None else self.days[year]
        day = rng.choice(days)
        if day >= self.as_of:
            return (day, "booked") if (day - self.as_of).days <= BOOKED_AHEAD_DAYS else None
        recent = (self.as_of - day).days <= 6
        return day, rng.choice(("examined", "signed", "released")) if recent else "released"


@register_step(60, "checkup centre: catalogue, 32 groups, three years of visits, a live morning")
def seed_checkup(context: DemoContext) -> None:
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    centre = departments["CHKP"]
    as_of = context.as_of
    first_year = as_of.year - (YEARS - 1)
    demo = CentreDemo(
        context,
        hospital,
        centre,
        catalogue_install(department=centre, effective_from=dt.date(first_year, 1, 1)),
    )
    rng = demo.rng
    groups, classes = demo.groups(first_year)
    customers = demo.customers(count=max(40, context.patients // 5), as_of=as_of)
    bases = [(c.sex, c.birth_date or as_of, _phone(c)) for c in customers]
    persons = people(bases=bases, seed=context.seed + 61, first_year=first_year, years=YEARS)
    patients = {person.index: customer for person, customer in zip(persons, customers, strict=True)}
    chosen = rng.sample(range(len(persons)), min(TODAY_PEOPLE + RECENT_PEOPLE, len(persons)))
    calendar = Calendar(
        as_of=as_of,
        today=set(chosen[:TODAY_PEOPLE]),
        recent=set(chosen[TODAY_PEOPLE:]),
        recent_days=_working_days(as_of - dt.timedelta(days=8), as_of - dt.timedelta(days=1))[-5:],
    )
    for year in range(first_year, first_year + YEARS):
        calendar.days[year] = _working_days(dt.date(year, 1, 3), dt.date(year, 12, 28))
        for index in range(len(groups)):
            calendar.group_days[(year, index)] = rng.sample(calendar.days[year], 3)
    now = dt.datetime(as_of.year, as_of.month, as_of.day, 9, 30, tzinfo=SHANGHAI)
    total, rows = 0, Rows()
    # Each batch is written while the next one is made (``WriteBehind``): nothing below reads the database.
    with WriteBehind() as behind:
        for year in range(first_year, first_year + YEARS):
            for person in persons:
                if year < person.first_year or (year > person.first_year and rng.random() > person.returns):
                    continue
                if year > first_year:
                    drift(person, rng)
                planned = calendar.plan(person, year, rng)
                if planned is None:
                    continue
                day, stage = planned
                group, contract_class = None, None
                if person.group is not None:
                    group = groups[person.group]
                    contract_class = classes[(person.group, year)][demo.package_code(person, day)]
                demo.visit(
                    rows,
                    person=person,
                    patient=patients[person.index],
                    day=day,
                    stage=stage,
                    contract_class=contract_class,
                    group=group,
                    now=now,
                )
                if contract_class is not None:
                    rows.members.append(
                        RosterMember(
                            contract_id=contract_class.contract_id,
                            patient=patients[person.index],
                            employee_class=contract_class,
                        )
                    )
                if len(rows.visits) >= 400:
                    total += len(rows.visits)
                    behind(demo.write, rows)
                    rows = Rows()
        total += len(rows.visits)
        behind(demo.write, rows)
    context.log(f"checkup: {len(persons)} customers, {len(groups)} groups, {total} visits over {YEARS} years")


@register_step(
    64, "checkup centre: group reports — findings, reference data, four employers of different mixes"
)
def seed_group_report_employers(context: DemoContext) -> None:
    groupreports.seed_group_reports(
        context, centre_demo=CentreDemo, rows=Rows, phone=_phone, working_days=_working_days
    )
