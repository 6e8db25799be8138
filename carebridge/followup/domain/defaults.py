"""The default follow-up configuration a hospital gets on first use (DESIGN §5.3 and seed 003 篇4).

The admission interview within 24 hours of admission, a mid-stay talk two hours before a special
examination or medication, the pre-discharge interview at discharge and the doctor's or nurse's call
within 7 days of it; tier A called within 3 days and again at 30 days and never closed automatically, tier
B within 7 days, tier C within 30 days. ``services.defaults`` writes these rows; texts are translated when
it calls these functions, so they are stored in the site's language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from carebridge.core.deadlines import Unit
from carebridge.followup.choices import (
    Anchor,
    MedicationFlag,
    OwnerRule,
    ScriptTopic,
    TierCode,
    TouchpointKind,
)

# (code, rank, windows as (amount, unit), auto-close days after the last due date; None = never)
TIERS: tuple[tuple[str, int, tuple[tuple[int, str], ...], int | None], ...] = (
    (TierCode.A, 1, ((3, Unit.CALENDAR_DAYS), (30, Unit.CALENDAR_DAYS)), None),
    (TierCode.B, 2, ((7, Unit.CALENDAR_DAYS),), 14),
    (TierCode.C, 3, ((30, Unit.CALENDAR_DAYS),), 30),
)


def tier_texts() -> dict[str, tuple[str, str]]:
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


def rule_rows() -> list[dict]:
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


def template_rows() -> list[dict]:
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


def script_rows() -> list[dict]:
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
