"""Writes of the methods beyond questionnaires: record an interview or focus group, open an expert-panel
review with its items, record one expert's ratings. One transaction and one audit row each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.lib.stats.cvi import SCALE
from carebridge.surveys.models import (
    ExpertRating,
    ExpertReview,
    QualitativeSession,
    RespondentGroup,
    ReviewItem,
    SessionKind,
)


@transaction.atomic
def session_record(
    *,
    hospital: Hospital,
    kind: str,
    group: str,
    held_on: dt.date,
    title: str,
    facilitator: Staff,
    notes: str,
    participants: int = 1,
    guide: str = "",
    department: Department | None = None,
    actor: Actor | None,
) -> QualitativeSession:
    """Record a structured interview or a focus group with its notes (one point per line)."""
    errors: dict[str, list[str]] = {}
    if kind not in SessionKind.values:
        errors["kind"] = [_("Unknown value: %(value)s.") % {"value": kind}]
    if group not in RespondentGroup.values:
        errors["group"] = [_("Unknown value: %(value)s.") % {"value": group}]
    if not title.strip():
        errors["title"] = [_("Give the session a title.")]
    if not notes.strip():
        errors["notes"] = [_("Write the notes.")]
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date is in the future.")]
    if participants < 1:
        errors["participants"] = [_("At least one participant.")]
    if facilitator.hospital_id != hospital.pk or (
        department is not None and department.hospital_id != hospital.pk
    ):
        errors["facilitator"] = [_("Everyone must work at the hospital.")]
    if errors:
        raise ValidationError(errors)
    session = QualitativeSession.objects.create(
        hospital=hospital,
        department=department,
        kind=kind,
        group=group,
        held_on=held_on,
        title=title.strip()[:200],
        facilitator=facilitator,
        participants=participants,
        guide=guide.strip(),
        notes=notes.strip(),
    )
    audit_record(actor=actor, action="qualitative.record", obj=session, summary=session.title)
    return session


@transaction.atomic
def review_create(
    *,
    hospital: Hospital,
    title: str,
    items: Sequence[ReviewItem],
    held_on: dt.date,
    subject: str = "",
    actor: Actor | None,
) -> ExpertReview:
    """Open an expert-panel review of ``items`` (unique codes, each with a text)."""
    codes = [str(i.get("code", "")).strip() for i in items]
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the review a title.")]
    if not items or any(not c for c in codes) or len(set(codes)) != len(codes):
        errors["items"] = [_("Give every item its own code.")]
    if any(not str(i.get("text", "")).strip() for i in items):
        errors["items"] = [_("Give every item its text.")]
    if errors:
        raise ValidationError(errors)
    review = ExpertReview.objects.create(
        hospital=hospital,
        title=title.strip()[:200],
        subject=subject.strip()[:200],
        held_on=held_on,
        items=[ReviewItem(code=c, text=str(i["text"]).strip()) for c, i in zip(codes, items, strict=True)],
    )
    audit_record(actor=actor, action="expert_review.create", obj=review, summary=review.title)
    return review


@transaction.atomic
def review_rate(
    *, review: ExpertReview, expert: str, ratings: Mapping[str, int], expertise: str = "", actor: Actor | None
) -> ExpertRating:
    """Record one expert's relevance ratings (1–4) of every item of the review; an expert rates once."""
    codes = [i["code"] for i in review.items]
    errors: dict[str, list[str]] = {}
    if not expert.strip():
        errors["expert"] = [_("Name the expert.")]
    elif ExpertRating.objects.filter(review=review, expert=expert.strip()).exists():
        errors["expert"] = [_("This expert has already rated the items.")]
    if set(ratings) != set(codes):
        errors["ratings"] = [_("Rate every item of the review, and only those.")]
    elif any(not isinstance(v, int) or isinstance(v, bool) or v not in SCALE for v in ratings.values()):
        errors["ratings"] = [_("Each rating is 1, 2, 3 or 4.")]
    if errors:
        raise ValidationError(errors)
    rating = ExpertRating.objects.create(
        review=review,
        expert=expert.strip()[:64],
        expertise=expertise.strip()[:64],
        ratings={code: int(ratings[code]) for code in codes},
    )
    audit_record(actor=actor, action="expert_review.rate", obj=review, summary=rating.expert)
    return rating
