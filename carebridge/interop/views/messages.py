"""The interface pages: the inbound log with its dead-letter list, one message (masked), its replay, and
the code mappings that let a failed result message through."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carebridge.core.http import client_ip
from carebridge.core.masking import mask_text
from carebridge.core.models import Staff
from carebridge.interop.choices import DEAD_LETTER, Channel
from carebridge.interop.forms.imports import ResultFileForm
from carebridge.interop.forms.mappings import CodeMappingForm
from carebridge.interop.selectors.messages import (
    mappable_items,
    mapping_list,
    message_get,
    message_list,
    message_patient,
)
from carebridge.interop.services.imports import results_import
from carebridge.interop.services.messages import message_replay
from carebridge.interop.services.setup import code_mapping_add
from carebridge.lib.text import is_id
from carebridge.patients.services.access import patient_access_record

# What a message did to a row, as the message page says it (the log stores the code).
EFFECT_ACTIONS = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "recorded": gettext_lazy("recorded"),
    "discharged": gettext_lazy("discharged"),
    "transferred": gettext_lazy("transferred"),
    "ended": gettext_lazy("ended"),
    "closed": gettext_lazy("closed"),
}


def _effect_rows(effects: list[dict[str, object]]) -> list[dict[str, object]]:
    """The message's effects with the model's name and the action in the reader's language."""
    rows = []
    for found in effects or []:
        label = str(found.get("model", ""))
        try:
            name: object = apps.get_model(label)._meta.verbose_name
        except (LookupError, ValueError):
            name = label
        action = str(found.get("action", ""))
        rows.append({"model": name, "id": found.get("id"), "action": EFFECT_ACTIONS.get(action, action)})
    return rows


def _refusal(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError):
        texts = (
            [m for found in error.message_dict.values() for m in found]
            if hasattr(error, "error_dict")
            else error.messages
        )
    else:
        texts = [str(error)]
    messages.error(request, " ".join(texts))


@login_required
@permission_required("interop.view_inboundmessage", raise_exception=True)
def message_log(request: HttpRequest) -> HttpResponse:
    dead = request.GET.get("view") != "all"
    channel = request.GET.get("channel", "")
    if channel not in Channel.values:
        channel = ""
    rows = message_list(user=request.user, dead_letter=dead, channel=channel)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.error_masked = mask_text(row.error)
    return render(
        request,
        "interop/messages.html",
        {"page": page, "dead": dead, "channel": channel, "channels": Channel.choices, "section": "messages"},
    )


@login_required
@permission_required("interop.view_inboundmessage", raise_exception=True)
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = message_get(user=request.user, pk=pk)
    patient = message_patient(message)
    if patient is not None:  # the raw message shows the patient's record: an access like any other
        patient_access_record(
            patient=patient, user=request.user, ip_address=client_ip(request), reason=message.control_id
        )
    form = None
    if (
        message.status in DEAD_LETTER
        and request.user.has_perm("interop.add_codemapping")
        and message.hospital_id
    ):
        form = CodeMappingForm(items=mappable_items(hospital_id=message.hospital_id))
    return render(
        request,
        "interop/message_detail.html",
        {
            "message": message,
            "effects": _effect_rows(message.effects),
            "segments": mask_text(message.text).replace("\r\n", "\r").split("\r"),
            "error": mask_text(message.error),
            "transitions": message.transitions.select_related("actor").order_by("at", "id"),
            "replayable": message.status in DEAD_LETTER and message.channel in (Channel.HL7, Channel.FHIR),
            "form": form,
            "section": "messages",
        },
    )


@login_required
@require_POST
def message_replay_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = message_get(user=request.user, pk=pk)
    try:
        replayed = message_replay(message=message, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        if replayed.status == "accepted":
            messages.success(request, _("The message was replayed and filed."))
        else:
            messages.error(
                request, _("The replay failed again: %(reason)s") % {"reason": mask_text(replayed.error)}
            )
    return redirect("interop:message_detail", pk=pk)


@login_required
@permission_required("interop.view_codemapping", raise_exception=True)
def mappings(request: HttpRequest) -> HttpResponse:
    staff = Staff.objects.filter(user_id=request.user.pk or 0).first()
    form = None
    if staff is not None and request.user.has_perm("interop.add_codemapping"):
        items = mappable_items(hospital_id=staff.hospital_id)
        form = CodeMappingForm(request.POST or None, items=items)
        if request.method == "POST" and form.is_valid():
            try:
                code_mapping_add(
                    hospital=staff.hospital,
                    system=form.cleaned_data["system"],
                    code=form.cleaned_data["code"],
                    item=form.cleaned_data["item"],
                    actor=request.user,
                )
            except (ValidationError, PermissionDenied) as error:
                _refusal(request, error)
            else:
                messages.success(request, _("The mapping was added; failed messages can now be replayed."))
                back = request.POST.get("message")
                if back and is_id(back):
                    return redirect("interop:message_detail", pk=int(back))
                return redirect("interop:mappings")
    return render(
        request,
        "interop/mappings.html",
        {"mappings": mapping_list(user=request.user), "form": form, "section": "mappings"},
    )


@login_required
@permission_required("checkup.add_result", raise_exception=True)
def results_upload(request: HttpRequest) -> HttpResponse:
    """Upload a result file: ``preview`` shows what each row would do; ``import`` files it."""
    report = None
    form = ResultFileForm(request.POST or None, request.FILES or None)
    staff = Staff.objects.filter(user_id=request.user.pk or 0).select_related("hospital").first()
    if request.method == "POST" and form.is_valid() and staff is not None:
        upload = form.cleaned_data["file"]
        commit = "import" in request.POST
        report = results_import(
            hospital=staff.hospital,
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
            commit=commit,
            valid_only=form.cleaned_data["valid_only"],
        )
        if report.committed:
            messages.success(request, _("%(count)s results imported.") % {"count": report.imported})
        elif commit and not report.error:
            messages.error(request, _("Nothing was imported: the file has rows with errors."))
    return render(
        request, "interop/results_upload.html", {"form": form, "report": report, "section": "import"}
    )
