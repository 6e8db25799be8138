"""The search page of the living dictionary."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.knowledge.choices import EntryKind
from carebridge.knowledge.domain.geo import Origin
from carebridge.knowledge.forms.search import SearchForm
from carebridge.knowledge.selectors.search import knowledge_search


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        origin = None
        if form.cleaned_data["region"]:
            origin = Origin(region_code=form.cleaned_data["region"], label=form.cleaned_data["region"])
        results = knowledge_search(user=request.user, query=form.cleaned_data["q"], origin=origin)
    context = {"form": form, "results": results, "kinds": EntryKind}
    template = "knowledge/_results.html" if request.htmx else "knowledge/search.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=400 if form.errors else 200)
