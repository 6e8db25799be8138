"""The demo's call histories: the attempts of each call under the hospital's redial rules and escalation chain
(phone → SMS or WeChat → home visit or letter → lost, 失访), as events applied once every call of a plan is
known. About 65% of calls reach someone at the first attempt (rising over the 18 months), the rest are
redialled within calling hours, some go to SMS, a few to home visits or letters, about 3% end lost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    CallOutcome,
    ContactChannel,
    EscalationStep,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.demo.profiles import FAILED_NOTES, ISSUES
from carebridge.followup.demo.rows import Call, DemoRows, Stay
from carebridge.followup.domain.calling import next_calling_time, next_day_calling_start
from carebridge.followup.models import CallAttempt, Touchpoint


class CallHistories(DemoRows):
    """The history of every call of a stay, from its first attempt to its close."""

    # --- a call's history ------------------------------------------------------------------------

    def _simulate(self, call: Call, here: Stay) -> None:
        """The attempts of one call under the policy's rules, as events (applied later)."""
        rng, setup, profile = self.rng, here.setup, here.profile
        touchpoint = call.touchpoint
        assert touchpoint.due_at is not None and touchpoint.available_at is not None  # noqa: S101
        is_centre = touchpoint.kind == TouchpointKind.FOLLOW_UP_CALL
        if is_centre and touchpoint.tier in ("B", "C") and rng.random() < profile.forgotten:
            auto_close = setup.tiers[touchpoint.tier].auto_close_after_days or 0
            expire_at = touchpoint.due_at + dt.timedelta(days=auto_close, hours=2)
            if expire_at <= self.now:
                reason = f"窗口期后{auto_close}天仍未完成，自动关闭。"
                call.events.append(("move", expire_at, TouchpointStatus.EXPIRED, None, reason, None))
            return
        if not here.phones:
            call.events.append(("route", touchpoint.available_at, "无电话号码：家访或信函。"))
            self._visit(call, here, touchpoint.available_at + dt.timedelta(days=rng.uniform(2, 10)))
            return
        window = max(dt.timedelta(hours=6), touchpoint.due_at - touchpoint.available_at)
        if rng.random() < profile.late * (1.3 - 0.6 * self._progress(touchpoint.due_at)):
            start = touchpoint.due_at + dt.timedelta(hours=rng.uniform(6, 96))
        else:
            start = touchpoint.available_at + window * rng.uniform(0.02, 0.7)
        at = next_calling_time(after=start, policy=setup.policy, zone=setup.zone)
        self._phone(call, here, at, self.agent if is_centre else None)

    def _draw(self, here: Stay, p: float) -> str:
        rng = self.rng
        if rng.random() < (0.0 if here.unreachable else p):
            return CallOutcome.REFUSED if rng.random() < 0.02 else CallOutcome.REACHED
        roll = rng.random()
        if roll < 0.04 and not here.unreachable:
            return CallOutcome.WRONG_NUMBER
        return CallOutcome.BUSY if roll < 0.22 else CallOutcome.NO_ANSWER

    def _phone(self, call: Call, here: Stay, at: dt.datetime, agent: Any) -> None:
        """Phone attempts: redials within calling hours, at most so many a day, then the next step."""
        policy, zone, phones = here.setup.policy, here.setup.zone, here.phones
        assert call.touchpoint.due_at is not None  # noqa: S101
        first_p = min(0.9, here.profile.reach_first + 0.08 * self._progress(call.touchpoint.due_at) - 0.04)
        unanswered, wrong = 0, 0
        day_counts: dict[dt.date, int] = defaultdict(int)
        while at <= self.now:
            outcome = self._draw(here, first_p if unanswered + wrong == 0 else here.profile.reach_retry)
            phone = phones[wrong % len(phones)]
            call.events.append(
                ("attempt", at, ContactChannel.PHONE, outcome, EscalationStep.PHONE, agent, phone.pk)
            )
            if outcome in (CallOutcome.REACHED, CallOutcome.REFUSED):
                done = outcome == CallOutcome.REACHED
                status = TouchpointStatus.DONE if done else TouchpointStatus.REFUSED
                call.events.append(
                    ("move", at, status, None, "已接通" if done else "家属表示不需要回访。", agent)
                )
                return
            if unanswered + wrong == 0:
                call.events.append(("move", at, TouchpointStatus.IN_PROGRESS, None, "", agent))
            if outcome == CallOutcome.WRONG_NUMBER:
                wrong += 1
                if wrong >= len(phones):
                    step = EscalationStep.VISIT_OR_LETTER
                    call.events.append(("escalate", at, step, "无可用电话号码。", agent))
                    self._visit(call, here, at + dt.timedelta(days=self.rng.uniform(2, 10)))
                    return
                at = next_calling_time(after=at + dt.timedelta(minutes=5), policy=policy, zone=zone)
                continue
            unanswered += 1
            if unanswered >= policy.phone_attempts_before_message:
                reason = f"{unanswered}次电话未接通。"
                call.events.append(("escalate", at, EscalationStep.MESSAGE, reason, agent))
                self._message(call, here, at)
                return
            day_counts[at.astimezone(here.setup.tz).date()] += 1
            if day_counts[at.astimezone(here.setup.tz).date()] >= policy.max_attempts_per_day:
                at = next_day_calling_start(after=at, policy=policy, zone=zone)
            else:
                minutes = policy.busy_retry_minutes if outcome == CallOutcome.BUSY else policy.retry_minutes
                at = next_calling_time(after=at + dt.timedelta(minutes=minutes), policy=policy, zone=zone)
        call.events.append(("available", at))

    def _message(self, call: Call, here: Stay, at: dt.datetime) -> None:
        """The SMS or WeChat message; a reply within the wait reaches the patient, else a visit or letter."""
        rng, policy, phone = self.rng, here.setup.policy, here.phones[0]
        channel = ContactChannel.WECHAT if policy.message_channel == "wechat" else ContactChannel.SMS
        call.events.append(("attempt", at, channel, CallOutcome.SENT, EscalationStep.MESSAGE, None, phone.pk))
        wait = dt.timedelta(hours=policy.message_wait_hours)
        if rng.random() < (0.1 if here.unreachable else 0.35):
            reply = at + wait * rng.uniform(0.05, 0.9)
            if reply > self.now:
                call.events.append(("available", at + wait))
                return
            step = EscalationStep.MESSAGE
            call.events.append(("attempt", reply, channel, CallOutcome.REACHED, step, self.agent, phone.pk))
            call.events.append(
                ("move", reply, TouchpointStatus.DONE, None, "短信回复，已联系上。", self.agent)
            )
            return
        if at + wait > self.now:
            call.events.append(("available", at + wait))
            return
        call.events.append(("escalate", at + wait, EscalationStep.VISIT_OR_LETTER, "短信未回复。", None))
        self._visit(call, here, at + wait + dt.timedelta(days=rng.uniform(1, 12)))

    def _visit(self, call: Call, here: Stay, at: dt.datetime) -> None:
        """The project manager's home visit or letter: reached, or the patient is lost (失访)."""
        rng, owner_user, unreachable = self.rng, here.owner_user, here.unreachable
        if at > self.now:
            return
        channel = ContactChannel.HOME_VISIT if rng.random() < 0.4 else ContactChannel.LETTER
        if rng.random() < (0.45 if unreachable else 0.7):
            call.events.append(
                (
                    "attempt",
                    at,
                    channel,
                    CallOutcome.REACHED,
                    EscalationStep.VISIT_OR_LETTER,
                    owner_user,
                    None,
                )
            )
            call.events.append(("move", at, TouchpointStatus.DONE, None, "家访/信函已联系上。", owner_user))
            return
        note = rng.choice(FAILED_NOTES)
        call.events.append(
            (
                "attempt",
                at,
                channel,
                CallOutcome.FAILED,
                EscalationStep.VISIT_OR_LETTER,
                owner_user,
                None,
                note,
            )
        )
        call.events.append(("move", at, TouchpointStatus.LOST, EscalationStep.LOST, note, owner_user))
        call.lost_at = at

    def _settle_lost(self, calls: list[Call]) -> None:
        """Apply the events; a call lost cancels the plan's other calls still open at that moment."""
        lost = [c.lost_at for c in calls if c.lost_at is not None]
        first_lost = min(lost) if lost else None
        for call in calls:
            events = call.events
            if first_lost is not None and call.lost_at != first_lost:
                events = [e for e in events if e[1] < first_lost]
            self._apply(call.touchpoint, events)
            if (
                first_lost is not None
                and call.lost_at != first_lost
                and call.touchpoint.status in OPEN_TOUCHPOINT
            ):
                self._move(call.touchpoint, TouchpointStatus.CANCELLED, first_lost, reason="患者失访。")

    def _apply(self, touchpoint: Touchpoint, events: Iterable[tuple[Any, ...]]) -> None:
        plan = touchpoint.plan
        assert plan is not None  # noqa: S101 - the demo's calls are those of its stays
        for event in events:
            kind = event[0]
            if kind == "escalate":
                _, at, step, reason, actor = event
                if step == EscalationStep.VISIT_OR_LETTER:
                    touchpoint.owner = touchpoint.owner or plan.owner
                    touchpoint.available_at = at
                status = (
                    TouchpointStatus.IN_PROGRESS
                    if touchpoint.status == TouchpointStatus.SCHEDULED
                    else touchpoint.status
                )
                self._move(touchpoint, status, at, actor=actor, reason=reason, step=step)
            elif kind == "route":  # no phone number: straight to the project manager's visit or letter
                _, at, reason = event
                touchpoint.owner = plan.owner
                self._move(
                    touchpoint,
                    TouchpointStatus.SCHEDULED,
                    at,
                    reason=reason,
                    step=EscalationStep.VISIT_OR_LETTER,
                )
            elif kind == "available":
                touchpoint.available_at = event[1]
            elif kind == "move":
                _, at, to, step, reason, actor = event
                self._move(touchpoint, to, at, actor=actor, reason=reason, step=step)
            elif kind == "attempt":
                at, channel, outcome, step, agent, phone_id = event[1:7]
                notes = event[7] if len(event) > 7 else ""
                attempt = CallAttempt(
                    touchpoint=touchpoint,
                    at=at,
                    agent=agent,
                    channel=channel,
                    step=step,
                    outcome=outcome,
                    phone_id=phone_id if channel == ContactChannel.PHONE else None,
                    notes=notes,
                )
                if channel == ContactChannel.PHONE and outcome == CallOutcome.REACHED and agent is not None:
                    self.call_number += 1
                    attempt.call_id = f"demo-{plan.hospital.code}-{self.call_number:07d}"
                    attempt.recording_url = f"http://pbx.intranet/recordings/{attempt.call_id}.wav"
                    attempt.duration_seconds = self.rng.randint(60, 420)
                    attempt.answers = {"health_status": "恢复良好", "medication": "按时服药"}
                    if self.rng.random() < 0.05:
                        self.issues.append((attempt, self.rng.choice(ISSUES), plan))
                self.attempts.append(attempt)
