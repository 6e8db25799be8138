"""Employer groups: the list, a group with its contracts and rosters, the roster import with its
row-by-row report, booking the roster for a day."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carebridge.checkup.choices import RosterImportStatus
from carebridge.checkup.forms.customers import ContractForm, GroupForm, RosterBookForm, RosterImportForm
from carebridge.checkup.models import EmployerGroup, GroupContract, RosterImport
from carebridge.checkup.selectors.catalogue import package_list
from carebridge.checkup.selectors.customers import (
    contract_list,
    group_list,
    group_list_with_counts,
    imports_of,
)
from carebridge.checkup.services.customers import (
    ClassInput,
    contract_create,
    group_create,
    roster_book,
    roster_import,
)
from carebridge.checkup.views.base import current_centre, refusal_message
from carebridge.core.scope import restrict

MAX_UPLOAD = 5 * 1024 * 1024


def _group(request: HttpRequest, pk: int) -> EmployerGroup:
    group = group_list(user=request.user).filter(pk=pk).first()
    if group is None:
        raise Http404("No such group in your scope.")
    return group


def _contract(request: HttpRequest, pk: int) -> GroupContract:
    contract = contract_list(user=request.user).filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract in your scope.")
    return contract


@login_required
@permission_required("checkup.view_employergroup", raise_exception=True)
def groups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "checkup/groups.html",
        {"groups": group_list_with_counts(user=request.user), "section": "groups"},
    )


@login_required
@permission_required("checkup.add_employergroup", raise_exception=True)
def group_new(request: HttpRequest) -> HttpResponse:
    centre = current_centre(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_create(department=centre, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return redirect("checkup:group_detail", pk=group.pk)
    return render(request, "checkup/group_form.html", {"form": form, "section": "groups"})


@login_required
@permission_required("checkup.view_employergroup", raise_exception=True)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    contracts = [
        {
            "contract": contract,
            "members": contract.members.count(),
            "booked": contract.members.filter(visits__isnull=False).distinct().count(),
            "imports": list(imports_of(contract=contract)[:5]),
        }
        for contract in contract_list(user=request.user).filter(group=group).order_by("-starts_on", "-id")
    ]
    return render(
        request,
        "checkup/group_detail.html",
        {
            "group": group,
            "contracts": contracts,
            "import_form": RosterImportForm(),
            "book_form": RosterBookForm(),
            "section": "groups",
        },
    )


@login_required
@permission_required("checkup.add_groupcontract", raise_exception=True)
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    form = ContractForm(request.POST or None, packages=package_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            contract_create(
                group=group,
                actor=request.user,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                classes=[ClassInput(**row) for row in form.classes()],
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return redirect("checkup:group_detail", pk=group.pk)
    return render(request, "checkup/contract_form.html", {"form": form, "group": group, "section": "groups"})


@login_required
@permission_required("checkup.add_rostermember", raise_exception=True)
def contract_import(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            try:
                record = roster_import(
                    contract=contract,
                    content=upload.read(),
                    file_name=upload.name,
                    actor=request.user,
                    mode=form.cleaned_data["mode"],
                )
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, texts)
            else:
                if record.status == RosterImportStatus.REJECTED:
                    messages.error(
                        request,
                        _("Nothing imported: %(n)s rows have errors (see the report).")
                        % {"n": record.rows_rejected},
                    )
                else:
                    messages.success(
                        request, _("%(n)s people added to the roster.") % {"n": record.rows_imported}
                    )
                return redirect("checkup:roster_import_report", pk=record.pk)
    return render(
        request,
        "checkup/roster_import.html",
        {"form": form, "contract": contract, "section": "groups"},
        status=400,
    )


@login_required
@permission_required("checkup.view_rosterimport", raise_exception=True)
def roster_import_report(request: HttpRequest, pk: int) -> HttpResponse:
    record = (
        restrict(RosterImport.objects.select_related("contract__group"), request.user).filter(pk=pk).first()
    )
    if record is None:
        raise Http404("No such import in your scope.")
    return render(
        request,
        "checkup/roster_import.html",
        {"record": record, "contract": record.contract, "section": "groups"},
    )


@login_required
@permission_required("checkup.add_visit", raise_exception=True)
def contract_book(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = RosterBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        members = list(
            contract.members.filter(visits__isnull=True)
            .select_related("patient", "employee_class__package", "employee_class__contract__group")
            .order_by("id")[: form.cleaned_data["limit"]]
        )
        try:
            visits = roster_book(
                contract=contract,
                members=members,
                scheduled_for=form.cleaned_data["scheduled_for"],
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("%(n)s people booked.") % {"n": len(visits)})
    return redirect("checkup:group_detail", pk=contract.group_id)
