"""Demo step: a year of critical-result notifications for the demo checkup centre.

The seed's rule set is installed, every result of the last year is judged by the same matching code as
``services.detection``, and each visit with matches gets one notification with the history the services
would have written: attempts by the centre's staff (most class-A results read back within minutes,
class B within hours; some no-answer and redial first), read-backs, a few escalations, rechecks a few
weeks later (confirmed or not, giving each rule's PPV), three recent notifications still open and overdue
and one signed off as unable to reach after the whole ladder. Rows are written with ``bulk_create`` (the
checkup step wrote the results that way too, so no event fired); deterministic with ``context.rng``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import CodedValue, Item, Result
from carebridge.core.demo.steps import DemoContext, register_check, register_step
from carebridge.core.models import Department
from carebridge.critical.choices import (
    CHECKUP_LADDER,
    EscalationKind,
    LadderStep,
    NotificationStatus,
    Outcome,
    RecheckOutcome,
    Severity,
)
from carebridge.critical.domain.matching import ResultFacts, matching, worst
from carebridge.critical.models import (
    Attempt,
    Escalation,
    Finding,
    Notification,
    NotificationTransition,
    Recheck,
    Rule,
)
from carebridge.critical.services.detection import rule_specs
from carebridge.critical.services.rules import policy_for, rule_set_install_defaults

# Share of rechecks that confirm the finding, by rule (the demo's PPV; invented for the demo only).
CONFIRMS = {"TM-HIGH": 0.25, "IMG-MALIGN": 0.35, "TCT-MALIGN": 0.5, "FOBT": 0.3, "FPG-HIGH": 0.8}
OVERDUE_OPEN = 3


@register_check("critical notifications")
def demo_loaded() -> bool:
    return Notification.objects.exists()


def at_of(value: dt.datetime | None) -> dt.datetime:
    assert value is not None  # noqa: S101 - a closed notification has its closing time
    return value


class History:
    """The attempts and transitions of one notification, as the services would have written them."""

    def __init__(self, notification: Notification, rng: random.Random, staff: list[Any]) -> None:
        self.n, self.rng, self.staff = notification, rng, staff
        self.attempts: list[Attempt] = []
        self.transitions: list[NotificationTransition] = []
        self.status: str = NotificationStatus.NEW

    def move(self, to: str, at: dt.datetime, actor: Any, reason: str = "") -> None:
        self.transitions.append(
            NotificationTransition(
                notification=self.n, at=at, actor=actor, from_status=self.status, to_status=to, reason=reason
            )
        )
        self.status = to

    def attempt(self, at: dt.datetime, by: Any, step: str, outcome: str, **fields: Any) -> None:
        number = fields.pop("number", "139" + f"{self.rng.randrange(10**8):08d}")
        self.attempts.append(
            Attempt(notification=self.n, at=at, by=by, step=step, outcome=outcome, number=number, **fields)
        )
        if self.n.first_attempt_at is None:
            self.n.first_attempt_at = at
        self.n.ladder_step = step
        if self.status == NotificationStatus.NEW and outcome != Outcome.READ_BACK:
            self.move(NotificationStatus.IN_PROGRESS, at, by)


def _advice(findings: list[Finding], rules: dict[int, Rule]) -> str:
    return "；".join(dict.fromkeys(rules[f.rule_id].advice for f in findings))


def _play(
    history: History, findings: list[Finding], rules: dict[int, Rule], *, unreachable: bool, supervisor: Any
) -> None:
    n, rng = history.n, history.rng
    worker = rng.choice(history.staff)
    class_a = n.severity == Severity.A
    # Minutes to the first attempt: class A mostly within its 15, class B within the working day.
    first = (
        rng.choice([3, 5, 6, 8, 10, 12, 14, 18, 25])
        if class_a
        else rng.choice([20, 45, 90, 180, 300, 600, 1500])
    )
    at = n.detected_at + dt.timedelta(minutes=first)
    names = {"王", "李", "张", "刘", "陈"}
    if unreachable:
        for step in [s for s in CHECKUP_LADDER if s != LadderStep.EMPLOYER or n.visit.group_id]:
            outcome: str = {
                LadderStep.PERSON: Outcome.NO_ANSWER,
                LadderStep.EMERGENCY_CONTACT: Outcome.WRONG_NUMBER,
                LadderStep.EMPLOYER: Outcome.NO_ANSWER,
                LadderStep.HOME_VISIT: Outcome.LETTER_SENT,
            }[LadderStep(step)]
            history.attempt(
                at,
                worker,
                step,
                outcome,
                number="" if step == LadderStep.HOME_VISIT else "13800000000",
            )
            at += dt.timedelta(hours=rng.choice([2, 4, 20]))
        n.signed_off_by = supervisor
        n.closed_at = at
        history.move(
            NotificationStatus.UNREACHABLE, at, supervisor, "多次电话未接通，紧急联系人号码错误，已寄挂号信"
        )
        return
    redials = 0 if rng.random() < 0.75 else rng.choice([1, 1, 2])
    for _ in range(redials):
        history.attempt(
            at,
            worker,
            LadderStep.PERSON,
            rng.choice([Outcome.NO_ANSWER, Outcome.NO_ANSWER, Outcome.REACHED]),
            advice=_advice(findings, rules),
        )
        at += dt.timedelta(minutes=rng.choice([10, 20, 40]) if class_a else rng.choice([60, 180, 1200]))
    answered = n.patient.name + "本人" if rng.random() < 0.85 else rng.choice(sorted(names)) + "女士（家属）"
    items = "；".join(f"{rules[f.rule_id].name.split(' ')[0]} {f.value}" for f in findings)
    history.attempt(
        at,
        worker,
        LadderStep.PERSON if "本人" in answered else LadderStep.EMERGENCY_CONTACT,
        Outcome.READ_BACK,
        answered_by=answered,
        read_back=items,
        advice=_advice(findings, rules),
    )
    n.read_back_at, n.read_back_by, n.read_back_to, n.closed_at = at, worker, answered, at
    history.move(NotificationStatus.READ_BACK, at, worker)


@register_step(70, "critical results: a year of notifications, attempts and rechecks")
def seed_critical(context: DemoContext) -> None:
    rng = context.rng
    User = get_user_model()
    staff = list(User.objects.filter(username__in=["checkup_staff"]).order_by("id"))
    supervisor = User.objects.filter(username="chief_examiner").first()
    total = 0
    for centre in Department.objects.filter(checkup_rooms__isnull=False).distinct().order_by("id"):
        total += _centre(centre, context, rng, staff, supervisor)
    context.log(f"critical: {total} notifications over a year")


def _matches(
    centre: Department, context: DemoContext, specs: list[Any]
) -> tuple[dict[int, list[tuple[Result, Any]]], dict[int, Any]]:
    """Every (result, rule) match of the centre's last year, per visit."""
    hospital = centre.hospital
    coded: dict[int, list[str]] = defaultdict(list)
    for item_id, code in (
        CodedValue.objects.filter(item__hospital=hospital)
        .order_by("item_id", "sequence", "id")
        .values_list("item_id", "code")
    ):
        coded[item_id].append(code)
    coded_order = {key: tuple(value) for key, value in coded.items()}
    items = {
        pk: (code, category) for pk, code, category in Item.objects.values_list("id", "code", "category")
    }
    since = context.as_of - dt.timedelta(days=365)
    # Every result of the year as plain values (at 100,000 patients some 600,000; as model instances,
    # each with its visit and patient, they were most of this step), then the few that match in full.
    rows = (
        Result.objects.filter(
            visit__department=centre, visit__scheduled_for__gt=since, visit__scheduled_for__lte=context.as_of
        )
        .order_by("recorded_at", "id")
        .values_list(
            "id",
            "visit_id",
            "item_id",
            "value_numeric",
            "value_text",
            "ref_high",
            "visit__patient__sex",
            "visit__patient__birth_date",
            "visit__scheduled_for",
        )
    )
    found: list[tuple[int, int, Any]] = []
    for pk, visit_id, item_id, numeric, text, ref_high, sex, born, day in rows.iterator(chunk_size=5000):
        code, category = items[item_id]
        facts = ResultFacts(
            item_id=item_id,
            item_code=code,
            category=category,
            value_numeric=numeric,
            value_text=text,
            ref_high=ref_high,
            sex=sex,
            age=age_on(born, day),
            coded_order=coded_order.get(item_id, ()),
        )
        found += [(visit_id, pk, spec) for spec in matching(specs, facts)]
    results: dict[int, Result] = {}
    keys = sorted({pk for _, pk, _ in found})
    for start in range(0, len(keys), 1000):
        chunk = Result.objects.filter(pk__in=keys[start : start + 1000]).select_related(
            "visit__patient", "item"
        )
        results.update((result.pk, result) for result in chunk)
    per_visit: dict[int, list[tuple[Result, Any]]] = defaultdict(list)
    visits: dict[int, Any] = {}
    for visit_id, pk, spec in found:
        per_visit[visit_id].append((results[pk], spec))
        visits[visit_id] = results[pk].visit
    return per_visit, visits


@transaction.atomic
def _centre(
    centre: Department, context: DemoContext, rng: random.Random, staff: list[Any], supervisor: Any
) -> int:
    hospital = centre.hospital
    rule_set = rule_set_install_defaults(hospital=hospital)
    rules = {rule.pk: rule for rule in Rule.objects.filter(rule_set=rule_set, is_active=True)}
    specs = rule_specs(sorted(rules.values(), key=lambda r: (r.sequence, r.pk)))
    per_visit, visits = _matches(centre, context, specs)
    if not per_visit:
        return 0
    policies = {s: policy_for(hospital=hospital, severity=s) for s in (Severity.A, Severity.B)}
    ordered = sorted(per_visit, key=lambda vid: (min(r.recorded_at for r, _ in per_visit[vid]), vid))
    # The newest stay open (past their targets by now), one older one went the whole ladder.
    newest = ordered[-min(OVERDUE_OPEN, max(len(ordered) - 1, 0)) :] if len(ordered) > 1 else []
    unreachable_pick = ordered[(len(ordered) - len(newest)) // 2] if len(ordered) > len(newest) + 1 else None
    notifications, plans = [], []
    for visit_id in ordered:
        visit = visits[visit_id]
        matches = per_visit[visit_id]
        detected = max(r.recorded_at for r, _ in matches)
        severity = worst(spec.severity for _, spec in matches)
        policy = policies[Severity(severity)]
        notification = Notification(
            hospital=hospital,
            department=centre,
            patient=visit.patient,
            visit=visit,
            rule_set=rule_set,
            severity=severity,
            detected_at=detected,
            first_attempt_due=detected + dt.timedelta(minutes=policy.first_attempt_minutes),
            read_back_due=detected + dt.timedelta(minutes=policy.read_back_minutes),
        )
        notifications.append(notification)
        plans.append((notification, matches, visit_id in newest, visit_id == unreachable_pick))
    findings, attempts, transitions, escalations, rechecks = [], [], [], [], []
    for notification, matches, still_open, unreachable in plans:
        mine = [
            Finding(
                notification=notification,
                result=result,
                rule_id=spec.rule_id,
                severity=spec.severity,
                value=result.display_value[:128],
                reference=result.ref_text,
                detected_at=result.recorded_at,
            )
            for result, spec in matches
        ]
        findings += mine
        history = History(notification, rng, staff or [supervisor])
        history.transitions.append(
            NotificationTransition(
                notification=notification,
                at=notification.detected_at,
                from_status="",
                to_status=NotificationStatus.NEW,
                reason="、".join(dict.fromkeys(rules[f.rule_id].name for f in mine)),
            )
        )
        if still_open:
            escalations.append(
                Escalation(
                    notification=notification,
                    kind=EscalationKind.FIRST_ATTEMPT,
                    at=notification.first_attempt_due + dt.timedelta(minutes=1),
                    supervisor=supervisor,
                )
            )
        else:
            _play(history, mine, rules, unreachable=unreachable, supervisor=supervisor)
            for kind, due, done in (
                (EscalationKind.FIRST_ATTEMPT, notification.first_attempt_due, notification.first_attempt_at),
                (EscalationKind.READ_BACK, notification.read_back_due, notification.closed_at),
            ):
                if done is not None and done > due:
                    escalations.append(
                        Escalation(
                            notification=notification,
                            kind=kind,
                            at=due + dt.timedelta(minutes=1),
                            supervisor=supervisor,
                        )
                    )
            if history.status == NotificationStatus.READ_BACK and rng.random() < 0.7:
                confirm = max(CONFIRMS.get(rules[f.rule_id].code, 0.6) for f in mine)
                roll = rng.random()
                outcome = (
                    RecheckOutcome.NOT_SEEN
                    if roll < 0.1
                    else RecheckOutcome.CONFIRMED
                    if roll < 0.1 + 0.9 * confirm
                    else RecheckOutcome.NOT_CONFIRMED
                )
                rechecks.append(
                    Recheck(
                        notification=notification,
                        outcome=outcome,
                        recorded_at=at_of(notification.closed_at)
                        + dt.timedelta(days=rng.choice([7, 10, 14, 21])),
                    )
                )
        notification.status = history.status
        attempts += history.attempts
        transitions += history.transitions
    # Written once their histories are played (the rows below point at the instances; no key is needed
    # before): an update of every notification afterwards was a seventh of this step.
    Notification.objects.bulk_create(notifications, batch_size=500)
    Finding.objects.bulk_create(findings, batch_size=1000)
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    NotificationTransition.objects.bulk_create(transitions, batch_size=1000)
    Escalation.objects.bulk_create(escalations, batch_size=500)
    Recheck.objects.bulk_create(rechecks, batch_size=500)
    return len(notifications)
