"""Forms of the complaint pages. They parse and validate input; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import (
    Category,
    Channel,
    ComplaintStatus,
    FeedbackKind,
    RecoveryKind,
    RootCause,
    Severity,
)
from carebridge.core.forms.base import DateTimeInput, ServiceErrorsMixin, style_widgets
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.lib.text import is_id
from carebridge.patients.choices import CustomerClass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ComplaintIntakeForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, initial=FeedbackKind.COMPLAINT)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.WALK_IN)
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now; fill in for a letter or a ledger entry received earlier."),
    )
    patient = forms.IntegerField(
        label=_("Patient"),
        required=False,
        widget=forms.Select(),
        help_text=_(
            "The complainant is a registered patient: search by name, pinyin initials, phone tail, ID or MRN."
        ),
    )
    # An MRN handed over by another page (``?patient_mrn=``) or typed by an older client still works.
    patient_mrn = forms.CharField(
        label=_("Patient (MRN)"), max_length=32, required=False, widget=forms.HiddenInput
    )
    complainant_name = forms.CharField(label=_("Complainant name"), max_length=128, required=False)
    complainant_phone = forms.CharField(label=_("Complainant phone"), max_length=20, required=False)
    complainant_class = forms.ChoiceField(
        label=_("Complainant class"), choices=CustomerClass.choices, initial=CustomerClass.PATIENT
    )
    content = forms.CharField(label=_("What the complainant says"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("(use the suggestion)")), *Category.choices]
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=Severity.MINOR
    )
    departments: Any = forms.ModelMultipleChoiceField(
        label=_("Departments involved"), queryset=None, required=False
    )
    staff: Any = forms.ModelMultipleChoiceField(
        label=_("Staff involved or praised"), queryset=None, required=False
    )
    on_the_spot_resolution = forms.CharField(
        label=_("Resolved on the spot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If the complaint was settled at once (当场解决), say how; the case is then resolved."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("jpg, png, pdf, docx, mp3 or wav.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["departments"].queryset = department_list(user=user).order_by("code")
        fields["staff"].queryset = (
            staff_list(user=user)
            .filter(is_active=True)
            .select_related("home_department")
            .order_by("home_department__code", "name")
        )
        fields["staff"].label_from_instance = staff_label
        style_widgets(self)
        # Searchable pickers (Tom Select, served locally): ~40 departments, hundreds of staff, the registry.
        fields["departments"].widget.attrs.update({"data-picker": "multi", "size": 6})
        fields["staff"].widget.attrs.update({"data-picker": "multi", "size": 6})
        fields["patient"].widget.attrs.update(
            {"data-picker": "patient", "data-url": reverse("patients:pick")}
        )
        fields["patient"].widget.choices = [("", ""), *self._chosen_patient(user)]

    def _chosen_patient(self, user: Any) -> list[tuple[int, str]]:
        """The patient already chosen (a redisplayed form, or an MRN handed over), as the picker's option."""
        from carebridge.patients.selectors.patients import patient_list, patient_pick_label

        raw = self.data.get("patient") if self.is_bound else None
        patients = patient_list(user=user)
        if raw and is_id(str(raw)):
            chosen = patients.filter(pk=int(raw)).first()
        elif mrn := (self.data.get("patient_mrn") if self.is_bound else self.initial.get("patient_mrn")):
            chosen = patients.filter(mrn=str(mrn).strip()).first()
            if chosen is not None and not self.is_bound:
                self.initial["patient"] = chosen.pk
        else:
            chosen = None
        return [(chosen.pk, patient_pick_label(chosen))] if chosen is not None else []


def staff_label(staff: Any) -> str:
    """A staff member in a picker: the name and the home department, so two 王伟 can be told apart."""
    department = staff.home_department.name if staff.home_department_id else ""
    return f"{staff.name} · {department}" if department else str(staff.name)


class TransitionForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=ComplaintStatus.choices)
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    office: Any = forms.ModelChoiceField(
        label=_("Office"), queryset=None, required=False, help_text=_("Empty: the office of the routing map.")
    )
    root_cause = forms.ChoiceField(
        label=_("Root cause"), required=False, choices=[("", "—"), *RootCause.choices]
    )

    def __init__(
        self, *args: Any, user: Any, allowed: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        """``allowed``: the ``(status, label)`` moves to offer (``services.transitions.LIFECYCLE``)."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["office"].queryset = department_list(user=user).order_by("code")
        if allowed is not None:
            fields["to"].choices = allowed
        style_widgets(self)


class ClassificationForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int)
    departments: Any = forms.ModelMultipleChoiceField(
        label=_("Departments involved"), queryset=None, required=False
    )
    staff: Any = forms.ModelMultipleChoiceField(label=_("Staff involved"), queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["departments"].queryset = department_list(user=user).order_by("code")
        fields["staff"].queryset = staff_list(user=user).filter(is_active=True).order_by("name")
        style_widgets(self)


class NoteForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Investigation note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class RecoveryForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=RecoveryKind.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    cost = forms.DecimalField(label=_("Cost (yuan)"), min_value=0, max_digits=10, decimal_places=2, initial=0)
    done_at = forms.DateTimeField(label=_("Done at"), required=False, widget=DateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Is the complainant satisfied?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))],
    )
    feedback = forms.CharField(
        label=_("What the complainant said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    files: Any = MultipleFileField(label=_("Files"))
