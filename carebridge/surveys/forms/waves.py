"""Forms of the wave pages. They parse input into a ``WaveInput``; the services validate and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, DateTimeInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Hospital
from carebridge.core.selectors.organisation import department_list
from carebridge.core.validators import COUNT_MAX
from carebridge.lib.text import is_digits
from carebridge.surveys.choices import (
    Channel,
    PopulationKind,
    RespondentClass,
    SamplingMethod,
    VersionStatus,
    WaveStatus,
)
from carebridge.surveys.models import InstrumentVersion
from carebridge.surveys.services.waves import (
    MAX_VALID_DAYS,
    MAX_WINDOW_DAYS,
    MAX_WINDOW_HOURS,
    StratumSpec,
    WaveInput,
)

_STRATUM_LINE = re.compile(r"^(?P<key>\S+)\s+(?P<target>\d+)(?:\s+(?P<quota>\d+))?$")


class WaveForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    version = forms.ModelChoiceField(label=_("Instrument version"), queryset=InstrumentVersion.objects.none())
    population = forms.ChoiceField(label=_("Population"), choices=PopulationKind.choices)
    respondent_class = forms.ChoiceField(
        label=_("Respondent class"), choices=RespondentClass.choices, initial=RespondentClass.PATIENT
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("None chosen: the whole hospital."),
        widget=forms.SelectMultiple(attrs={"data-picker": "multi"}),  # searchable (carebridge/pickers.js)
    )
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DateInput())
    employer = forms.CharField(
        label=_("Employer (checkup customers)"),
        max_length=128,
        required=False,
        help_text=_("Only customers whose record links a payer of this organisation."),
    )
    organisation = forms.CharField(
        label=_("Organisation (registered customers)"), max_length=128, required=False
    )
    stratify_by = forms.ChoiceField(
        label=_("Strata"),
        choices=[("department", _("By department")), ("ward", _("By ward"))],
        initial="department",
    )
    sampling = forms.ChoiceField(label=_("Sampling"), choices=SamplingMethod.choices)
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=COUNT_MAX, required=False)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**63 - 1, initial=20240101)
    strata = forms.CharField(
        label=_("Strata targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Stratified samples: one stratum per line, “code target [quota]”, e.g. “CARD 40 30”. "
            "Empty: the sample size is split in proportion to each stratum's size."
        ),
    )
    min_hours_after_discharge = forms.IntegerField(
        label=_("Not earlier than (hours after discharge)"),
        min_value=0,
        max_value=MAX_WINDOW_HOURS,
        initial=48,
    )
    max_days_after_discharge = forms.IntegerField(
        label=_("Not later than (days after discharge)"),
        min_value=1,
        max_value=MAX_WINDOW_DAYS,
        initial=42,
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"), initial="21:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"), initial="08:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    min_days_between_surveys = forms.IntegerField(
        label=_("At most one survey per person per (days)"),
        min_value=0,
        max_value=MAX_WINDOW_DAYS,
        initial=30,
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        initial=[Channel.SMS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In order of preference: a person without a mobile number gets the next channel."),
    )
    anonymous = forms.ChoiceField(
        label=_("Anonymous"),
        choices=[("", _("Default (staff surveys anonymous)")), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    min_report_group = forms.IntegerField(
        label=_("Smallest group reported"), min_value=1, max_value=COUNT_MAX, initial=5
    )
    invitation_valid_days = forms.IntegerField(
        label=_("Invitation valid for (days)"), min_value=1, max_value=MAX_VALID_DAYS, initial=14
    )
    reminder_days = forms.CharField(
        label=_("Reminders after (days)"),
        required=False,
        help_text=_("Days after the invitation, separated by commas, e.g. 3, 7."),
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), required=False, widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), required=False, widget=DateTimeInput())

    def __init__(self, *args: Any, user: Any, hospital: Hospital, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (  # type: ignore[attr-defined]
            InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .filter(Q(instrument__hospital=hospital) | Q(instrument__hospital__isnull=True))
            .select_related("instrument")
            .order_by("instrument__name", "-number")
        )
        self.fields["departments"].queryset = department_list(user=user).filter(  # type: ignore[attr-defined]
            hospital=hospital, is_active=True
        )
        style_widgets(self)

    SECTIONS = (
        (
            _("Questionnaire and population"),
            "name version population respondent_class departments "
            "period_start period_end employer organisation",
        ),
        (_("Sampling"), "sampling sample_size seed stratify_by strata"),
        (
            _("Timing, channels and privacy"),
            "min_hours_after_discharge max_days_after_discharge quiet_start quiet_end "
            "min_days_between_surveys invitation_valid_days reminder_days opens_at closes_at "
            "channels anonymous min_report_group",
        ),
    )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the page's three panels."""
        return [(str(title), [self[name] for name in names.split()]) for title, names in self.SECTIONS]

    def clean_strata(self) -> list[StratumSpec]:
        specs = []
        for number, line in enumerate((self.cleaned_data.get("strata") or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = _STRATUM_LINE.match(line.strip())
            if match is None:
                raise ValidationError(
                    _("Line %(n)s: write “code target [quota]”, e.g. “CARD 40 30”.") % {"n": number}
                )
            quota = match["quota"]
            specs.append(StratumSpec(match["key"], int(match["target"]), int(quota) if quota else None))
        return specs

    def clean_reminder_days(self) -> list[int]:
        raw = (self.cleaned_data.get("reminder_days") or "").replace("，", ",")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(is_digits(part) for part in parts):
            raise ValidationError(_("Whole numbers of days, separated by commas."))
        return [int(part) for part in parts]

    def wave_input(self) -> WaveInput:
        data = self.cleaned_data
        criteria: dict[str, str] = {}
        if data["employer"].strip():
            criteria["employer"] = data["employer"].strip()
        if data["organisation"].strip():
            criteria["organisation"] = data["organisation"].strip()
        if data["stratify_by"] != "department":
            criteria["stratify_by"] = data["stratify_by"]
        return WaveInput(
            name=data["name"],
            version=data["version"],
            population=data["population"],
            respondent_class=data["respondent_class"],
            departments=list(data["departments"]),
            period_start=data["period_start"],
            period_end=data["period_end"],
            population_filter=criteria,
            sampling=data["sampling"],
            sample_size=data["sample_size"],
            seed=data["seed"],
            strata=data["strata"],
            min_hours_after_discharge=data["min_hours_after_discharge"],
            max_days_after_discharge=data["max_days_after_discharge"],
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            min_days_between_surveys=data["min_days_between_surveys"],
            channels=list(data["channels"]),
            anonymous={"yes": True, "no": False}.get(data["anonymous"]),
            min_report_group=data["min_report_group"],
            invitation_valid_days=data["invitation_valid_days"],
            reminder_days=data["reminder_days"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )

    @staticmethod
    def initial_from(data: WaveInput) -> dict[str, Any]:
        """The form's initial values for an existing wave."""
        criteria = dict(data.population_filter)
        return {
            "name": data.name,
            "version": data.version,
            "population": data.population,
            "respondent_class": data.respondent_class,
            "departments": list(data.departments),
            "period_start": data.period_start,
            "period_end": data.period_end,
            "employer": criteria.get("employer", ""),
            "organisation": criteria.get("organisation", ""),
            "stratify_by": criteria.get("stratify_by", "department"),
            "sampling": data.sampling,
            "sample_size": data.sample_size,
            "seed": data.seed,
            "strata": "\n".join(
                f"{s.key} {s.target}" + (f" {s.quota}" if s.quota is not None else "") for s in data.strata
            ),
            "min_hours_after_discharge": data.min_hours_after_discharge,
            "max_days_after_discharge": data.max_days_after_discharge,
            "quiet_start": data.quiet_start,
            "quiet_end": data.quiet_end,
            "min_days_between_surveys": data.min_days_between_surveys,
            "channels": list(data.channels),
            "anonymous": {True: "yes", False: "no"}.get(data.anonymous, ""),  # type: ignore[arg-type]
            "min_report_group": data.min_report_group,
            "invitation_valid_days": data.invitation_valid_days,
            "reminder_days": ", ".join(str(d) for d in data.reminder_days),
            "opens_at": data.opens_at,
            "closes_at": data.closes_at,
        }


class WaveTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=WaveStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class DoNotContactForm(ServiceErrorsMixin, forms.Form):
    patient_mrn = forms.CharField(label=_("Patient (MRN)"), max_length=32, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
