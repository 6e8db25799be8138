"""The advice library (finding → conclusion → advice and 健康处方): chief examiners keep it up to date."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.choices import GRADES, ItemKind, Operator, Prescription
from carebridge.checkup.models import AdviceRule, Item
from carebridge.checkup.services.base import require_permission
from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor

_NUMERIC = {Operator.GTE, Operator.GT, Operator.LTE, Operator.LT}


def _check(item: Item, operator: str, threshold: Decimal | None, codes: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if operator not in Operator.values:
        errors["operator"] = [_("Unknown condition.")]
    elif operator in _NUMERIC and (item.kind != ItemKind.NUMERIC or threshold is None):
        errors["threshold"] = [_("This condition needs a numeric item and a threshold.")]
    elif operator == Operator.GRADE_GTE and (not codes or codes[0] not in GRADES):
        errors["codes_text"] = [
            _("Give the lowest grade that matches: %(grades)s.") % {"grades": " ".join(GRADES)}
        ]
    elif operator == Operator.CODED_IN:
        known = set(item.coded_values.values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            errors["codes_text"] = [
                _("Give codes of the item's findings: %(codes)s.") % {"codes": ", ".join(sorted(known))}
            ]
    return errors


@transaction.atomic
def advice_rule_save(
    *,
    hospital: Hospital,
    actor: Actor,
    values: dict[str, Any],
    codes: Iterable[str],
    prescriptions: Iterable[str],
    rule: AdviceRule | None = None,
) -> AdviceRule:
    """Create or change an entry of the library (the item, the condition, the texts)."""
    require_permission(
        actor,
        "checkup.change_advicerule" if rule else "checkup.add_advicerule",
        _("You are not allowed to edit the advice library."),
    )
    item: Item = values["item"]
    code_list = [c.strip() for c in codes if c.strip()]
    chosen = [p for p in dict.fromkeys(prescriptions) if p]
    errors = _check(item, values["operator"], values.get("threshold"), code_list)
    if item.hospital_id != hospital.pk:
        errors["item"] = [_("The item belongs to another hospital.")]
    if any(p not in Prescription.values for p in chosen):
        errors["prescriptions"] = [_("Unknown prescription.")]
    if errors:
        raise ValidationError(errors)
    target = rule or AdviceRule(hospital=hospital)
    before = {"finding": target.finding, "conclusion": target.conclusion, "advice": target.advice}
    for name, value in values.items():
        setattr(target, name, value)
    target.codes = code_list
    target.prescriptions = chosen
    target.save()
    audit_record(
        actor=actor,
        action="checkup.advice_rule.change" if rule else "checkup.advice_rule.add",
        obj=target,
        summary=target.finding,
        changes={"before": before} if rule else {},
    )
    return target
