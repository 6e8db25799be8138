"""Forms of the ward programme's routines: recording the day's sync (who attended, the issues raised and
who owns each) and a project-manager meeting or family forum (minutes, decisions one per line). The
choices are the user's scope: their departments and wards, the staff of their hospital(s)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Staff, Ward
from carebridge.core.selectors.organisation import departments_in_scope, staff_list, ward_list
from carebridge.core.validators import COUNT_MAX
from carebridge.followup.choices import MeetingKind
from carebridge.followup.models import SyncIssue

DATE = DateInput()


def _staff(user: Any) -> Any:
    return staff_list(user=user).filter(is_active=True).order_by("name", "id")


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj.name)


class _StaffChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj.name)


class SyncForm(ServiceErrorsMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    ward = forms.ModelChoiceField(label=_("Ward"), queryset=Ward.objects.none(), required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    project_manager = _StaffChoice(label=_("Project manager"), queryset=Staff.objects.none())
    attendees = _StaffChoices(
        label=_("Attended (department head, attending doctor, nurse …)"),
        queryset=Staff.objects.none(),
        # Searchable (carebridge/pickers.js): the staff of a hospital run to hundreds.
        widget=forms.SelectMultiple(attrs={"size": 6, "data-picker": "multi"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        staff = _staff(user)
        self.fields["department"].queryset = departments_in_scope(user=user).order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["ward"].queryset = ward_list(user=user).order_by("department__name", "name", "id")  # type: ignore[attr-defined]
        self.fields["project_manager"].queryset = staff  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = staff  # type: ignore[attr-defined]
        staff_record = getattr(user, "staff", None)
        if staff_record is not None and not self.is_bound:
            self.initial.setdefault("project_manager", staff_record.pk)
        style_widgets(self)


class SyncIssueForm(forms.Form):
    text = forms.CharField(label=_("Issue raised"), max_length=500, required=False)
    owner = _StaffChoice(label=_("Owner"), queryset=Staff.objects.none(), required=False)
    resolved = forms.BooleanField(label=_("Resolved"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff(user)  # type: ignore[attr-defined]
        style_widgets(self, small=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and (data.get("owner") or data.get("resolved")):
            self.add_error("text", _("Write the issue, or clear its owner."))
        return data


class _IssueFormSet(forms.BaseFormSet):
    def issues(self) -> list[SyncIssue]:
        return [
            SyncIssue(
                text=form.cleaned_data["text"].strip(),
                owner=form.cleaned_data["owner"].pk if form.cleaned_data.get("owner") else None,
                resolved=bool(form.cleaned_data.get("resolved")),
            )
            for form in self.forms
            if form.cleaned_data and (form.cleaned_data.get("text") or "").strip()
        ]


SyncIssueFormSet = forms.formset_factory(
    SyncIssueForm, formset=_IssueFormSet, extra=4, max_num=20, validate_max=True
)


def sync_forms(user: Any, data: Any = None) -> tuple[SyncForm, Any]:
    """The sync's form and its issues' rows (prefix ``issues``)."""
    return (
        SyncForm(data, user=user),
        SyncIssueFormSet(data, prefix="issues", form_kwargs={"user": user}),
    )


class MeetingForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Empty for a hospital-wide meeting."),
    )
    chaired_by = _StaffChoice(label=_("Chaired by"), queryset=Staff.objects.none())
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=COUNT_MAX, initial=0)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(
        label=_("Decisions (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each decision can then be raised as an improvement action on the meeting's page."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "attendance": 0})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_in_scope(user=user).order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["chaired_by"].queryset = _staff(user)  # type: ignore[attr-defined]
        staff_record = getattr(user, "staff", None)
        if staff_record is not None and not self.is_bound:
            self.initial.setdefault("chaired_by", staff_record.pk)
        style_widgets(self)

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]
