"""Detection in the same transaction (危急值识别): every filed result is judged by the rule set in force;
a match creates the person's notification for the visit, or adds to the open one (several matches of a
visit are one notification listing them all). A corrected result is judged again and the notification
says so: a finding that no longer matches is withdrawn, a new one is added.

Called from ``hooks.py`` by checkup's ``result_recorded`` event, which is sent inside ``result_record``'s
transaction: results from the room, HL7, FHIR and CSV all pass through it, and a failure anywhere rolls
back the result and its notification together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import CodedValue, Result
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.critical.choices import (
    NOTIFICATION_TRANSITIONS,
    OPEN_STATUSES,
    NotificationStatus,
    RulePopulation,
    Severity,
)
from carebridge.critical.domain.matching import ResultFacts, RuleSpec, matching, worst
from carebridge.critical.models import Finding, Notification, NotificationTransition, Rule
from carebridge.critical.services.rules import policy_for, rule_set_in_force
from carebridge.patients.choices import EncounterKind

LIFECYCLE: Lifecycle[Notification] = Lifecycle(
    record=NotificationTransition,
    subject="notification",
    moves=NOTIFICATION_TRANSITIONS,
    choices=NotificationStatus,
)


def rule_specs(rules: Any) -> list[RuleSpec]:
    return [
        RuleSpec(
            rule_id=rule.pk,
            code=rule.code,
            severity=rule.severity,
            operator=rule.operator,
            item_id=rule.item_id,
            category=rule.category,
            threshold=rule.threshold,
            grade=rule.grade,
            codes=tuple(rule.codes or ()),
            sex=rule.sex,
            age_min=rule.age_min,
            age_max=rule.age_max,
        )
        for rule in rules
    ]


def facts_of(result: Result) -> ResultFacts:
    visit, item = result.visit, result.item
    coded: tuple[str, ...] = ()
    if item.kind == "coded":
        coded = tuple(
            CodedValue.objects.filter(item=item).order_by("sequence", "id").values_list("code", flat=True)
        )
    return ResultFacts(
        item_id=item.pk,
        item_code=item.code,
        category=item.category,
        value_numeric=result.value_numeric,
        value_text=result.value_text,
        ref_high=result.ref_high,
        sex=visit.patient.sex,
        age=age_on(visit.patient.birth_date, visit.scheduled_for),
        coded_order=coded,
    )


def _limits(notification: Notification) -> None:
    policy = policy_for(hospital=notification.hospital, severity=notification.severity)
    start = notification.detected_at
    notification.first_attempt_due = start + dt.timedelta(minutes=policy.first_attempt_minutes)
    notification.read_back_due = start + dt.timedelta(minutes=policy.read_back_minutes)


def _open_notification(result: Result) -> Notification | None:
    return (
        Notification.objects.select_for_update()
        .filter(visit_id=result.visit_id, status__in=OPEN_STATUSES)
        .order_by("-detected_at", "-id")
        .first()
    )


@transaction.atomic
def result_evaluate(*, result: Result, created: bool, actor: Any = None) -> Notification | None:
    """Judge ``result``; return the notification it created or changed, or ``None``."""
    visit = result.visit
    encounter = visit.encounter
    clinical = encounter is not None and encounter.kind != EncounterKind.CHECKUP
    rule_set = rule_set_in_force(
        hospital=visit.hospital,
        day=result.recorded_at.date(),
        population=RulePopulation.CLINICAL if clinical else RulePopulation.CHECKUP,
    )
    if rule_set is None:
        return None
    rules = list(Rule.objects.filter(rule_set=rule_set, is_active=True).order_by("sequence", "id"))
    hits = matching(rule_specs(rules), facts_of(result))
    hit_ids = {spec.rule_id for spec in hits}
    changed: Notification | None = None
    correction_note = ""
    if not created:
        changed, correction_note = _reconsider(result, hit_ids)
    if not hits:
        return changed
    by_id = {rule.pk: rule for rule in rules}
    notification = _open_notification(result)
    now = result.recorded_at
    if notification is None:
        notification = _reopen_withdrawn(result) if not created else None
    if notification is None:
        notification = Notification(
            hospital=visit.hospital,
            department=visit.department,
            patient=visit.patient,
            visit=visit,
            rule_set=rule_set,
            severity=worst(spec.severity for spec in hits),
            detected_at=now,
            corrected=not created,
        )
        _limits(notification)
        notification.save()
        transition_record(
            lifecycle=LIFECYCLE,
            obj=notification,
            from_status="",
            to_status=NotificationStatus.NEW,
            actor=actor,
            at=now,
            reason=", ".join(by_id[spec.rule_id].name for spec in hits),
        )
        audit_record(
            actor=actor,
            action="critical.notification.create",
            obj=notification,
            summary=f"{visit.number} {notification.severity}",
        )
    elif notification.severity != Severity.A and worst(spec.severity for spec in hits) == Severity.A:
        # A class-A finding joins a class-B notification: the tighter limits run from now.
        notification.severity = Severity.A
        notification.detected_at = now
        _limits(notification)
        notification.save(update_fields=["severity", "detected_at", "first_attempt_due", "read_back_due"])
    for spec in hits:
        Finding.objects.update_or_create(
            notification=notification,
            result=result,
            rule_id=spec.rule_id,
            defaults={
                "severity": spec.severity,
                "value": result.display_value[:128],
                "reference": result.ref_text,
                "detected_at": now,
                "is_current": True,
                "note": correction_note,
            },
        )
    if not created and not notification.corrected:
        notification.corrected = True
        notification.save(update_fields=["corrected"])
    return notification


def _reconsider(result: Result, hit_ids: set[int]) -> tuple[Notification | None, str]:
    """A correction: withdraw the findings of ``result`` that no longer match, and say so."""
    note = _("Result corrected to %(value)s") % {"value": result.display_value}
    findings = list(
        Finding.objects.filter(result=result, is_current=True).select_related("notification").order_by("id")
    )
    changed: Notification | None = None
    for finding in findings:
        notification = finding.notification
        changed = notification
        if finding.rule_id in hit_ids:
            continue
        finding.is_current = False
        finding.note = note[:255]
        finding.save(update_fields=["is_current", "note"])
        reason = _("%(note)s: no longer meets %(rule)s.") % {"note": note, "rule": finding.rule.name}
        notification.corrected = True
        notification.save(update_fields=["corrected"])
        still = notification.findings.filter(is_current=True).exists()
        if not still and notification.status == NotificationStatus.NEW:
            transition_apply(
                lifecycle=LIFECYCLE,
                obj=notification,
                to=NotificationStatus.WITHDRAWN,
                actor=None,
                reason=reason,
                at=result.recorded_at,
            )
        else:
            transition_record(
                lifecycle=LIFECYCLE,
                obj=notification,
                from_status=notification.status,
                to_status=notification.status,
                actor=None,
                at=result.recorded_at,
                reason=reason,
            )
    if findings:
        return changed, note[:255]
    return None, note[:255]


def _reopen_withdrawn(result: Result) -> Notification | None:
    """A result corrected back into a critical range reopens the notification it had withdrawn."""
    notification = (
        Notification.objects.select_for_update()
        .filter(visit_id=result.visit_id, status=NotificationStatus.WITHDRAWN, findings__result=result)
        .order_by("-detected_at", "-id")
        .first()
    )
    if notification is None:
        return None
    transition_apply(
        lifecycle=LIFECYCLE,
        obj=notification,
        to=NotificationStatus.NEW,
        actor=None,
        reason=_("Result corrected to %(value)s") % {"value": result.display_value},
        at=result.recorded_at,
    )
    return notification
