"""Rule sets: the defaults installed for a hospital (the seed's list for checkup customers, the ward's
list for inpatients and outpatients), a new version with its effective date, and the set in force on a
date for a population."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.models import Item
from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.critical.choices import RulePopulation
from carebridge.critical.domain.defaults import (
    CONSENSUS_SOURCE,
    DEFAULT_LADDER,
    DEFAULT_LIMITS,
    DEFAULT_RULES,
    DEFAULT_SET_CODE,
    SEED_SOURCE,
    WARD_RULES,
    WARD_SET_CODE,
    DefaultRule,
)
from carebridge.critical.models import ClassPolicy, Rule, RuleSet

DEFAULT_EFFECTIVE_FROM = dt.date(2012, 1, 1)  # the seed's list dates from 2012–14
WARD_EFFECTIVE_FROM = dt.date(2019, 1, 1)  # the consensus it cites is of 2019


def _install(
    *,
    hospital: Hospital,
    code: str,
    name: str,
    population: str,
    effective_from: dt.date,
    source: str,
    specs: tuple[DefaultRule, ...],
) -> RuleSet:
    rule_set, created = RuleSet.objects.get_or_create(
        hospital=hospital,
        code=code,
        version=1,
        defaults={
            "name": name,
            "population": population,
            "effective_from": effective_from,
            "source": source,
        },
    )
    if created:
        items = {item.code: item for item in Item.objects.filter(hospital=hospital)}
        rows = []
        for sequence, spec in enumerate(specs, start=1):
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
                    source=source,
                )
            )
        Rule.objects.bulk_create(rows)
    return rule_set


@transaction.atomic
def rule_set_install_defaults(*, hospital: Hospital) -> RuleSet:
    """The seed's list as version 1 of the hospital's default set (again: the existing set), bound to
    the hospital's catalogue items by local code; the ward's list for inpatients and outpatients; and
    the default class policies. Returns the checkup customers' set."""
    rule_set = _install(
        hospital=hospital,
        code=DEFAULT_SET_CODE,
        name="体检重要异常结果（种子清单）",
        population=RulePopulation.CHECKUP,
        effective_from=DEFAULT_EFFECTIVE_FROM,
        source=SEED_SOURCE,
        specs=DEFAULT_RULES,
    )
    _install(
        hospital=hospital,
        code=WARD_SET_CODE,
        name="住院及门诊危急值（病区清单）",
        population=RulePopulation.CLINICAL,
        effective_from=WARD_EFFECTIVE_FROM,
        source=CONSENSUS_SOURCE,
        specs=WARD_RULES,
    )
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


def rule_set_in_force(
    *, hospital: Hospital, day: dt.date, population: str = RulePopulation.CHECKUP
) -> RuleSet | None:
    """The active set of ``population`` in force on ``day`` (the latest version when several are); a
    clinical result with no clinical set in force is judged by the checkup set. Installs the default
    sets for a hospital that has none at all."""
    sets = RuleSet.objects.filter(hospital=hospital)
    if not sets.exists():
        rule_set_install_defaults(hospital=hospital)
    in_force = (
        sets.filter(is_active=True, effective_from__lte=day)
        .exclude(effective_to__lte=day)
        .order_by("-effective_from", "-version", "-id")
    )
    found = in_force.filter(population=population).first()
    if found is None and population != RulePopulation.CHECKUP:
        found = in_force.filter(population=RulePopulation.CHECKUP).first()
    return found


@transaction.atomic
def rule_set_new_version(*, rule_set: RuleSet, effective_from: dt.date, actor: Actor) -> RuleSet:
    """The next version of ``rule_set`` in force from ``effective_from``, with a copy of its rules to
    edit; the version it replaces stays in force until that day (results are judged by the set of
    their date)."""
    if not actor.has_perm("critical.add_ruleset"):
        raise PermissionDenied(_("Only an administrator edits critical-result rule sets."))
    current = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if effective_from <= current.effective_from:
        raise ValidationError(
            {"effective_from": [_("A new version must come into force after the version it replaces.")]}
        )
    latest = RuleSet.objects.filter(hospital=current.hospital, code=current.code).order_by("-version").first()
    if latest is not None and latest.pk != current.pk:
        raise ValidationError({"rule_set": [_("Only the latest version can be followed by a new one.")]})
    new = RuleSet.objects.create(
        hospital=current.hospital,
        code=current.code,
        name=current.name,
        version=current.version + 1,
        population=current.population,
        effective_from=effective_from,
        source=current.source,
    )
    rules = list(Rule.objects.filter(rule_set=current).order_by("sequence", "id"))
    for rule in rules:
        rule.pk = None
        rule.id = None
        rule.rule_set = new
    Rule.objects.bulk_create(rules)
    current.effective_to = effective_from
    current.save(update_fields=["effective_to"])
    audit_record(
        actor=actor,
        action="critical.ruleset.version",
        obj=new,
        summary=f"{new.code} v{new.version} {effective_from:%Y-%m-%d}",
    )
    return new


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
