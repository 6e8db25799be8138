"""The hospital's follow-up configuration applied: default rows on first use, calling hours, the tier policy.

Defaults (DESIGN §5.3 and seed 003 篇4): the admission interview within 24 hours of admission, a mid-stay
talk two hours before a special examination or medication, the pre-discharge interview at discharge and
the doctor's or nurse's call within 7 days of it; tier A called within 3 days and again at 30 days and
never closed automatically, tier B within 7 days, tier C within 30 days; calls between 08:30 and 20:30,
no answer retried after 2 hours, at most 3 attempts a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from carebridge.core.deadlines import Unit, WorkCalendar, due_at
from carebridge.core.models import Hospital
from carebridge.followup.choices import (
    Anchor,
    MedicationFlag,
    OwnerRule,
    ScriptTopic,
    TierCode,
    TouchpointKind,
)
from carebridge.followup.models import (
    CallScript,
    FollowupPolicy,
    FollowupTier,
    TierFacts,
    TierRule,
    TierWindow,
    TouchpointTemplate,
)
from carebridge.patients.models import Encounter

# --- defaults --------------------------------------------------------------------------------------

# (code, rank, windows as (amount, unit), auto-close days after the last due date; None = never)
_TIERS: tuple[tuple[str, int, tuple[tuple[int, str], ...], int | None], ...] = (
    (TierCode.A, 1, ((3, Unit.CALENDAR_DAYS), (30, Unit.CALENDAR_DAYS)), None),
    (TierCode.B, 2, ((7, Unit.CALENDAR_DAYS),), 14),
    (TierCode.C, 3, ((30, Unit.CALENDAR_DAYS),), 30),
)


def _tier_texts() -> dict[str, tuple[str, str]]:
    return {
        TierCode.A: (
            _("Tier A: critical or high-risk"),
            _(
                "Critical conditions, major surgery, acute cardiovascular events, cancer: called within "
                "3 days and again at 30 days, never closed without reaching the patient."
            ),
        ),
        TierCode.B: (
            _("Tier B: specialty follow-up"),
            _("Chronic and specialty diseases: called within 7 days."),
        ),
        TierCode.C: (_("Tier C: routine"), _("Other stays: called within 30 days.")),
    }


def _rule_rows() -> list[dict]:
    return [
        {"name": _("Critical condition during the stay"), "tier": TierCode.A, "critical": True},
        {
            "name": _("Myocardial infarction, stroke or malignant tumour"),
            "tier": TierCode.A,
            "icd10_prefixes": ["I21", "I22", "I60", "I61", "I63", "C"],
        },
        {"name": _("Grade 3 or 4 surgery"), "tier": TierCode.A, "surgery_grade_min": 3},
        {
            "name": _("Chemotherapy at discharge"),
            "tier": TierCode.A,
            "medication_flags": [MedicationFlag.CHEMOTHERAPY],
        },
        {
            "name": _("Anticoagulant, insulin or immunosuppressant at discharge"),
            "tier": TierCode.B,
            "medication_flags": [
                MedicationFlag.ANTICOAGULANT,
                MedicationFlag.INSULIN,
                MedicationFlag.IMMUNOSUPPRESSANT,
            ],
        },
        {
            "name": _("Specialty diseases: asthma, pneumonia, hypertension, diabetes, heart failure, COPD"),
            "tier": TierCode.B,
            "icd10_prefixes": ["J45", "J18", "I10", "E11", "I50", "J44"],
        },
        {"name": _("Grade 2 surgery"), "tier": TierCode.B, "surgery_grade_min": 2},
    ]


def _template_rows() -> list[dict]:
    return [
        {
            "kind": TouchpointKind.ADMISSION_INTERVIEW,
            "title": _("Admission interview and customer file"),
            "anchor": Anchor.ADMISSION,
            "amount": 24,
            "unit": Unit.HOURS,
            "owner_rule": OwnerRule.WARD_MANAGER,
            "instructions": _(
                "Meet the family face to face; record needs, expectations, preferences and "
                "contacts; introduce the team and the treatment plan."
            ),
        },
        {
            "kind": TouchpointKind.MID_STAY_TALK,
            "title": _("Mid-stay talk"),
            "anchor": Anchor.EVENT,
            "amount": 2,
            "unit": Unit.HOURS,
            "owner_rule": OwnerRule.WARD_MANAGER,
            "instructions": _("Before a special examination or medication: explain it, ask about new needs."),
        },
        {
            "kind": TouchpointKind.PRE_DISCHARGE_INTERVIEW,
            "title": _("Pre-discharge interview and discharge care"),
            "anchor": Anchor.DISCHARGE,
            "amount": 0,
            "unit": Unit.HOURS,
            "owner_rule": OwnerRule.WARD_MANAGER,
            "instructions": _("A long talk about the stay, the satisfaction survey, and discharge care."),
        },
        {
            "kind": TouchpointKind.POST_DISCHARGE_CALL,
            "title": _("First call after discharge by the doctor or nurse"),
            "anchor": Anchor.DISCHARGE,
            "amount": 7,
            "unit": Unit.CALENDAR_DAYS,
            "owner_rule": OwnerRule.CLINICIAN,
            "instructions": _(
                "Answer the family's questions and give health guidance; the project "
                "manager checks that it was made."
            ),
        },
    ]


def _call_sections() -> list[dict]:
    return [
        {
            "topic": ScriptTopic.GREETING,
            "title": _("Greeting"),
            "prompts": [
                _("Introduce yourself and the hospital; confirm you speak with the patient or family.")
            ],
        },
        {
            "topic": ScriptTopic.HEALTH_STATUS,
            "title": _("Health status"),
            "prompts": [
                _("How has the patient been since discharge?"),
                _("Any pain, fever or new symptoms?"),
            ],
        },
        {
            "topic": ScriptTopic.MEDICATION,
            "title": _("Medication"),
            "prompts": [_("Are the discharge medicines taken as prescribed?"), _("Any side effects?")],
        },
        {
            "topic": ScriptTopic.WARNING_SIGNS,
            "title": _("Warning signs"),
            "prompts": [_("Remind them of the warning signs that need the emergency department at once.")],
        },
        {
            "topic": ScriptTopic.STAY_QUESTIONS,
            "title": _("Questions about the stay"),
            "prompts": [
                _("Anything about the stay you were unhappy or happy with?"),
                _("Any question for the doctor?"),
            ],
        },
        {
            "topic": ScriptTopic.CLOSING,
            "title": _("Closing"),
            "prompts": [_("Give the follow-up appointment and the hotline; thank them.")],
        },
    ]


def _script_rows() -> list[dict]:
    calls = _call_sections()
    return [
        {"kind": TouchpointKind.FOLLOW_UP_CALL, "title": _("Follow-up call script"), "sections": calls},
        {
            "kind": TouchpointKind.POST_DISCHARGE_CALL,
            "title": _("First call after discharge"),
            "sections": calls,
        },
        {
            "kind": TouchpointKind.ADMISSION_INTERVIEW,
            "title": _("Admission interview"),
            "sections": [
                {
                    "topic": ScriptTopic.GREETING,
                    "title": _("Introduction"),
                    "prompts": [_("Introduce yourself as the family's project manager for this stay.")],
                },
                {
                    "topic": ScriptTopic.STAY_QUESTIONS,
                    "title": _("Needs and expectations"),
                    "prompts": [
                        _("What do you need during the stay?"),
                        _("What do you expect of the treatment?"),
                        _("Who should we contact, and how do you prefer to be reached?"),
                    ],
                },
            ],
        },
    ]


def defaults_install(*, hospital: Hospital) -> None:
    """Create the hospital's default policy, template, tiers, tier rules and scripts where none exist.

    Idempotent and safe when two requests race (the unique constraints decide; the loser keeps the rows
    of the winner). Texts are stored in the site's language, as an administrator would type them.
    """
    if (
        FollowupPolicy.objects.filter(hospital=hospital).exists()
        and FollowupTier.objects.filter(hospital=hospital).exists()
        and TouchpointTemplate.objects.filter(hospital=hospital).exists()
    ):
        return
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            _install(hospital)
    except IntegrityError:
        pass  # another request installed them at the same moment


def _install(hospital: Hospital) -> None:
    FollowupPolicy.objects.get_or_create(
        hospital=hospital,
        defaults={
            "message_text": _(
                "{hospital}: we tried to call you about your recent stay. "
                "Please call us back at your convenience."
            )
        },
    )
    if not TouchpointTemplate.objects.filter(hospital=hospital).exists():
        TouchpointTemplate.objects.bulk_create(
            TouchpointTemplate(hospital=hospital, **row) for row in _template_rows()
        )
    if not FollowupTier.objects.filter(hospital=hospital).exists():
        texts = _tier_texts()
        for code, rank, windows, auto_close in _TIERS:
            name, description = texts[code]
            tier = FollowupTier.objects.create(
                hospital=hospital,
                code=code,
                name=name,
                description=description,
                rank=rank,
                auto_close_after_days=auto_close,
            )
            TierWindow.objects.bulk_create(
                TierWindow(tier=tier, sequence=number, amount=amount, unit=unit)
                for number, (amount, unit) in enumerate(windows, start=1)
            )
    if not TierRule.objects.filter(hospital=hospital).exists():
        TierRule.objects.bulk_create(
            TierRule(hospital=hospital, priority=(index + 1) * 10, **row)
            for index, row in enumerate(_rule_rows())
        )
    if not CallScript.objects.filter(hospital=hospital).exists():
        CallScript.objects.bulk_create(CallScript(hospital=hospital, **row) for row in _script_rows())


def policy_for(hospital: Hospital) -> FollowupPolicy:
    defaults_install(hospital=hospital)
    return FollowupPolicy.objects.get(hospital=hospital)


# --- calling hours ---------------------------------------------------------------------------------


def _window(policy: FollowupPolicy, day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, policy.calling_start, tzinfo=zone),
        dt.datetime.combine(day, policy.calling_end, tzinfo=zone),
    )


def next_calling_time(*, after: dt.datetime, policy: FollowupPolicy, zone: str) -> dt.datetime:
    """``after`` if it falls within calling hours, else the start of the next calling window (UTC)."""
    tz = ZoneInfo(zone)
    local = after.astimezone(tz)
    start, end = _window(policy, local.date(), tz)
    if local < start:
        return start.astimezone(dt.UTC)
    if local <= end:
        return after.astimezone(dt.UTC)
    return _window(policy, local.date() + dt.timedelta(days=1), tz)[0].astimezone(dt.UTC)


def next_day_calling_start(*, after: dt.datetime, policy: FollowupPolicy, zone: str) -> dt.datetime:
    tz = ZoneInfo(zone)
    return _window(policy, after.astimezone(tz).date() + dt.timedelta(days=1), tz)[0].astimezone(dt.UTC)


def local_day_bounds(*, moment: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of the hospital's calendar day around ``moment``."""
    tz = ZoneInfo(zone)
    day = moment.astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


# --- deadlines -------------------------------------------------------------------------------------


def deadline(
    *, start: dt.datetime, amount: int, unit: str, zone: str, calendar: WorkCalendar | None = None
) -> dt.datetime:
    """A touchpoint's due time from the deadline engine (hours on the clock; days end at 23:59:59)."""
    if amount == 0:
        return start
    return due_at(start=start, amount=amount, unit=unit, zone=zone, calendar=calendar)


# --- the tier policy -------------------------------------------------------------------------------


def _normalise_code(code: str) -> str:
    return code.replace(".", "").strip().upper()


def tier_facts(*, encounter: Encounter, medication_flags: Iterable[str]) -> TierFacts:
    """What the tier policy looks at, as stored with the plan."""
    return TierFacts(
        icd10=[_normalise_code(d.code) for d in encounter.diagnoses.all()],
        department=encounter.department.code,
        surgery_grade=encounter.surgery_grade,
        critical=bool(encounter.critical),
        medication_flags=sorted(set(medication_flags)),
    )


@dataclass(frozen=True)
class TierDecision:
    tier: str
    rule: TierRule | None
    reason: str
    facts: TierFacts


def _rule_matches(rule: TierRule, facts: TierFacts, department_ids: set[int], department_id: int) -> bool:
    prefixes = [_normalise_code(p) for p in rule.icd10_prefixes or [] if str(p).strip()]
    if prefixes and not any(code.startswith(p) for code in facts.get("icd10", []) for p in prefixes):
        return False
    grade = facts.get("surgery_grade")
    if rule.surgery_grade_min is not None and (grade is None or grade < rule.surgery_grade_min):
        return False
    if rule.critical is not None and bool(facts.get("critical")) != rule.critical:
        return False
    if department_ids and department_id not in department_ids:
        return False
    wanted = set(rule.medication_flags or [])
    return not (wanted and not wanted & set(facts.get("medication_flags", [])))


def tier_decide(*, encounter: Encounter, medication_flags: Iterable[str], default_tier: str) -> TierDecision:
    """The first active rule (by priority) whose every set condition holds; else the default tier."""
    facts = tier_facts(encounter=encounter, medication_flags=medication_flags)
    rules = TierRule.objects.filter(hospital_id=encounter.hospital_id, is_active=True).prefetch_related(
        "departments"
    )
    for rule in rules.order_by("priority", "id"):
        department_ids = {d.pk for d in rule.departments.all()}
        if _rule_matches(rule, facts, department_ids, encounter.department_id):
            return TierDecision(
                tier=rule.tier,
                rule=rule,
                reason=_("Rule %(priority)s “%(name)s”") % {"priority": rule.priority, "name": rule.name},
                facts=facts,
            )
    return TierDecision(
        tier=default_tier, rule=None, reason=_("No rule matched: the default tier"), facts=facts
    )
