"""Plans 18 months of survey waves, invitations and responses for the demo hospital (no database).

``loader`` reads the registry (encounters, patients, staff) into the plain :class:`Contact` and
:class:`Colleague` records, and this module turns them into :class:`WavePlan` objects month by month,
following the survey rules of DESIGN §5.4 the way the wave and answering services apply them:

* one wave per library instrument and month (the instruments are used directly, not copied: the library
  versions are immutable and shared, so the demo's results compare with any hospital using them);
* populations: inpatients discharged in the month (census), outpatients and emergency patients seen in
  the month (split at random between the outpatient survey, the CSI and the one-question
  recommendation survey), checkup customers (census), and a random third of the clinical staff
  (anonymous pulse survey, so everyone is asked once a quarter);
* exclusions counted per wave and reason: no survey consent, deceased, still in treatment, surveyed in
  the last 30 days, not drawn in the sample;
* invitations no earlier than 48 h after discharge, outside quiet hours, valid 14 days, SMS reminders
  on days 3 and 7; channel SMS (web self-completion) or phone (interview by an agent), with response
  rates and non-response patterns from :mod:`latent`;
* answers drawn from :mod:`latent`, cleaned with ``instruments.clean_answers`` and scored with
  ``instruments.score``, adjusters as ``services.responses.adjusters_for`` captures them.

Deterministic: everything is drawn from one ``numpy`` generator seeded by the caller, and the input
records are in a fixed order.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.utils import timezone

from carebridge.surveys.choices import (
    SCORED_TYPES,
    ExclusionReason,
    InvitationStatus,
    ResponseMode,
    WaveStatus,
)
from carebridge.surveys.demo import latent
from carebridge.surveys.demo.comments import pick_comment
from carebridge.surveys.domain import instruments

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTHS = 18
VALID_DAYS = 14
REMINDER_DAYS = (3, 7)
MIN_DAYS_BETWEEN_SURVEYS = 30
STAFF_RESPONSE_RATE = 0.55
# The pre-discharge survey (出院前满意度调查, seed 篇4): on these departments' wards the project manager
# hands the inpatient questionnaire on paper to the patients discharged on a working day and collects it
# before they leave; most fill it in. Weekend discharges get the post-discharge survey (SMS, phone), so
# each ward has answers of both kinds and the mode effect can be told from the ward's own. Answers given
# on the ward are kinder (latent.MODE_EFFECTS["paper"]), which the report's mode adjustment takes out.
# Patients surveyed on the ward are not surveyed again within 30 days.
PRE_DISCHARGE_DEPARTMENTS: frozenset[str] = frozenset({"CARD", "ORTH", "GSUR", "ONCO", "NEUR"})
PRE_DISCHARGE_RESPONSE_RATE = 0.88
PRE_DISCHARGE_LABEL = "（出院前）"
# How the month's outpatients are shared between the three waves that draw on them (sample fractions).
# The inpatient questionnaire's come-back item (篇4: "会再次到本科室就诊"), drawn around the answer to
# "recommend" from a generator of its own (``SurveyPlanner.come_back_rng``).
COME_BACK_STREAM = 4
COME_BACK_LIFT = 0.3
COME_BACK_NOISE = 1.0
OUTPATIENT_SAMPLES: tuple[tuple[str, float], ...] = (
    ("outpatient-experience", 0.40),
    ("csi", 0.50),
    ("recommendation", 0.50),
)


@dataclass(frozen=True)
class Contact:
    """An encounter of a patient, with what the survey rules need to know about the patient."""

    encounter_id: int
    patient_id: int
    kind: str  # outpatient, emergency, inpatient, checkup
    department: str
    ward: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    birth_date: dt.date
    sex: str
    survey_consent: bool
    deceased: bool
    phone: str


@dataclass(frozen=True)
class Colleague:
    """A member of the clinical staff (the staff survey's population)."""

    staff_id: int
    department: str
    job: str  # doctor, nurse, …


@dataclass
class ResponsePlan:
    mode: str
    language: str
    started_at: dt.datetime | None
    submitted_at: dt.datetime
    duration_seconds: int | None
    answers: dict[str, Any]
    score: float | None
    dimension_scores: dict[str, float]
    adjusters: dict[str, Any]
    by_agent: bool


@dataclass
class InvitationPlan:
    token: str
    channel: str
    department: str
    ward: str
    send_after: dt.datetime
    expires_at: dt.datetime
    contact: Contact | None = None
    colleague: Colleague | None = None
    status: str = InvitationStatus.PENDING
    sent_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    reminders: list[dt.datetime] = field(default_factory=list)
    delivery_failed: bool = False
    transitions: list[tuple[dt.datetime, str, str, str]] = field(default_factory=list)
    response: ResponsePlan | None = None


@dataclass
class WavePlan:
    instrument: str
    population: str
    sampling: str
    period_start: dt.date
    period_end: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    anonymous: bool
    channels: list[str]
    status: str
    sample_size: int | None = None
    label: str = ""  # added to the wave's name (the pre-discharge wave of an instrument)
    invitations: list[InvitationPlan] = field(default_factory=list)
    # (patient id or staff id, reason)
    exclusions: list[tuple[int, str]] = field(default_factory=list)


def months_back(as_of: dt.date, count: int = MONTHS) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of the ``count`` calendar months ending with ``as_of``'s month."""
    first = as_of.replace(day=1)
    periods = []
    for _ in range(count):
        following = (first + dt.timedelta(days=32)).replace(day=1)
        periods.append((first, following - dt.timedelta(days=1)))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return periods[::-1]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


class SurveyPlanner:
    """Plans every wave of the 18 months; ``now`` is the demo's present (as-of day, 18:00, or the real
    time when that is earlier: a response dated after the real now makes the complaint desk refuse its
    recovery case, "the time of receipt is in the future" — issue 18 item 6)."""

    def __init__(
        self,
        *,
        seed: int,
        as_of: dt.date,
        definitions: Mapping[str, Mapping[str, Any]],
        contacts: Sequence[Contact],
        colleagues: Sequence[Colleague],
    ) -> None:
        self.rng = np.random.default_rng(seed)
        # The come-back question (unscored, added after the rest) draws from a stream of its own, so the
        # answers, samples and comments drawn from ``rng`` stay what they were before it was asked.
        self.come_back_rng = np.random.default_rng([seed, COME_BACK_STREAM])
        self.as_of = as_of
        self.now = min(_at(as_of, 18), timezone.now())
        self.definitions = definitions
        self.contacts = contacts
        self.colleagues = colleagues
        self.models = {code: self._factor_model(code, d) for code, d in definitions.items() if code != "csi"}
        self.codes = {
            code: {spec.code for spec in instruments.iter_items(d)} for code, d in definitions.items()
        }
        self.last_surveyed: dict[int, dt.datetime] = {}
        self.in_hospital: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        for contact in contacts:
            if contact.kind == "inpatient":
                self.in_hospital[contact.patient_id].append(
                    (contact.started_at, contact.ended_at or self.now + dt.timedelta(days=365))
                )

    @staticmethod
    def _factor_model(code: str, definition: Mapping[str, Any]) -> latent.FactorModel:
        rows = [
            (spec.code, spec.dimension, spec.item_type, spec.reverse, spec.allows_na)
            for spec in instruments.iter_items(definition)
            if spec.scored and spec.item_type in SCORED_TYPES
        ]
        return latent.FactorModel.from_items(code, rows)

    # --- the months ------------------------------------------------------------------------------

    def plan(self) -> Iterator[WavePlan]:
        for start, end in months_back(self.as_of):
            month = [
                c for c in self.contacts if c.ended_at is not None and start <= _local(c.ended_at) <= end
            ]
            yield from self._pre_discharge_wave(start, end, month)
            yield from self._patient_wave(
                "inpatient-experience", "inpatients_discharged", start, end, month, 1.0
            )
            yield from self._patient_wave("checkup-experience", "checkup_customers", start, end, month, 1.0)
            outpatients = [c for c in month if c.kind in ("outpatient", "emergency")]
            for code, fraction in OUTPATIENT_SAMPLES:
                yield from self._patient_wave(code, "outpatients", start, end, outpatients, fraction)
            yield from self._staff_wave(start, end)

    def _wave(
        self, code: str, population: str, start: dt.date, end: dt.date, *, anonymous: bool = False
    ) -> WavePlan:
        opens = _at(start, 8)
        # Open until the month's last invitations (sent two days after discharge) have expired.
        closes = _at(end + dt.timedelta(days=3 + VALID_DAYS), 23, 59)
        return WavePlan(
            instrument=code,
            population=population,
            sampling="census",
            period_start=start,
            period_end=end,
            opens_at=opens,
            closes_at=closes,
            anonymous=anonymous,
            channels=["link"] if anonymous else ["sms", "phone"],
            status=WaveStatus.CLOSED if closes <= self.now else WaveStatus.OPEN,
        )

    def _patient_wave(  # noqa: PLR0917 - the month's population, in the order plan() builds it
        self,
        code: str,
        population: str,
        start: dt.date,
        end: dt.date,
        month: Sequence[Contact],
        fraction: float,
    ) -> Iterator[WavePlan]:
        if code not in self.definitions or _at(start, 8) > self.now:
            return
        kinds = {"inpatients_discharged": ("inpatient",), "checkup_customers": ("checkup",)}.get(
            population, ("outpatient", "emergency")
        )
        wave = self._wave(code, population, start, end)
        eligible: list[tuple[Contact, dt.datetime]] = []
        seen: set[int] = set()
        for contact in month:
            if contact.kind not in kinds or contact.patient_id in seen:
                continue
            seen.add(contact.patient_id)
            send_after = _send_after(contact.ended_at or contact.started_at)
            reason = self._exclusion(contact, send_after)
            if reason:
                wave.exclusions.append((contact.patient_id, reason))
            else:
                eligible.append((contact, send_after))
        if fraction < 1.0:
            wave.sampling = "simple_random"
            wave.sample_size = round(len(eligible) * fraction)
            drawn = set(self.rng.choice(len(eligible), size=wave.sample_size, replace=False).tolist())
            wave.exclusions.extend(
                (c.patient_id, ExclusionReason.NOT_SAMPLED)
                for i, (c, _) in enumerate(eligible)
                if i not in drawn
            )
            eligible = [row for i, row in enumerate(eligible) if i in drawn]
        for contact, send_after in eligible:
            self.last_surveyed[contact.patient_id] = send_after
            wave.invitations.append(self._invitation(contact, send_after))
        self._answer(wave)
        yield wave

    def _pre_discharge_wave(
        self, start: dt.date, end: dt.date, month: Sequence[Contact]
    ) -> Iterator[WavePlan]:
        """The month's pre-discharge wave: the inpatient questionnaire on paper, handed out on the ward on
        the day of discharge (a working day) in :data:`PRE_DISCHARGE_DEPARTMENTS`."""
        code = "inpatient-experience"
        if code not in self.definitions or _at(start, 8) > self.now:
            return
        wave = self._wave(code, "inpatients_discharged", start, end)
        wave.channels, wave.label = ["paper"], PRE_DISCHARGE_LABEL
        wave.closes_at = _at(end + dt.timedelta(days=1), 23, 59)
        wave.status = WaveStatus.CLOSED if wave.closes_at <= self.now else WaveStatus.OPEN
        seen: set[int] = set()
        for contact in month:
            if (
                contact.kind != "inpatient"
                or contact.department not in PRE_DISCHARGE_DEPARTMENTS
                or contact.ended_at is None
                or _local(contact.ended_at).weekday() >= 5
                or contact.patient_id in seen
            ):
                continue
            seen.add(contact.patient_id)
            # Handed out two to five hours before the patient leaves.
            handed = contact.ended_at - dt.timedelta(minutes=int(self.rng.integers(120, 300)))
            reason = self._exclusion(contact, handed, on_ward=True)
            if reason:
                wave.exclusions.append((contact.patient_id, reason))
                continue
            self.last_surveyed[contact.patient_id] = handed
            wave.invitations.append(self._paper_invitation(contact, handed))
        self._answer(wave)
        yield wave

    def _paper_invitation(self, contact: Contact, handed: dt.datetime) -> InvitationPlan:
        """A questionnaire handed out on the ward, returned (most) or not before the patient leaves."""
        rng, now = self.rng, self.now
        leaves = contact.ended_at or handed + dt.timedelta(hours=3)
        invitation = InvitationPlan(
            token=self._token(),
            channel="paper",
            department=contact.department,
            ward=contact.ward,
            send_after=handed,
            expires_at=leaves,
            contact=contact,
        )
        if handed > now:
            return invitation
        invitation.sent_at = handed
        invitation.transitions.append((handed, InvitationStatus.PENDING, InvitationStatus.SENT, "handed out"))
        invitation.status = InvitationStatus.SENT
        if rng.random() < PRE_DISCHARGE_RESPONSE_RATE:
            started = handed + dt.timedelta(minutes=int(rng.integers(5, 60)))
            duration = int(rng.integers(240, 900))
            submitted = started + dt.timedelta(seconds=duration)
            if submitted <= now and submitted < leaves:
                invitation.response = ResponsePlan(
                    mode=ResponseMode.PAPER,
                    language="zh-hans",
                    started_at=started,
                    submitted_at=submitted,
                    duration_seconds=duration,
                    answers={},
                    score=None,
                    dimension_scores={},
                    adjusters={},
                    by_agent=False,
                )
                return invitation
        if leaves <= now:
            self._move(invitation, leaves, InvitationStatus.EXPIRED, "not returned before discharge")
        return invitation

    def _exclusion(self, contact: Contact, send_after: dt.datetime, *, on_ward: bool = False) -> str:
        """Why ``contact`` is not surveyed, or "". On the ward (pre-discharge, on paper) the patient is
        in treatment by design and needs no phone."""
        if not contact.survey_consent:
            return ExclusionReason.NO_SURVEY_CONSENT
        if contact.deceased:
            return ExclusionReason.DECEASED
        if not contact.phone and not on_ward:
            return ExclusionReason.NO_CONTACT_ROUTE
        if not on_ward and any(
            begin <= send_after < end for begin, end in self.in_hospital.get(contact.patient_id, ())
        ):
            return ExclusionReason.IN_TREATMENT
        last = self.last_surveyed.get(contact.patient_id)
        if last is not None and (send_after - last).days < MIN_DAYS_BETWEEN_SURVEYS:
            return ExclusionReason.RECENTLY_SURVEYED
        return ""

    def _token(self) -> str:
        return base64.urlsafe_b64encode(self.rng.bytes(32)).decode("ascii").rstrip("=")

    # --- one invitation's life ---------------------------------------------------------------------

    def _invitation(self, contact: Contact, send_after: dt.datetime) -> InvitationPlan:
        band = latent.age_band_of(_age(contact.birth_date, send_after.date()))
        channel = latent.draw_channel(band, self.rng)
        invitation = InvitationPlan(
            token=self._token(),
            channel=channel,
            department=contact.department,
            ward=contact.ward,
            send_after=send_after,
            expires_at=send_after + dt.timedelta(days=VALID_DAYS),
            contact=contact,
        )
        self._life(invitation, latent.response_probability(channel, band))
        return invitation

    def _life(self, invitation: InvitationPlan, propensity: float) -> None:
        """Sending, opening, reminders, completion or expiry — only what happened before ``now``."""
        rng, now = self.rng, self.now
        if invitation.send_after > now:
            return
        sent = invitation.send_after + dt.timedelta(minutes=int(rng.integers(0, 90)))
        invitation.sent_at = min(sent, now)
        invitation.transitions.append(
            (invitation.sent_at, InvitationStatus.PENDING, InvitationStatus.SENT, "sent")
        )
        invitation.status = InvitationStatus.SENT
        phone = invitation.channel == "phone"
        if not phone and rng.random() < 0.02:
            invitation.delivery_failed = True
            invitation.status = InvitationStatus.FAILED
            invitation.transitions.append(
                (invitation.sent_at, InvitationStatus.SENT, InvitationStatus.FAILED, "gateway")
            )
        responds = not invitation.delivery_failed and rng.random() < propensity
        if phone:
            # Agents call on working hours of days 1–5; a reached patient answers on the call.
            day = invitation.sent_at.date() + dt.timedelta(days=int(rng.integers(1, 6)))
            answered_at = _at(day, int(rng.integers(9, 17)), int(rng.integers(0, 60)))
        else:
            # Web: most answer within a day or after a reminder; opening without finishing is common.
            delay = dt.timedelta(hours=float(rng.exponential(30.0)))
            answered_at = invitation.sent_at + min(delay, dt.timedelta(days=VALID_DAYS - 1))
            opens_only = not responds and not invitation.delivery_failed and rng.random() < 0.25
            if responds or opens_only:
                # Opened a few minutes before answering, but never before the SMS was sent (a quick
                # answer would otherwise be opened before it was sent).
                opened = max(answered_at - dt.timedelta(minutes=int(rng.integers(6, 20))), invitation.sent_at)
                if opened <= now:
                    self._move(invitation, opened, InvitationStatus.OPENED, "link opened")
                    invitation.opened_at = opened
        if not phone and not invitation.delivery_failed:
            last = answered_at if responds else invitation.expires_at
            invitation.reminders = [
                moment
                for days in REMINDER_DAYS
                if (moment := invitation.sent_at + dt.timedelta(days=days)) < last and moment <= now
            ]
        if responds and answered_at <= now:
            duration = int(rng.integers(300, 900)) if phone else int(rng.integers(180, 1100))
            started = answered_at if phone else (invitation.opened_at or answered_at)
            submitted = started + dt.timedelta(seconds=duration)
            if submitted <= now and submitted < invitation.expires_at:
                invitation.response = ResponsePlan(
                    mode=ResponseMode.PHONE if phone else ResponseMode.WEB,
                    language="en" if rng.random() < 0.01 else "zh-hans",
                    started_at=started,
                    submitted_at=submitted,
                    duration_seconds=duration,
                    answers={},
                    score=None,
                    dimension_scores={},
                    adjusters={},
                    by_agent=phone,
                )
                return
        if invitation.expires_at <= now:
            self._move(invitation, invitation.expires_at, InvitationStatus.EXPIRED, "expired")

    def _move(self, invitation: InvitationPlan, at: dt.datetime, to: str, note: str) -> None:
        # A history never goes back in time: an anonymous completion keeps only its day (00:00), which can
        # come before that day's sending or opening; its row is then written at the latest earlier move.
        if invitation.transitions:
            at = max(at, invitation.transitions[-1][0])
        invitation.transitions.append((at, invitation.status, to, note))
        invitation.status = to

    # --- answers -------------------------------------------------------------------------------------

    def _answer(self, wave: WavePlan) -> None:
        """Draw the answers of every invitation that led to a response, as one batch from the model."""
        answered = [inv for inv in wave.invitations if inv.response is not None]
        if not answered:
            return
        definition = self.definitions[wave.instrument]
        profiles = [self._profile(inv) for inv in answered]
        if wave.instrument == "csi":
            _, drawn = latent.simulate_csi(len(answered), self.rng)
        else:
            model = self.models[wave.instrument]
            shifts = latent.model_shifts(model, [p["shift"] for p in profiles])
            _, drawn = model.simulate(shifts, self.rng)
        for row, (invitation, profile) in enumerate(zip(answered, profiles, strict=True)):
            raw: dict[str, Any] = {
                code: ("na" if int(v[row]) < 0 else int(v[row])) for code, v in drawn.items()
            }
            raw.update(profile["about"])
            if "med0" in self.codes[wave.instrument]:
                raw["med0"] = str(self.rng.choice(["yes", "no", "unsure"], p=[0.65, 0.28, 0.07]))
            if "come_back" in self.codes[wave.instrument] and isinstance(raw.get("recommend"), int):
                raw["come_back"] = self._come_back(raw["recommend"])
            self._complete(wave, invitation, definition, raw)

    def _come_back(self, recommend: int) -> int:
        """Would come back (0–10): close to the recommendation, a little more forgiving (a patient who would
        not recommend the department to others may still return to doctors who know them)."""
        value = recommend + COME_BACK_LIFT + self.come_back_rng.normal(0.0, COME_BACK_NOISE)
        return int(min(10, max(0, round(value))))

    def _profile(self, invitation: InvitationPlan) -> dict[str, Any]:
        """The latent-shift keywords and the "about you" answers of one respondent."""
        response, colleague, contact = invitation.response, invitation.colleague, invitation.contact
        if colleague is not None:
            return {
                "shift": {"department": colleague.department, "staff": True},
                "about": {"job": colleague.job},
            }
        if contact is None or response is None:
            raise ValueError("a patient response needs its contact")
        age = _age(contact.birth_date, response.submitted_at.date())
        srh = latent.draw_srh(age, contact.department, self.rng)
        shift = {
            "department": contact.department,
            "ward": contact.ward,
            "mode": response.mode,
            "age_band": latent.age_band_of(age),
            "srh": srh,
        }
        about: dict[str, Any] = {"srh": srh, "edu": latent.draw_education(age, self.rng)}
        if age < 18:
            about["proxy"] = "family"
        elif age >= 75:
            about["proxy"] = "helped" if self.rng.random() < 0.5 else "family"
        else:
            about["proxy"] = "self"
        return {"shift": shift, "about": about}

    def _complete(
        self, wave: WavePlan, invitation: InvitationPlan, definition: Mapping[str, Any], raw: dict[str, Any]
    ) -> None:
        response = invitation.response
        if response is None:
            return
        codes = self.codes[wave.instrument]
        raw = {code: value for code, value in raw.items() if code in codes}
        answers, errors = instruments.clean_answers(definition, raw)
        if errors:  # the library changed under the demo: fail loudly rather than store bad data
            raise ValueError(f"{wave.instrument}: generated answers rejected: {errors}")
        overall, dimensions = instruments.score(definition, answers)
        text_code = next((c for c in ("comment", "reason") if c in codes), "")
        if text_code:
            comment = pick_comment(self.rng, overall=overall, dimension_scores=dimensions)
            if comment:
                answers[text_code] = comment
        response.answers, response.score, response.dimension_scores = answers, overall, dimensions
        response.adjusters = _adjusters(invitation, answers, anonymous=wave.anonymous)
        completed_at = response.submitted_at
        if wave.anonymous:
            completed_at = _start_of_day(response.submitted_at)
            response.started_at = None
            response.submitted_at = completed_at
        invitation.completed_at = completed_at
        self._move(invitation, completed_at, InvitationStatus.COMPLETED, response.mode)

    # --- the staff pulse survey ------------------------------------------------------------------------

    def _staff_wave(self, start: dt.date, end: dt.date) -> Iterator[WavePlan]:
        code = "staff-satisfaction"
        if code not in self.definitions or not self.colleagues or _at(start, 8) > self.now:
            return
        wave = self._wave(code, "staff", start, end, anonymous=True)
        wave.sampling = "simple_random"
        month_index = start.year * 12 + start.month
        # A fixed rotation: each colleague is in one of three groups, asked once a quarter.
        drawn = [c for i, c in enumerate(self.colleagues) if (i + month_index) % 3 == 0]
        wave.sample_size = len(drawn)
        wave.exclusions = [
            (c.staff_id, ExclusionReason.NOT_SAMPLED)
            for i, c in enumerate(self.colleagues)
            if (i + month_index) % 3
        ]
        send = _at(start + dt.timedelta(days=int(self.rng.integers(2, 6))), 10)
        for colleague in drawn:
            invitation = InvitationPlan(
                token=self._token(),
                channel="link",
                department=colleague.department,
                ward="",
                send_after=send,
                expires_at=send + dt.timedelta(days=VALID_DAYS),
                colleague=colleague,
            )
            self._life(invitation, STAFF_RESPONSE_RATE)
            wave.invitations.append(invitation)
        self._answer(wave)
        yield wave


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def _start_of_day(moment: dt.datetime) -> dt.datetime:
    local = moment.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _send_after(ended: dt.datetime) -> dt.datetime:
    """48 hours after discharge (or the visit), moved out of the quiet hours 21:00–08:00 to 09:00."""
    moment = ended.astimezone(SHANGHAI) + dt.timedelta(hours=48)
    if moment.hour >= 21:
        return _at(moment.date() + dt.timedelta(days=1), 9)
    if moment.hour < 8:
        return _at(moment.date(), 9)
    return moment


def _adjusters(invitation: InvitationPlan, answers: Mapping[str, Any], *, anonymous: bool) -> dict[str, Any]:
    """What ``services.responses.adjusters_for`` captures at submission."""
    response = invitation.response
    values: dict[str, Any] = {}
    if response is None:
        return values
    if invitation.department:
        values["service_line"] = invitation.department
    contact = invitation.contact
    submitted = _local(response.submitted_at)
    if contact is not None and not anonymous:
        values["age_band"] = latent.age_band_of(_age(contact.birth_date, submitted))
        values["sex"] = contact.sex
        if contact.ended_at is not None:
            values["lag_days"] = (submitted - _local(contact.ended_at)).days
    for code in ("srh", "edu"):
        if code in answers and answers[code] != instruments.NOT_APPLICABLE:
            values[code] = answers[code]
    return values
