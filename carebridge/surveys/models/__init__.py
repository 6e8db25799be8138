"""Satisfaction measurement (满意度测评): instruments, waves, invitations and responses.

An :class:`Instrument` has numbered :class:`InstrumentVersion` rows. A version's ``definition`` is the
whole questionnaire as JSON (dimension → indicator → item with weights at each level, texts in Chinese
and English, skip logic; the schema is in ``instruments.py``); publishing derives one :class:`Item` row
per item, and the version becomes immutable once a response points at it (its ``content_hash`` is the
SHA-256 of the canonical definition).

A :class:`Wave` applies a version to a population with sampling, timing rules and channels. Each
invitee gets one :class:`Invitation` with a random token; a token answers once. A :class:`Response`
records its mode and, unless the wave is anonymous, its invitation and person. Anonymous waves keep
no link from answer to person: the response keeps only the wave, the stratum and the department.
"""

from carebridge.surveys.models.audits import AuditRound, AuditVisit, ChecklistItem
from carebridge.surveys.models.instruments import Instrument, InstrumentVersion, Item
from carebridge.surveys.models.invitations import Invitation, InvitationTransition, Message, ResponseDraft
from carebridge.surveys.models.qualitative import (
    ExpertRating,
    ExpertReview,
    QualitativeSession,
    RespondentGroup,
    ReviewItem,
    SessionKind,
)
from carebridge.surveys.models.recovery import RecoveryCase, RecoveryTrigger
from carebridge.surveys.models.responses import Answer, ImportBatch, Response
from carebridge.surveys.models.waves import DoNotContact, Exclusion, Stratum, Wave, WaveTransition

__all__ = [
    "Answer",
    "AuditRound",
    "AuditVisit",
    "ChecklistItem",
    "DoNotContact",
    "Exclusion",
    "ExpertRating",
    "ExpertReview",
    "ImportBatch",
    "Instrument",
    "InstrumentVersion",
    "Invitation",
    "InvitationTransition",
    "Item",
    "Message",
    "QualitativeSession",
    "RecoveryCase",
    "RecoveryTrigger",
    "RespondentGroup",
    "Response",
    "ResponseDraft",
    "ReviewItem",
    "SessionKind",
    "Stratum",
    "Wave",
    "WaveTransition",
]
