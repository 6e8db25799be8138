"""Writes of improvement actions: raise one from a source, move it through PDCA, check its effect, remind
the owner of a late action and escalate it once to the department head.

Every service is one transaction with an audit row; messages go out on commit (``core.messaging``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.performance.choices import ACTION_MOVES, OPEN_ACTION, ActionSource, ActionStatus
from carebridge.performance.domain.effect import effect_judge, effect_untestable
from carebridge.performance.models import ActionTransition, ImprovementAction, KpiAssignment, Objective
from carebridge.performance.selectors.effect_inputs import effect_inputs
from carebridge.performance.selectors.measures import MEASURES

ACTION_LIFECYCLE: Lifecycle[ImprovementAction] = Lifecycle(
    record=ActionTransition, subject="action", moves=ACTION_MOVES, choices=ActionStatus
)


def _now(at: dt.datetime | None) -> dt.datetime:
    return timezone.now() if at is None else require_aware(at, field="at")


@transaction.atomic
def action_create(
    *,
    department: Department,
    title: str,
    owner: Staff,
    due_date: dt.date,
    source: str,
    source_object: models.Model | None = None,
    source_label: str = "",
    plan: str = "",
    measure: str = "",
    window_days: int = 30,
    objective: Objective | None = None,
    assignment: KpiAssignment | None = None,
    actor: Actor | None,
    at: dt.datetime | None = None,
) -> ImprovementAction:
    """Raise an improvement action from ``source`` (linked to ``source_object`` when there is one).

    ``assignment`` is the scorecard KPI it should move (its objective is then the action's objective,
    and a red KPI is itself the source when no other is given); ``objective`` alone puts the action
    under an objective without a KPI.

    Bad input raises ``ValidationError`` and writes nothing."""
    when = _now(at)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Say what will be improved.")]
    if source not in ActionSource.values:
        errors["source"] = [_("Unknown value: %(value)s.") % {"value": source}]
    if owner.hospital_id != department.hospital_id:
        errors["owner"] = [_("The owner works at another hospital.")]
    if measure and measure not in MEASURES:
        errors["measure"] = [_("Unknown value: %(value)s.") % {"value": measure}]
    if not 7 <= window_days <= 366:
        errors["window_days"] = [_("The comparison window is 7 to 366 days.")]
    if due_date < timezone.localdate(when):
        errors["due_date"] = [_("The due date is in the past.")]
    if assignment is not None:
        if objective is not None and objective.pk != assignment.objective_id:
            errors["assignment"] = [_("The KPI belongs to another objective.")]
        objective = assignment.objective
    if objective is not None and objective.scorecard.hospital_id != department.hospital_id:
        errors["objective"] = [_("The objective belongs to another hospital's scorecard.")]
    if source_object is not None and source_object.pk is None:
        errors["source"] = [_("The record the action comes from is not saved.")]
    if errors:
        raise ValidationError(errors)
    action = ImprovementAction.objects.create(
        hospital=department.hospital,
        department=department,
        title=title.strip()[:200],
        plan=plan.strip(),
        owner=owner,
        due_date=due_date,
        source=source,
        source_type=ContentType.objects.get_for_model(source_object) if source_object is not None else None,
        source_id=source_object.pk if source_object is not None else None,
        source_label=(source_label or (str(source_object) if source_object is not None else "")).strip()[
            :255
        ],
        measure=measure,
        window_days=window_days,
        objective=objective,
        assignment=assignment,
    )
    transition_record(
        lifecycle=ACTION_LIFECYCLE,
        obj=action,
        from_status="",
        to_status=ActionStatus.PLAN,
        actor=actor,
        at=when,
        reason=action.get_source_display(),
    )
    audit_record(
        actor=actor,
        action="action.create",
        obj=action,
        summary=action.title,
        changes={
            "source": source,
            "department": department.pk,
            "owner": owner.pk,
            "measure": measure,
            "objective": objective.pk if objective else None,
            "kpi": assignment.kpi.code if assignment else "",
        },
    )
    return action


@transaction.atomic
def action_move(
    *,
    action: ImprovementAction,
    to: str,
    actor: Actor | None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> ImprovementAction:
    """Move an action along plan → doing → check → done/abandoned (a transition row each time).

    Starting (→ doing) stamps the start of the "after" period; closing as done needs an effect check
    when the action names a measure; abandoning needs a reason."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    when = _now(at)
    if to == ActionStatus.ABANDONED and not reason.strip():
        raise ValidationError({"reason": [_("Say why the action is abandoned.")]})
    if to == ActionStatus.DONE and (action.measure or action.assignment_id) and not action.effect:
        raise ValidationError({"to": [_("Check the effect before closing the action.")]})
    fields: list[str] = []
    if to == ActionStatus.DOING and action.started_at is None:
        action.started_at = when
        fields.append("started_at")
    if to == ActionStatus.DOING and action.status == ActionStatus.CHECK:
        # Back to work after a check without effect: the next check measures afresh.
        action.effect, action.verdict, action.checked_at = {}, "", None
        fields += ["effect", "verdict", "checked_at"]
    transition_apply(
        lifecycle=ACTION_LIFECYCLE,
        obj=action,
        to=to,
        actor=actor,
        reason=reason.strip(),
        at=when,
        update_fields=[*fields, "updated_at"],
    )
    audit_record(actor=actor, action="action.move", obj=action, summary=f"→ {to}", changes={"to": to})
    return action


@transaction.atomic
def action_effect_check(
    *, action: ImprovementAction, actor: Actor | None, at: dt.datetime | None = None
) -> ImprovementAction:
    """Measure the action's effect: its measure in the ``window_days`` before it started against the same
    length of time ending now (or ``at``), with the insights app's test and minimum n; stored on the
    action with a one-sentence verdict. An action moves to "check" first if it was still being done."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    when = _now(at)
    errors: dict[str, list[str]] = {}
    if action.status not in (ActionStatus.DOING, ActionStatus.CHECK):
        errors["status"] = [_("Only an action under way or being checked can have its effect checked.")]
    elif not action.measure and action.assignment_id is None:
        errors["measure"] = [_("The action names no KPI or measure to check.")]
    elif action.started_at is None or when - action.started_at < dt.timedelta(days=action.window_days):
        # The "after" window must lie wholly after the start, or it would measure the old state.
        errors["at"] = [
            _("Too early: the effect is measured over %(days)s days after the action started.")
            % {"days": action.window_days}
        ]
    if errors or action.started_at is None:
        raise ValidationError(errors)
    started = action.started_at
    window = dt.timedelta(days=action.window_days)
    inputs = effect_inputs(action, before=(started - window, started), after=(when - window, when))
    if inputs.before is None or inputs.after is None:
        result = effect_untestable(measure=inputs.label, reason=inputs.untestable, figures=inputs.figures)
    else:
        result = effect_judge(
            measure=inputs.label,
            before=inputs.before,
            after=inputs.after,
            higher_is_better=inputs.higher_is_better,
        )
    action.effect = {
        **result,
        "measure": action.measure,
        "kpi": action.assignment.kpi.code if action.assignment_id else "",  # type: ignore[union-attr]
        "before_window": [(started - window).isoformat(), started.isoformat()],
        "after_window": [(when - window).isoformat(), when.isoformat()],
    }
    action.verdict = result["verdict"]
    action.checked_at = when
    action.save(update_fields=["effect", "verdict", "checked_at", "updated_at"])
    if action.status == ActionStatus.DOING:
        transition_apply(
            lifecycle=ACTION_LIFECYCLE,
            obj=action,
            to=ActionStatus.CHECK,
            actor=actor,
            at=when,
            reason=result["sentence"],
        )
    audit_record(
        actor=actor,
        action="action.effect_check",
        obj=action,
        summary=result["sentence"][:200],
        changes={"verdict": result["verdict"], "p": result["p"]},
    )
    return action


def _head_of(department: Department) -> Staff | None:
    """The department head who receives an escalation: a staff member of the department whose user is
    in the ``dept_head`` role (the first by name)."""
    return (
        Staff.objects.filter(
            hospital=department.hospital_id,
            user__groups__name="dept_head",
            user__is_active=True,
        )
        .filter(models.Q(home_department=department) | models.Q(departments=department))
        .order_by("name", "id")
        .distinct()
        .first()
    )


@transaction.atomic
def actions_remind_and_escalate(
    *, today: dt.date | None = None, at: dt.datetime | None = None
) -> dict[str, int]:
    """The daily sweep (Celery beat): remind the owner of every open action due within 3 days or late
    (once a day), and escalate each action late by more than 7 days once to its department head.
    Idempotent within a day: ``reminded_on`` and ``escalated_at`` are claimed with conditional updates."""
    when = _now(at)
    today = today or timezone.localdate(when)
    counts = {"reminded": 0, "escalated": 0}
    due_soon = ImprovementAction.objects.filter(
        status__in=OPEN_ACTION, due_date__lte=today + dt.timedelta(days=3)
    ).exclude(reminded_on=today)
    for action in due_soon.select_related("owner", "department").order_by("id"):
        claimed = (
            ImprovementAction.objects.filter(pk=action.pk)
            .exclude(reminded_on=today)
            .update(reminded_on=today)
        )
        if claimed:
            counts["reminded"] += 1
            _notify(action.owner, action, late=action.due_date < today, key=f"remind-{today.isoformat()}")
    late = ImprovementAction.objects.filter(
        status__in=OPEN_ACTION, due_date__lt=today - dt.timedelta(days=7), escalated_at__isnull=True
    )
    for action in late.select_related("department", "owner").order_by("id"):
        head = _head_of(action.department)
        claimed = ImprovementAction.objects.filter(pk=action.pk, escalated_at__isnull=True).update(
            escalated_at=when, escalated_to=head
        )
        if not claimed:
            continue
        counts["escalated"] += 1
        audit_record(
            actor=None,
            action="action.escalate",
            obj=action,
            summary=_("Late improvement action escalated to the department head."),
            changes={"to": head.pk if head else None, "due_date": action.due_date.isoformat()},
        )
        if head is not None:
            _notify(head, action, late=True, key="escalate", escalation=True)
    return counts


def _notify(
    staff: Staff, action: ImprovementAction, *, late: bool, key: str, escalation: bool = False
) -> None:
    """A text message to the staff member's phone through the outbox (sent after the commit; the
    reference makes a retried sweep send nothing twice)."""
    if not staff.phone:
        return
    if escalation:
        text = _(
            'Improvement action "%(title)s" of %(department)s is late (due %(due)s): please follow it up.'
        )
    elif late:
        text = _('Your improvement action "%(title)s" is late (due %(due)s).')
    else:
        text = _('Your improvement action "%(title)s" is due on %(due)s.')
    body = text % {"title": action.title, "department": action.department.name, "due": action.due_date}
    outbox_enqueue(
        kind="improvement_action", reference=f"action-{action.pk}-{key}", to=staff.phone, text=body
    )
