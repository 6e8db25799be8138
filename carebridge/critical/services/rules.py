"""Rule sets: the default (the seed's list) installed for a hospital, and the set in force on a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from carebridge.checkup.models import Item
from carebridge.core.models import Hospital
from carebridge.critical.domain.defaults import (
    DEFAULT_LADDER,
    DEFAULT_LIMITS,
    DEFAULT_RULES,
    DEFAULT_SET_CODE,
    SEED_SOURCE,
)
from carebridge.critical.models import ClassPolicy, Rule, RuleSet

DEFAULT_EFFECTIVE_FROM = dt.date(2012, 1, 1)  # the seed's list dates from 2012–14


@transaction.atomic
def rule_set_install_defaults(*, hospital: Hospital) -> RuleSet:
    """The seed's list as version 1 of the hospital's default set (again: the existing set), bound to
    the hospital's catalogue items by local code, and the default class policies."""
    rule_set, created = RuleSet.objects.get_or_create(
        hospital=hospital,
        code=DEFAULT_SET_CODE,
        version=1,
        defaults={
            "name": "体检重要异常结果（种子清单）",
            "effective_from": DEFAULT_EFFECTIVE_FROM,
            "source": SEED_SOURCE,
        },
    )
    if created:
        items = {item.code: item for item in Item.objects.filter(hospital=hospital)}
        rows = []
        for sequence, spec in enumerate(DEFAULT_RULES, start=1):
            item = items.get(spec.item) if spec.item else None
            if spec.item and item is None:
                continue  # the catalogue has no such item: nothing to watch
            rows.append(
                Rule(
                    rule_set=rule_set,
                    code=spec.code,
                    name=spec.name,
                    sequence=sequence,
                    item=item,
                    category=spec.category,
                    operator=spec.operator,
                    threshold=Decimal(spec.threshold) if spec.threshold else None,
                    grade=spec.grade,
                    codes=list(spec.codes),
                    severity=spec.severity,
                    advice=spec.advice,
                    source=SEED_SOURCE,
                )
            )
        Rule.objects.bulk_create(rows)
    for severity, (first, read_back) in DEFAULT_LIMITS.items():
        ClassPolicy.objects.get_or_create(
            hospital=hospital,
            severity=severity,
            defaults={
                "first_attempt_minutes": first,
                "read_back_minutes": read_back,
                "ladder": list(DEFAULT_LADDER),
            },
        )
    return rule_set


def rule_set_in_force(*, hospital: Hospital, day: dt.date) -> RuleSet | None:
    """The active set in force on ``day`` (the latest version when several are); installs the
    default set for a hospital that has none at all."""
    sets = RuleSet.objects.filter(hospital=hospital)
    if not sets.exists():
        return rule_set_install_defaults(hospital=hospital)
    return (
        sets.filter(is_active=True, effective_from__lte=day)
        .exclude(effective_to__lte=day)
        .order_by("-effective_from", "-version", "-id")
        .first()
    )


def policy_for(*, hospital: Hospital, severity: str) -> ClassPolicy:
    policy = ClassPolicy.objects.filter(hospital=hospital, severity=severity).first()
    if policy is None:
        first, read_back = DEFAULT_LIMITS[severity]
        policy, _created = ClassPolicy.objects.get_or_create(
            hospital=hospital,
            severity=severity,
            defaults={
                "first_attempt_minutes": first,
                "read_back_minutes": read_back,
                "ladder": list(DEFAULT_LADDER),
            },
        )
    return policy
