"""Pages of the surveys app: responses, phone interviews and paper entry, imports, exports, recovery triggers.

Thin views: parse, call a selector or a service, render. Phone interviews and paper questionnaires use
the same questionnaire form as the public page (``surveys.domain.questionnaire``), all pages at once, and
``services.responses.response_submit`` with the agent recorded as interviewer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.lib.text import is_id
from carebridge.surveys.choices import ResponseMode, TriggerKind
from carebridge.surveys.domain import instruments, questionnaire
from carebridge.surveys.exports import FILE_TYPES, SHAPES, export_responses
from carebridge.surveys.selectors import responses as selectors
from carebridge.surveys.services.imports import responses_import
from carebridge.surveys.services.recovery import recovery_trigger_save, recovery_triggers_install_defaults
from carebridge.surveys.services.responses import (
    REFUSALS,
    SubmissionRefused,
    answer_error_message,
    refusal_reason,
    response_submit,
)

PAGE_SIZE = 25


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def response_list(request: HttpRequest) -> HttpResponse:
    """Responses in scope, by wave; the wave's breakdown per department hides small groups."""
    waves = selectors.wave_list_for_responses(user=request.user)
    responses = selectors.response_list_for_display(user=request.user)
    wave = None
    if is_id(request.GET.get("wave", "")):
        wave = selectors.wave_get_for_responses(user=request.user, pk=int(request.GET["wave"]))
        responses = responses.filter(wave=wave)
    mode = request.GET.get("mode", "")
    if mode in ResponseMode.values:
        responses = responses.filter(mode=mode)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.anonymise(user=request.user, responses=page.object_list)
    context = {
        "waves": waves,
        "wave": wave,
        "mode": mode,
        "modes": ResponseMode.choices,
        "page": page,
        "breakdown": selectors.response_breakdown(user=request.user, wave=wave) if wave else [],
        "shapes": SHAPES,
        "file_types": FILE_TYPES,
    }
    return render(request, "surveys/response_list.html", context)


@login_required
@permission_required("surveys.view_response", raise_exception=True)
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    language = request.LANGUAGE_CODE
    selectors.anonymise(user=request.user, responses=[response])
    rows = []
    for spec in instruments.iter_items(response.version.definition):
        if spec.code in response.answers:
            value = response.answers[spec.code]
            shown = _answer_shown(spec, value, language)
            rows.append((spec, spec.label(language), shown, instruments.item_score(spec, value)))
    titles = instruments.part_titles(response.version.definition, language)
    dimensions = [(titles.get(code, code), value) for code, value in response.dimension_scores.items()]
    return render(
        request,
        "surveys/response_detail.html",
        {"response": response, "rows": rows, "dimensions": dimensions},
    )


def _answer_shown(spec: Any, value: Any, language: str) -> Any:
    """A choice answer as its option's label (one or several), other answers as given."""
    if not spec.options:
        return value
    labels = {
        str(option.get("value")): instruments.localised(option.get("label"), language)
        or str(option.get("value"))
        for option in spec.options
        if isinstance(option, dict)
    }
    if isinstance(value, list):
        return "、".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), value)


@login_required
@permission_required("surveys.add_response", raise_exception=True)
def response_phone_list(request: HttpRequest, wave_pk: int) -> HttpResponse:
    """A wave's invitations to interview by phone or to enter from paper."""
    wave = selectors.wave_get_for_responses(user=request.user, pk=wave_pk)
    invitations = selectors.phone_list(user=request.user, wave=wave)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/response_phone_list.html", {"wave": wave, "page": page})


def _entry_context(
    invitation: Any, mode: str, answers: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    definition = invitation.wave.version.definition
    shown = instruments.visible_codes(list(instruments.iter_items(definition)), answers)
    messages_by_code = {code: answer_error_message(error) for code, error in errors.items()}
    sections = [
        (
            page,
            questionnaire.fields(
                page.specs, language="zh-hans", answers=answers, errors=messages_by_code, visible=shown
            ),
        )
        for page in questionnaire.pages(definition, "zh-hans")
    ]
    return {
        "invitation": invitation,
        "wave": invitation.wave,
        "mode": mode,
        "sections": sections,
        "intro": instruments.localised(definition.get("intro"), "zh-hans"),
        "title": instruments.localised(definition.get("title"), "zh-hans"),
        "started": timezone.now().isoformat(),
        "error_count": len(errors),
    }


@login_required
@permission_required("surveys.add_response", raise_exception=True)
def response_enter(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    """A phone interview (the agent reads the script and the questions) or a paper questionnaire."""
    invitation = selectors.invitation_for_entry(user=request.user, pk=invitation_pk)
    mode = request.POST.get("mode") or request.GET.get("mode") or ResponseMode.PHONE
    if mode not in (ResponseMode.PHONE, ResponseMode.PAPER):
        raise Http404("Unknown mode")
    reason = refusal_reason(invitation, timezone.now())
    if reason is not None:
        messages.error(request, str(REFUSALS[reason]))
        return redirect("surveys:response_phone_list", wave_pk=invitation.wave_id)
    if request.method != "POST":
        return render(request, "surveys/response_entry.html", _entry_context(invitation, mode, {}, {}))
    specs = list(instruments.iter_items(invitation.wave.version.definition))
    answers = questionnaire.merge({}, questionnaire.read_answers(request.POST, specs))
    started = parse_datetime(request.POST.get("started", ""))
    try:
        response = response_submit(
            invitation=invitation,
            answers=answers,
            language="zh-hans",
            mode=mode,
            now=timezone.now(),
            interviewer=request.user,
            started_at=started if started and timezone.is_aware(started) else None,
        )
    except SubmissionRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect("surveys:response_phone_list", wave_pk=invitation.wave_id)
    except ValidationError as invalid:
        errors = instruments.clean_answers(invitation.wave.version.definition, answers)[1]
        context = _entry_context(invitation, mode, answers, errors)
        if not errors:
            messages.error(request, " ".join(invalid.messages))
        return render(request, "surveys/response_entry.html", context, status=400)
    cases = response.recovery_cases.count()
    text = _("Response recorded.")
    if cases:
        text += " " + _("A service-recovery case was opened in the desk.")
    messages.success(request, text)
    return redirect("surveys:response_phone_list", wave_pk=invitation.wave_id)


class _Styled(forms.Form):
    """Bootstrap classes on every widget (the desk's ``_form.html`` renders the fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input ms-2"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


class ImportForm(_Styled):
    file = forms.FileField(label=gettext_lazy("Excel (.xlsx) or CSV file"))
    valid_rows_only = forms.BooleanField(
        label=gettext_lazy("If some rows are invalid, import the valid rows only"), required=False
    )


@login_required
@permission_required("surveys.add_importbatch", raise_exception=True)
def response_import(request: HttpRequest, wave_pk: int) -> HttpResponse:
    wave = selectors.wave_get_for_responses(user=request.user, pk=wave_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = responses_import(
                wave=wave,
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                valid_rows_only=form.cleaned_data["valid_rows_only"],
            )
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error("file", message)
        else:
            return redirect("surveys:response_import_detail", pk=batch.pk)
    specs = list(instruments.iter_items(wave.version.definition))
    recent = selectors.import_batch_list(user=request.user).filter(wave=wave)[:10]
    context = {"wave": wave, "form": form, "specs": specs, "recent": recent}
    return render(request, "surveys/response_import.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("surveys.view_importbatch", raise_exception=True)
def response_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    notes = [row for row in batch.report if row.get("row") == 0]
    problems = [row for row in batch.report if row.get("row") != 0]
    return render(
        request, "surveys/response_import_detail.html", {"batch": batch, "notes": notes, "problems": problems}
    )


@login_required
@permission_required("surveys.export_responses", raise_exception=True)
def response_export(request: HttpRequest) -> HttpResponseBase:
    shape = request.GET.get("format", "wide")
    file_type = request.GET.get("type", "csv")
    if shape not in SHAPES or file_type not in FILE_TYPES or not is_id(request.GET.get("wave", "")):
        raise Http404("Unknown export")
    wave = selectors.wave_get_for_responses(user=request.user, pk=int(request.GET["wave"]))
    responses = selectors.response_list(user=request.user)
    return export_responses(
        wave=wave, responses=responses, shape=shape, file_type=file_type, actor=request.user
    )


class TriggerForm(_Styled):
    kind = forms.ChoiceField(label=gettext_lazy("What opens a case"), choices=TriggerKind.choices)
    item_code = forms.CharField(
        label=gettext_lazy("Item code (empty: any item)"), max_length=32, required=False
    )
    threshold = forms.FloatField(label=gettext_lazy("Threshold (empty: the default)"), required=False)


@login_required
@permission_required("surveys.view_recoverytrigger", raise_exception=True)
def response_triggers(request: HttpRequest) -> HttpResponse:
    """The hospital's recovery triggers, with a form to add one (quality office)."""
    hospital = staff_hospital(user=request.user)
    form = TriggerForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("surveys.add_recoverytrigger"):
            raise PermissionDenied
        if form.is_valid():
            try:
                recovery_trigger_save(hospital=hospital, actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Trigger saved."))
                return redirect("surveys:response_triggers")
    if not selectors.recovery_trigger_list(user=request.user).exists():
        recovery_triggers_install_defaults(hospital=hospital)
    context = {
        "triggers": selectors.recovery_trigger_list(user=request.user),
        "form": form,
        "cases": selectors.recovery_case_list(user=request.user).order_by("-created_at", "-id")[:20],
    }
    return render(request, "surveys/response_triggers.html", context, status=400 if form.errors else 200)


@login_required
@permission_required("surveys.change_recoverytrigger", raise_exception=True)
@require_POST
def response_trigger_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    trigger = selectors.recovery_trigger_list(user=request.user).filter(pk=pk).first()
    if trigger is None:
        raise Http404("No such trigger in your scope.")
    recovery_trigger_save(
        hospital=trigger.hospital,
        actor=request.user,
        kind=trigger.kind,
        item_code=trigger.item_code,
        threshold=trigger.threshold,
        instrument=trigger.instrument,
        enabled=not trigger.enabled,
        trigger=trigger,
    )
    return redirect("surveys:response_triggers")


urls: list[URLPattern] = [
    path("responses/", response_list, name="response_list"),
    path("responses/<int:pk>/", response_detail, name="response_detail"),
    path("responses/export/", response_export, name="response_export"),
    path("waves/<int:wave_pk>/phone/", response_phone_list, name="response_phone_list"),
    path("waves/<int:wave_pk>/import/", response_import, name="response_import"),
    path("imports/<int:pk>/", response_import_detail, name="response_import_detail"),
    path("invitations/<int:invitation_pk>/enter/", response_enter, name="response_enter"),
    path("recovery-triggers/", response_triggers, name="response_triggers"),
    path("recovery-triggers/<int:pk>/toggle/", response_trigger_toggle, name="response_trigger_toggle"),
]
