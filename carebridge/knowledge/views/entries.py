"""What every page of an entry shares: the edit round trip, an entry's URL, and "mark verified"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.forms.entries import EntryForm
from carebridge.knowledge.selectors.entries import (
    department_profile_list,
    doctor_list,
    entry_get,
    external_hospital_list,
    faq_list,
    service_list,
)
from carebridge.knowledge.services.entries import entry_verify


def edit_entry(
    request: HttpRequest,
    form: EntryForm,
    save: Callable[[EntryForm], Any],
    context: dict[str, Any],
    template: str = "knowledge/entry_form.html",
) -> HttpResponse:
    """Validate the form, call the service, go to the entry's page; show a service error on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            entry = save(form)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(entry_url(entry))
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def entry_url(entry: Any) -> str:
    kind = getattr(entry, "kind", "")
    if kind == EntryKind.DEPARTMENT:
        return reverse("knowledge:department", args=[entry.department_id])
    if kind == EntryKind.SERVICE:
        return reverse("knowledge:service", args=[entry.pk])
    if kind == EntryKind.DOCTOR:
        return reverse("knowledge:doctor", args=[entry.pk])
    if kind == EntryKind.EXTERNAL:
        return reverse("knowledge:external", args=[entry.pk])
    if kind == EntryKind.FAQ:
        return reverse("knowledge:faq_list") + f"#faq-{entry.pk}"
    return reverse("knowledge:departments")


_VERIFY = {
    EntryKind.DEPARTMENT: ("departmentprofile", department_profile_list),
    EntryKind.SERVICE: ("service", service_list),
    EntryKind.DOCTOR: ("doctor", doctor_list),
    EntryKind.EXTERNAL: ("externalhospital", external_hospital_list),
    EntryKind.FAQ: ("faq", faq_list),
}


@login_required
@require_POST
def verify(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Record that the entry was checked and is still correct ("mark verified")."""
    if kind not in _VERIFY:
        raise Http404("No such kind of entry.")
    model_name, selector = _VERIFY[EntryKind(kind)]
    if not request.user.has_perm(f"knowledge.change_{model_name}"):
        raise PermissionDenied(_("You may not edit the knowledge base."))
    entry = entry_get(selector(user=request.user), pk)
    entry_verify(entry=entry, actor=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/_verified.html", {"entry": entry, "kind": kind, "can_verify": True})
    messages.success(request, _("Marked as verified."))
    return redirect(entry_url(entry))
