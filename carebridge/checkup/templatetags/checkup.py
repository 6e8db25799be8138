"""Display helpers of the checkup pages: labels of stored codes (never the code itself), flag styles."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from carebridge.checkup.choices import Preparation, Prescription, ResultFlag, RiskLevel, SuggestionKind
from carebridge.checkup.domain import units

register = template.Library()

_PREPARATIONS = dict(Preparation.choices)
_PRESCRIPTIONS = dict(Prescription.choices)
_FLAGS = dict(ResultFlag.choices)
_RISK = dict(RiskLevel.choices)


@register.filter
def preparation_labels(codes: Iterable[str] | None) -> list[str]:
    return [str(_PREPARATIONS.get(code, code)) for code in codes or ()]


@register.filter
def prescription_labels(codes: Iterable[str] | None) -> list[str]:
    return [str(_PRESCRIPTIONS.get(code, code)) for code in codes or ()]


@register.filter
def flag_label(flag: str) -> str:
    return str(_FLAGS.get(flag, flag))


@register.filter
def flag_class(flag: str) -> str:
    """Bootstrap text colour of a flag: high and abnormal red, low blue."""
    return {"H": "text-danger fw-bold", "A": "text-danger fw-bold", "L": "text-primary fw-bold"}.get(flag, "")


@register.filter
def flag_arrow(flag: str) -> str:
    return {"H": "↑", "L": "↓", "A": "*"}.get(flag, "")


@register.filter
def risk_label(level: int | None) -> str:
    return str(_RISK.get(level, "")) if level else ""


@register.filter
def risk_class(level: int | None) -> str:
    return {1: "danger", 2: "warning", 3: "info", 4: "secondary", 5: "success"}.get(level or 0, "light")


@register.filter
def staff_name(user: object) -> str:
    """A user's name as staff know it (their staff record), never the login name."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return str(staff.name)
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or "—"


@register.filter
def suggestion_label(kind: str) -> str:
    return str(dict(SuggestionKind.choices).get(kind, ""))


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def percent(value: float | None) -> str:
    """A share (0–1) as a percentage with one decimal: ``0.598`` → ``59.8%``."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def rule_codes(rule: object) -> str:
    """A rule's grades or finding codes as the reader knows them (the finding's label, not its code)."""
    codes = list(getattr(rule, "codes", None) or [])
    item = getattr(rule, "item", None)
    labels = {value.code: value.label for value in item.coded_values.all()} if item is not None else {}
    return "、".join(labels.get(code, code) for code in codes)


@register.filter
def unit_label(code: str) -> str:
    return units.unit_label(code or "")
