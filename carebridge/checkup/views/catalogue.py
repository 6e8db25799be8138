"""The catalogue pages: items (search by code, LOINC or name) and packages with their prices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.checkup.selectors.catalogue import item_list, package_list


@login_required
@permission_required("checkup.view_item", raise_exception=True)
def items(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")
    rows = item_list(user=request.user, search=search).prefetch_related("ranges", "coded_values")
    return render(request, "checkup/items.html", {"items": rows, "q": search})


@login_required
@permission_required("checkup.view_package", raise_exception=True)
def packages(request: HttpRequest) -> HttpResponse:
    return render(request, "checkup/packages.html", {"packages": package_list(user=request.user)})
