"""Writes the starter catalogue (``demo.catalogue``) for one centre: rooms, items with ranges and coded
findings, packages, the advice library and version 1 of the risk rules (active), and the health
questionnaire (a surveys instrument). Used by the demo and by
tests that need a realistic centre; idempotent per hospital (a second call returns what exists)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from carebridge.checkup.demo import catalogue as spec
from carebridge.checkup.models import (
    AdviceRule,
    CodedValue,
    Item,
    Package,
    ReferenceRange,
    RiskRule,
    RiskRuleSet,
    Room,
)
from carebridge.checkup.services.questionnaire import health_questionnaire_install
from carebridge.core.models import Department


@dataclass
class Catalogue:
    rooms: dict[str, Room] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    packages: dict[str, Package] = field(default_factory=dict)
    ruleset: RiskRuleSet | None = None


def _load(department: Department) -> Catalogue:
    hospital_id = department.hospital_id
    return Catalogue(
        rooms={r.code: r for r in Room.objects.filter(hospital_id=hospital_id)},
        items={i.code: i for i in Item.objects.filter(hospital_id=hospital_id)},
        packages={p.code: p for p in Package.objects.filter(hospital_id=hospital_id)},
        ruleset=RiskRuleSet.objects.filter(hospital_id=hospital_id, is_active=True).first(),
    )


@transaction.atomic
def catalogue_install(*, department: Department, effective_from: dt.date | None = None) -> Catalogue:
    health_questionnaire_install(hospital=department.hospital)
    if Room.objects.filter(hospital_id=department.hospital_id).exists():
        return _load(department)
    hospital = department.hospital
    rooms = {
        r.code: Room.objects.create(
            hospital=hospital,
            department=department,
            code=r.code,
            name=r.name,
            location=r.location,
            stations=r.stations,
            service_minutes=r.minutes,
            sequence=index * 10,
        )
        for index, r in enumerate(spec.ROOMS, start=1)
    }
    items: dict[str, Item] = {}
    for index, s in enumerate(spec.ITEMS, start=1):
        item = Item.objects.create(
            hospital=hospital,
            code=s.code,
            loinc=s.loinc,
            name=s.name,
            name_en=s.name_en,
            abbreviation=s.abbreviation,
            kind=s.kind,
            category=s.category,
            unit=s.unit,
            analyte=s.analyte,
            decimals=s.decimals,
            room=rooms[s.room],
            preparations=list(s.preparations),
            sex=s.sex,
            price=Decimal(s.price),
            is_key=s.key,
            sequence=index * 10,
        )
        ReferenceRange.objects.bulk_create(
            ReferenceRange(item=item, sex=sex, age_min=age_min, age_max=age_max, low=low, high=high)
            for sex, age_min, age_max, low, high in s.ranges
        )
        CodedValue.objects.bulk_create(
            CodedValue(item=item, code=code, label=label, is_abnormal=abnormal, sequence=order)
            for order, (code, label, abnormal) in enumerate(s.codes)
        )
        items[s.code] = item
    packages: dict[str, Package] = {}
    for p in spec.PACKAGES:
        package = Package.objects.create(
            hospital=hospital,
            code=p.code,
            name=p.name,
            kind=p.kind,
            sex=p.sex,
            age_min=p.age_min,
            age_max=p.age_max,
            price=Decimal(p.price),
            description=p.description,
        )
        package.items.set([items[code] for code in p.items])
        packages[p.code] = package
    AdviceRule.objects.bulk_create(
        AdviceRule(
            hospital=hospital,
            code=a.code,
            finding=a.finding,
            conclusion=a.conclusion,
            advice=a.advice,
            prescriptions=[str(code) for code in a.prescriptions],
            item=items[a.item],
            operator=a.operator,
            threshold=Decimal(a.threshold) if a.threshold else None,
            codes=list(a.codes),
            sequence=index,
        )
        for index, a in enumerate(spec.ADVICE, start=1)
    )
    ruleset = RiskRuleSet.objects.create(
        hospital=hospital,
        version=1,
        name="疾病及相关危险因素分层预警方案",
        effective_from=effective_from or dt.date(2012, 1, 1),
        is_active=True,
        notes="依据：①全国高等学校相关学科教材；②国家最新的相关指南或专家共识；③本院各科相关专家讨论。",
    )
    RiskRule.objects.bulk_create(
        RiskRule(
            ruleset=ruleset,
            level=r.level,
            name=r.name,
            item=items[r.item],
            operator=r.operator,
            threshold=Decimal(r.threshold) if r.threshold else None,
            codes=list(r.codes),
            source=r.source,
            citation=r.citation,
            sequence=index,
        )
        for index, r in enumerate(spec.RISK_RULES, start=1)
    )
    return Catalogue(rooms=rooms, items=items, packages=packages, ruleset=ruleset)
