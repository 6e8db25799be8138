"""Pages of the surveys app: instruments (问卷管理) for the quality office.

The list shows the library and the hospital's own instruments; an instrument's page shows its version
history with content hashes, a diff between two versions and the actions (new draft, publish, retire,
export). The builder itself is in :mod:`carebridge.surveys.views.instrument_builder`. Reading needs
``surveys.view_instrument``; every change needs ``surveys.change_instrument`` (creating one also
``surveys.add_instrument``). Objects are looked up through the scoped selectors only.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.surveys.domain.builder import diff_definitions, preview
from carebridge.surveys.domain.instruments import localised, part_titles
from carebridge.surveys.forms.instruments import (
    CopyForm,
    DiffForm,
    ImportForm,
    InstrumentCreateForm,
    InstrumentMetaForm,
)
from carebridge.surveys.models import Instrument, InstrumentVersion
from carebridge.surveys.selectors.instruments import (
    instrument_list,
    latest_draft,
    library_versions,
    version_items,
    version_list,
)
from carebridge.surveys.services.instruments import (
    draft_discard,
    export_document,
    instrument_copy,
    instrument_create,
    instrument_import,
    instrument_update,
    version_create_draft,
    version_publish,
    version_retire,
)
from carebridge.surveys.views import instrument_builder

VIEW = "surveys.view_instrument"
CHANGE = "surveys.change_instrument"
ADD = "surveys.add_instrument"


def _instrument(request: HttpRequest, pk: int) -> Instrument:
    return get_object_or_404(instrument_list(user=request.user), pk=pk)


def _version(request: HttpRequest, pk: int) -> InstrumentVersion:
    return get_object_or_404(version_list(user=request.user), pk=pk)


def _optional_url(name: str) -> str | None:
    """A page of another area of the app, if it is there yet (the waves list, for the home page)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_required
@permission_required(VIEW, raise_exception=True)
def instrument_list_view(request: HttpRequest) -> HttpResponse:
    """The surveys home: the hospital's instruments, the library to copy from, links to waves."""
    own = instrument_list(user=request.user, library=False)
    library = instrument_list(user=request.user, library=True)
    latest = {v.instrument_id: v for v in reversed(list(library_versions(user=request.user)))}
    context = {
        "own": own,
        "library": [(instrument, latest.get(instrument.pk)) for instrument in library],
        "waves_url": _optional_url("surveys:wave_list"),
    }
    return render(request, "surveys/instrument_list.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    versions = list(version_list(user=request.user, instrument=instrument))
    numbers = [v.number for v in versions]
    diff_form = DiffForm(
        initial={"a": numbers[1] if len(numbers) > 1 else None, "b": numbers[0] if numbers else None},
        numbers=numbers,
    )
    context = {
        "instrument": instrument,
        "versions": versions,
        "draft": latest_draft(instrument=instrument),
        "diff_form": diff_form,
        "copy_form": CopyForm(),
    }
    return render(request, "surveys/instrument_detail.html", context)


@login_required
@permission_required([ADD, CHANGE], raise_exception=True)
def instrument_create_view(request: HttpRequest) -> HttpResponse:
    form = InstrumentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = instrument_create(
                hospital=staff_hospital(user=request.user), actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Instrument created with a draft version 1."))
            return redirect("surveys:version_builder", pk=instrument.versions.get().pk)
    return render(
        request,
        "surveys/instrument_form.html",
        {"form": form, "title": _("New instrument"), "multipart": False},
    )


@login_required
@permission_required(CHANGE, raise_exception=True)
def instrument_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    if instrument.hospital_id is None:
        messages.error(request, _("Library instruments cannot be edited; copy one first."))
        return redirect("surveys:instrument_detail", pk=pk)
    form = InstrumentMetaForm(
        request.POST or None,
        initial={
            "name": instrument.name,
            "name_en": instrument.name_en,
            "kind": instrument.kind,
            "respondent_class": instrument.respondent_class,
            "description": instrument.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            instrument_update(instrument=instrument, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:instrument_detail", pk=pk)
    context = {
        "form": form,
        "title": _("Edit %(name)s") % {"name": instrument.name},
        "instrument": instrument,
    }
    return render(request, "surveys/instrument_form.html", context)


@login_required
@permission_required([ADD, CHANGE], raise_exception=True)
@require_POST
def instrument_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a published version (library or own) into the hospital as a new instrument's draft."""
    source = _version(request, pk)
    form = CopyForm(request.POST)
    if form.is_valid():
        try:
            instrument = instrument_copy(
                source=source,
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                code=form.cleaned_data["code"] or None,
                name=form.cleaned_data["name"] or None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Copied. Adapt the draft, then publish it."))
            return redirect("surveys:version_builder", pk=instrument.versions.get().pk)
    else:
        for field_errors in form.errors.values():
            for problem in field_errors:
                messages.error(request, str(problem))
    return redirect("surveys:instrument_detail", pk=source.instrument_id)


@login_required
@permission_required([ADD, CHANGE], raise_exception=True)
def instrument_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = instrument_import(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                document=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            if result.created:
                messages.success(
                    request, _("Imported as draft version %(n)s.") % {"n": result.version.number}
                )
            else:
                messages.info(
                    request,
                    _("Version %(n)s already has exactly this content; nothing was imported.")
                    % {"n": result.version.number},
                )
            return redirect("surveys:instrument_detail", pk=result.instrument.pk)
    context = {"form": form, "title": _("Import an instrument"), "multipart": True, "problems": problems}
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/instrument_form.html", context, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A version read-only: the questionnaire as respondents see it, its items and its JSON."""
    version = _version(request, pk)
    language = get_language() or "zh-hans"
    context = {
        "version": version,
        "instrument": version.instrument,
        "groups": preview(version.definition, language),
        "title": localised(version.definition.get("title"), language),
        "intro": localised(version.definition.get("intro"), language),
        "items": version_items(version=version),
        "part_titles": part_titles(version.definition, language),
        "definition_json": json.dumps(version.definition, ensure_ascii=False, indent=2),
    }
    return render(request, "surveys/instrument_version.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a downloadable JSON file (the import format)."""
    version = _version(request, pk)
    response = JsonResponse(export_document(version), json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"{version.instrument.code}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _run(request: HttpRequest, action: Any, success: str) -> bool:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def version_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft of an instrument (a copy of its latest version) and open it in the builder."""
    instrument = _instrument(request, pk)
    created: list[InstrumentVersion] = []
    ok = _run(
        request,
        lambda: created.append(version_create_draft(instrument=instrument, actor=request.user)),
        _("New draft created."),
    )
    if ok:
        return redirect("surveys:version_builder", pk=created[0].pk)
    return redirect("surveys:instrument_detail", pk=pk)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def version_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if _run(request, lambda: version_publish(version=version, actor=request.user), _("Version published.")):
        return redirect("surveys:instrument_detail", pk=version.instrument_id)
    return redirect("surveys:version_builder", pk=pk)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def version_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    reason = request.POST.get("reason", "")[:200]
    _run(
        request,
        lambda: version_retire(version=version, actor=request.user, reason=reason),
        _("Version retired."),
    )
    return redirect("surveys:instrument_detail", pk=version.instrument_id)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def version_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if _run(request, lambda: draft_discard(version=version, actor=request.user), _("Draft discarded.")):
        return redirect("surveys:instrument_detail", pk=version.instrument_id)
    return redirect("surveys:version_builder", pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def instrument_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two versions of an instrument."""
    instrument = _instrument(request, pk)
    versions = {v.number: v for v in version_list(user=request.user, instrument=instrument)}
    form = DiffForm(request.GET or None, numbers=sorted(versions, reverse=True))
    diff = old = new = None
    if form.is_valid():
        old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
        diff = diff_definitions(old.definition, new.definition)
    context = {"instrument": instrument, "form": form, "diff": diff, "old": old, "new": new}
    return render(
        request, "surveys/instrument_diff.html", context, status=200 if diff or not request.GET else 400
    )


urls: list[URLPattern] = [
    path("", instrument_list_view, name="home"),
    path("instruments/", instrument_list_view, name="instrument_list"),
    path("instruments/new/", instrument_create_view, name="instrument_create"),
    path("instruments/import/", instrument_import_view, name="instrument_import"),
    path("instruments/<int:pk>/", instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/edit/", instrument_edit_view, name="instrument_edit"),
    path("instruments/<int:pk>/new-draft/", version_new_draft, name="version_new_draft"),
    path("instruments/<int:pk>/diff/", instrument_diff, name="instrument_diff"),
    path("versions/<int:pk>/", version_detail, name="version_detail"),
    path("versions/<int:pk>/export/", version_export, name="version_export"),
    path("versions/<int:pk>/copy/", instrument_copy_view, name="instrument_copy"),
    path("versions/<int:pk>/publish/", version_publish_view, name="version_publish"),
    path("versions/<int:pk>/retire/", version_retire_view, name="version_retire"),
    path("versions/<int:pk>/discard/", version_discard_view, name="version_discard"),
    *instrument_builder.urls,
]
