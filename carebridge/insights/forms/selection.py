"""The selection every insights page shares: instrument, version, wave, department and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.instruments import instruments_for_analysis, waves_for_analysis
from carebridge.surveys.models import InstrumentVersion, Response


class SelectionForm(forms.Form):
    """Instrument, version, wave, department and period; choices limited to the user's scope."""

    instrument = forms.TypedChoiceField(label=_("Instrument"), coerce=int, required=False)
    version = forms.TypedChoiceField(label=_("Version"), coerce=int, required=False, empty_value=None)
    wave = forms.TypedChoiceField(label=_("Wave"), coerce=int, required=False, empty_value=None)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, data: Any, *, user: Actor, prefer_kind: str | None = None) -> None:
        super().__init__(data)
        # With no instrument asked for, a page may prefer one kind (the CSI model page: the CSI survey).
        self.prefer_kind = prefer_kind
        instruments = list(instruments_for_analysis(user=user))
        self.instruments = instruments
        self._choices("instrument", [(i.pk, str(i)) for i in instruments])
        chosen = self._chosen_instrument()
        self.instrument_id = chosen
        # One response looked up per version (the response's version index), not a DISTINCT over every
        # response joined to its version: 2.3 s of the overview's 2.5 s at 100,000 responses (bench,
        # issue 18). A scalar subquery, because PostgreSQL turns EXISTS into a hash of every response.
        # Ordered as the (version, submitted_at) index, so the look-up is an index probe whatever the
        # planner believes about how the versions are spread.
        first = Response.objects.filter(version=OuterRef("pk")).order_by("submitted_at").values("pk")[:1]
        versions = (
            InstrumentVersion.objects.filter(instrument_id=chosen)
            .annotate(first_response=Subquery(first))
            .filter(first_response__isnull=False)
            .order_by("-number")
            if chosen
            else InstrumentVersion.objects.none()
        )
        everything: list[tuple[Any, Any]] = [("", _("All"))]
        self._choices("version", everything + [(v.pk, f"v{v.number}") for v in versions])
        waves = list(waves_for_analysis(user=user, instrument_id=chosen)) if chosen else []
        self._choices("wave", everything + [(w.pk, w.name) for w in waves])
        departments = departments_in_scope(user=user).order_by("code")
        self._choices("department", everything + [(d.pk, d.name) for d in departments])
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above as choice fields)
        field.choices = choices

    def _chosen_instrument(self) -> int | None:
        valid = {i.pk for i in self.instruments}
        try:
            wanted = int(self.data.get("instrument") or 0)
        except (TypeError, ValueError):
            wanted = 0
        if wanted in valid:
            return wanted
        preferred = [i.pk for i in self.instruments if i.kind == self.prefer_kind]
        if preferred:
            return preferred[0]
        return self.instruments[0].pk if self.instruments else None

    def selection(self) -> Selection | None:
        """The selection asked for (invalid filters are ignored, not fatal), or None with no data."""
        if self.instrument_id is None:
            return None
        cleaned = self.cleaned_data if self.is_valid() else {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        return Selection(
            instrument_id=self.instrument_id,
            version_id=cleaned.get("version"),
            wave_id=cleaned.get("wave"),
            department_id=cleaned.get("department"),
            date_from=date_from,
            date_to=date_to,
        )
