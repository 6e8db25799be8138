"""Pages of the FAQ."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge.forms.entries import FaqForm
from carebridge.knowledge.selectors import entries as selectors
from carebridge.knowledge.services import faq as services
from carebridge.knowledge.views.entries import edit_entry, entry_url


@login_required
@permission_required("knowledge.view_faq", raise_exception=True)
def faq_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.faq_list(user=request.user).filter(is_active=True)
    return render(request, "knowledge/faq_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.add_faq", raise_exception=True)
def faq_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = FaqForm(request.POST or None, hospital=hospital)
    return edit_entry(
        request,
        form,
        lambda f: services.faq_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New question"), "cancel_url": reverse("knowledge:faq_list")},
    )


@login_required
@permission_required("knowledge.change_faq", raise_exception=True)
def faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    faq = selectors.entry_get(selectors.faq_list(user=request.user), pk)
    initial = {name: getattr(faq, name) for name in services.FAQ_FIELDS}
    form = FaqForm(request.POST or None, initial=initial, hospital=faq.hospital)
    return edit_entry(
        request,
        form,
        lambda f: services.faq_update(
            faq=faq, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": faq.question, "cancel_url": entry_url(faq)},
    )
