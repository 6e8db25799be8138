"""Closing the loop (服务补救): a low score or a complaint in a comment opens a desk case at once.

A hospital's :class:`~carebridge.surveys.models.RecoveryTrigger` rows (optionally per instrument) say
what counts; the first response of a hospital without any installs the defaults
(:func:`recovery_triggers_install_defaults`):

* ``item_at_or_below`` — with an item code, that item's answer on its own scale at or below the
  threshold (``q3`` ≤ 2); without one, any rated item (Likert, 0–10, 1–10; not yes/no, which records a
  fact) whose 0–100 score is at or below the threshold (default 25: "dissatisfied" or worse on 5 points);
* ``detractor`` — a 0–10 item coded ``recommend`` or ``nps`` (or the given code) at or below the
  threshold (default 6: an NPS detractor);
* ``complaint_text`` — a free-text answer whose polarity (the Chinese lexicon of
  ``carebridge.lib.stats.text``) is at or below the threshold (default −1); the desk's lexicon then
  suggests the complaint category from the same words.

:func:`recovery_open` runs inside the submission's transaction: the case is received in the desk
(channel 满意度调查, owner = the complaint office, else the wave's owner; department = the response's;
the text carries the respondent's comments) and linked by a
:class:`~carebridge.surveys.models.RecoveryCase` row, so the response and its case commit together.
Anonymous waves never open cases: there is nobody to call back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.surveys.choices import ItemType, TriggerKind
from carebridge.surveys.domain import instruments
from carebridge.surveys.models import Instrument, RecoveryCase, RecoveryTrigger, Response

log = logging.getLogger(__name__)

# The desk register is kept in Chinese whatever the screen language (like the desk's *_TERMS).
KIND_TERMS: dict[str, str] = {
    TriggerKind.ITEM_AT_OR_BELOW: "低分",
    TriggerKind.DETRACTOR: "推荐意愿低",
    TriggerKind.COMPLAINT_TEXT: "意见含投诉",
}
RECOMMENDATION_CODES = frozenset({"recommend", "nps"})
RATED_TYPES = frozenset({ItemType.LIKERT, ItemType.SCALE_0_10, ItemType.SCALE_1_10})
DEFAULT_TRIGGERS: tuple[tuple[str, float], ...] = (
    (TriggerKind.ITEM_AT_OR_BELOW, 25.0),
    (TriggerKind.DETRACTOR, 6.0),
    (TriggerKind.COMPLAINT_TEXT, -1.0),
)


@dataclass(frozen=True)
class Match:
    """A trigger that fired on a response, the item and what was answered."""

    trigger: RecoveryTrigger
    item_code: str
    item_text: str
    answer: Any

    def describe(self) -> str:
        """One line, in Chinese (the desk register's language): which item, what answer, which rule."""
        if self.trigger.kind == TriggerKind.COMPLAINT_TEXT:
            return f"{self.item_code}「{self.item_text}」意见：{self.answer}"
        rule = KIND_TERMS[self.trigger.kind]
        if self.trigger.threshold is not None:
            scale = (
                "百分制"
                if self.trigger.kind == TriggerKind.ITEM_AT_OR_BELOW and not self.trigger.item_code
                else ""
            )
            rule += f"：{scale}≤{self.trigger.threshold:g}"
        return f"{self.item_code}「{self.item_text}」评分 {self.answer}（{rule}）"


@transaction.atomic
def recovery_triggers_install_defaults(*, hospital: Hospital) -> list[RecoveryTrigger]:
    """The default triggers of a hospital (once: a hospital that has any trigger keeps its own)."""
    existing = list(RecoveryTrigger.objects.filter(hospital=hospital))
    if existing:
        return existing
    # Two first responses at the same moment: the hospital row's lock lets one of them install.
    Hospital.objects.select_for_update().filter(pk=hospital.pk).first()
    existing = list(RecoveryTrigger.objects.filter(hospital=hospital))
    if existing:
        return existing
    made = RecoveryTrigger.objects.bulk_create(
        RecoveryTrigger(hospital=hospital, kind=kind, threshold=threshold)
        for kind, threshold in DEFAULT_TRIGGERS
    )
    audit_record(
        actor=None,
        action="survey.recovery_trigger.defaults",
        obj=hospital,
        summary=f"{len(made)} default recovery triggers",
    )
    return made


def _clean_trigger(
    *, kind: str, item_code: str, threshold: float | None, instrument: Instrument | None, hospital: Hospital
) -> float:
    errors: dict[str, list[str]] = {}
    if kind not in TriggerKind.values:
        errors["kind"] = [_("Unknown kind: %(value)s.") % {"value": kind}]
    if instrument is not None and instrument.hospital_id not in (None, hospital.pk):
        errors["instrument"] = [_("This instrument belongs to another hospital.")]
    if item_code and instrument is not None and item_code not in _item_codes(instrument):
        errors["item_code"] = [_("The instrument has no item %(code)s.") % {"code": item_code}]
    defaults = dict(DEFAULT_TRIGGERS)
    value = defaults.get(kind) if threshold is None else threshold
    if value is None:
        errors["threshold"] = [_("Give a threshold.")]
    if errors:
        raise ValidationError(errors)
    return float(value)  # type: ignore[arg-type]


def _item_codes(instrument: Instrument) -> set[str]:
    codes: set[str] = set()
    for version in instrument.versions.all():
        codes.update(spec.code for spec in instruments.iter_items(version.definition))
    return codes


@transaction.atomic
def recovery_trigger_save(
    *,
    hospital: Hospital,
    actor: Actor,
    kind: str,
    item_code: str = "",
    threshold: float | None = None,
    instrument: Instrument | None = None,
    enabled: bool = True,
    trigger: RecoveryTrigger | None = None,
) -> RecoveryTrigger:
    """Add a trigger, or change ``trigger``; the threshold defaults to the kind's default."""
    if trigger is not None and trigger.hospital_id != hospital.pk:
        raise ValidationError({"trigger": [_("This trigger belongs to another hospital.")]})
    value = _clean_trigger(
        kind=kind, item_code=item_code.strip(), threshold=threshold, instrument=instrument, hospital=hospital
    )
    before = (
        None
        if trigger is None
        else {"kind": trigger.kind, "threshold": trigger.threshold, "enabled": trigger.enabled}
    )
    trigger = trigger or RecoveryTrigger(hospital=hospital)
    trigger.kind, trigger.item_code, trigger.threshold = kind, item_code.strip(), value
    trigger.instrument, trigger.enabled = instrument, enabled
    trigger.save()
    audit_record(
        actor=actor,
        action="survey.recovery_trigger.save",
        obj=trigger,
        summary=str(trigger),
        changes={"before": before, "threshold": value, "enabled": enabled},
    )
    return trigger


def _polarity(text: str) -> float:
    from carebridge.lib.stats.text import analyze_comment

    return analyze_comment(text).score


def _fires(trigger: RecoveryTrigger, spec: instruments.ItemSpec, value: Any) -> bool:
    threshold = trigger.threshold if trigger.threshold is not None else dict(DEFAULT_TRIGGERS)[trigger.kind]
    if value is None or value == instruments.NOT_APPLICABLE:
        return False
    if trigger.item_code and trigger.item_code != spec.code:
        return False
    if trigger.kind == TriggerKind.COMPLAINT_TEXT:
        return (
            spec.item_type == ItemType.TEXT
            and bool(str(value).strip())
            and _polarity(str(value)) <= threshold
        )
    if not spec.scored or isinstance(value, list | str):
        return False
    if trigger.kind == TriggerKind.DETRACTOR:
        is_recommendation = trigger.item_code or spec.code in RECOMMENDATION_CODES
        return bool(is_recommendation) and spec.item_type == ItemType.SCALE_0_10 and value <= threshold
    if trigger.item_code:
        return bool(value <= threshold)
    rescaled = instruments.item_score(spec, value)
    return spec.item_type in RATED_TYPES and rescaled is not None and rescaled <= threshold


def recovery_matches(*, response: Response, triggers: list[RecoveryTrigger]) -> list[Match]:
    """Every (trigger, item) that fires on the response, in item order."""
    matches = []
    for spec in instruments.iter_items(response.version.definition):
        value = response.answers.get(spec.code)
        for trigger in triggers:
            if _fires(trigger, spec, value):
                matches.append(Match(trigger, spec.code, spec.label("zh-hans"), value))
    return matches


@functools.cache
def _triggers_sql(vendor: str) -> str:
    """The ORM's statement for a hospital's triggers, compiled once per process and database vendor:
    compiling it on every submission was ~10 % of the submission's CPU (issue 18 item 5)."""
    del vendor  # the cache key: the statement is the connection's, and so is its vendor
    sql, params = RecoveryTrigger.objects.filter(hospital_id=0).order_by("id").query.sql_with_params()
    if params != (0,):  # the one parameter is the hospital
        raise AssertionError(f"unexpected parameters {params!r}")
    return sql


def _triggers_for(response: Response, hospital: Hospital) -> list[RecoveryTrigger]:
    """The enabled triggers for the response's instrument (one query; defaults on the first use)."""
    triggers = list(RecoveryTrigger.objects.raw(_triggers_sql(connection.vendor), [hospital.pk]))
    if not triggers:
        triggers = sorted(recovery_triggers_install_defaults(hospital=hospital), key=lambda t: t.pk)
    instrument_id = response.version.instrument_id
    return [t for t in triggers if t.enabled and t.instrument_id in (None, instrument_id)]


def _content(response: Response, matches: list[Match]) -> str:
    """The case's text: which answers fired, then everything the respondent wrote in their own words
    (the complaint office calls back about what the person said, not only about a score)."""
    wave = response.wave
    title = wave.name if wave else str(response.version)
    lines = [f"满意度调查《{title}》回访提示（综合指数 {response.score or 0:.0f}）："]
    lines.extend(f"- {match.describe()}" for match in matches)
    quoted = {str(m.answer).strip() for m in matches if m.trigger.kind == TriggerKind.COMPLAINT_TEXT}
    comments = [
        (spec.label("zh-hans"), str(response.answers[spec.code]).strip())
        for spec in instruments.iter_items(response.version.definition)
        if spec.item_type == ItemType.TEXT and str(response.answers.get(spec.code) or "").strip()
    ]
    comments = [(question, text) for question, text in comments if text not in quoted]
    if comments:
        lines.append("受访者留言：")
        lines.extend(f"- 「{question}」{text}" for question, text in comments)
    return "\n".join(lines)


def recovery_open(*, response: Response, now: dt.datetime) -> RecoveryCase | None:
    """Open one desk case for a named response that matches a trigger (part of the submission's
    transaction); None when nothing fires, the wave is anonymous, or the desk refused the case."""
    from carebridge.complaints.choices import Channel
    from carebridge.complaints.selectors.complaints import complaint_office_receiver
    from carebridge.complaints.services.complaints import ComplaintInput, complaint_receive
    from carebridge.patients.selectors.patients import patient_list

    wave = response.wave
    if wave is None or wave.anonymous or response.invitation_id is None:
        return None
    matches = recovery_matches(response=response, triggers=_triggers_for(response, wave.hospital))
    if not matches:
        return None
    # The complaint office is the case's first receiver (首诉负责制); the wave's owner (often the
    # read-only quality office) only when the hospital has nobody in that office.
    owner = complaint_office_receiver(hospital=wave.hospital) or wave.owner
    patient = response.patient
    if patient is not None and not patient_list(user=owner).filter(pk=patient.pk).exists():
        patient = None  # the wave owner cannot see this patient; the case names the respondent instead
    try:
        with transaction.atomic():
            complaint = complaint_receive(
                hospital=wave.hospital,
                actor=owner,
                data=ComplaintInput(
                    content=_content(response, matches),
                    channel=Channel.SURVEY,
                    patient=patient,
                    complainant_name="" if patient else _("Survey respondent"),
                    complainant_class=response.respondent_class,
                    departments=[response.department] if response.department else [],
                    received_at=now,
                ),
            )
            case = RecoveryCase.objects.create(
                response=response,
                trigger=matches[0].trigger,
                complaint=complaint,
                evidence="; ".join(match.describe() for match in matches)[:255],
            )
            audit_record(
                actor=owner,
                action="survey.recovery.open",
                obj=case,
                summary=f"{complaint.reference} ← response {response.pk}",
                changes={"triggers": sorted({m.trigger.pk for m in matches})},
            )
    except ValidationError as exc:
        # The respondent's answers must not be lost because the desk refused the case: log and go on.
        log.error("Recovery case for response %s refused by the desk: %s", response.pk, exc.messages)
        return None
    return case
