"""Closing the loop (闭环): what a patient raises in a follow-up call goes where it is dealt with.

Complaints, compliments and suggestions become desk cases through ``desk.services.complaint_receive``
(channel "follow-up call"; the caller owns them, 首诉负责制); a clinical question goes to the department
as an open issue its staff answer. Either way the issue stays linked to the call attempt.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.complaints.choices import Channel, FeedbackKind, Severity
from carebridge.complaints.services.complaints import ComplaintInput, complaint_receive
from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.followup.choices import IssueKind, IssueStatus
from carebridge.followup.models import CallAttempt, CallIssue
from carebridge.followup.services.transitions import moment

_FEEDBACK_KIND: dict[str, str] = {
    IssueKind.COMPLAINT: FeedbackKind.COMPLAINT,
    IssueKind.SUGGESTION: FeedbackKind.SUGGESTION,
    IssueKind.COMPLIMENT: FeedbackKind.COMPLIMENT,
}


@transaction.atomic
def call_issue_raise(
    *,
    attempt: CallAttempt,
    actor: Any,
    kind: str,
    text: str,
    department: Department | None = None,
    category: str = "",
    severity: int = Severity.MINOR,
    at: dt.datetime | None = None,
) -> CallIssue:
    """Record what the patient raised and hand it on: a desk case, or a question for the department."""
    touchpoint = attempt.touchpoint
    when = moment(at)
    errors: dict[str, list[str]] = {}
    if kind not in IssueKind.values:
        errors["kind"] = [_("Unknown value: %(value)s.") % {"value": kind}]
    if not text.strip():
        errors["text"] = [_("Write down what the patient raised.")]
    if department is not None and department.hospital_id != touchpoint.hospital_id:
        errors["department"] = [_("The department belongs to another hospital.")]
    department = department or touchpoint.department
    if department is None and kind not in _FEEDBACK_KIND and "kind" not in errors:
        errors["department"] = [_("Choose the department the question is for.")]
    if errors:
        raise ValidationError(errors)
    complaint = None
    if kind in _FEEDBACK_KIND:
        phone = attempt.phone.number if attempt.phone else ""
        complaint = complaint_receive(
            hospital=touchpoint.hospital,
            actor=actor,
            data=ComplaintInput(
                content=text,
                channel=Channel.FOLLOWUP_CALL,
                kind=_FEEDBACK_KIND[kind],
                category=category,
                severity=severity,
                patient=touchpoint.patient,
                complainant_phone=phone,
                departments=[department] if department is not None else [],
                received_at=when,
            ),
        )
    issue = CallIssue.objects.create(
        attempt=attempt,
        kind=kind,
        text=text.strip(),
        department=department,
        complaint=complaint,
        status=IssueStatus.OPEN,
        raised_by=actor,
        raised_at=when,
    )
    audit_record(
        actor=actor,
        action="followup.issue",
        obj=issue,
        summary=f"{issue.get_kind_display()} → {complaint.reference if complaint else issue.department}",
        changes={"complaint": complaint.pk if complaint else None, "department": issue.department_id},
    )
    return issue


@transaction.atomic
def call_issue_answer(*, issue: CallIssue, actor: Actor, answer: str) -> CallIssue:
    """The department's answer to a clinical question raised in a call (the agent passes it on)."""
    if issue.complaint_id is not None:
        raise ValidationError({"issue": [_("This issue is a desk case: answer it there.")]})
    if not answer.strip():
        raise ValidationError({"answer": [_("Write the answer.")]})
    issue.answer, issue.status = answer.strip(), IssueStatus.ANSWERED
    issue.save(update_fields=["answer", "status"])
    audit_record(actor=actor, action="followup.issue_answer", obj=issue, summary=issue.text[:80])
    return issue
