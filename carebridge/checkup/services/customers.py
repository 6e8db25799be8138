"""Employer groups (团体客户) and their contracts: a group, a year's contract with a package and price per
employee class, the roster imported from Excel with a row-by-row report, and bookings for the roster.

A roster file with any bad row imports nothing unless the user chose "valid rows only" (DESIGN §3: an
import is one transaction, or reports each rejected row and commits none of them, by choice). Either way
the report of every row is kept with the import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.choices import Channel, OccupationClass, RosterImportStatus, RosterMode, SexScope
from carebridge.checkup.domain.roster import RosterFileError, RosterRow, read_roster
from carebridge.checkup.models import (
    ContractClass,
    EmployerGroup,
    GroupContract,
    Package,
    RosterImport,
    RosterMember,
    Visit,
)
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_of
from carebridge.checkup.services.registry import customer_find_or_register
from carebridge.checkup.services.visits import visit_book
from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor


@transaction.atomic
def group_create(
    *,
    department: Department,
    actor: Actor,
    code: str,
    name: str,
    channel: str = Channel.EMPLOYER,
    occupation_class: str = OccupationClass.OTHER,
    contact_name: str = "",
    contact_phone: str = "",
) -> EmployerGroup:
    require_permission(actor, "checkup.add_employergroup", _("You are not allowed to add groups."))
    require_centre(actor, department)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("A name is required.")]
    if not code.strip():
        errors["code"] = [_("A code is required.")]
    elif EmployerGroup.objects.filter(hospital_id=department.hospital_id, code=code.strip()).exists():
        errors["code"] = [_("Another group has this code.")]
    if channel not in Channel.values or channel == Channel.INDIVIDUAL:
        errors["channel"] = [_("Choose the group's channel.")]
    if occupation_class not in OccupationClass.values:
        errors["occupation_class"] = [_("Unknown occupation class.")]
    if errors:
        raise ValidationError(errors)
    group = EmployerGroup.objects.create(
        hospital_id=department.hospital_id,
        department=department,
        code=code.strip(),
        name=name.strip(),
        channel=channel,
        occupation_class=occupation_class,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    audit_record(actor=actor, action="checkup.group.create", obj=group, summary=group.name)
    return group


@dataclass(frozen=True)
class ClassInput:
    name: str
    package: Package
    price: Decimal
    sex: str = SexScope.ANY


@transaction.atomic
def contract_create(
    *,
    group: EmployerGroup,
    actor: Actor,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    classes: Sequence[ClassInput],
    notes: str = "",
) -> GroupContract:
    """A year's contract: its period and, per employee class, the package and the price per person."""
    require_permission(actor, "checkup.add_groupcontract", _("You are not allowed to add contracts."))
    require_centre(actor, group.department)
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("The contract ends before it starts.")]
    if not classes:
        errors["classes"] = [_("Give at least one employee class with its package and price.")]
    names = [c.name.strip() for c in classes]
    if len(set(names)) != len(names) or not all(names):
        errors["classes"] = [_("Each employee class needs a name of its own.")]
    for entry in classes:
        if entry.package.hospital_id != group.hospital_id or entry.package.kind == "addon":
            errors["classes"] = [
                _("%(package)s cannot be a class's package.") % {"package": entry.package.name}
            ]
        if entry.price < 0:
            errors["classes"] = [_("A price cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    contract = GroupContract.objects.create(
        group=group, name=name.strip() or f"{starts_on:%Y}", starts_on=starts_on, ends_on=ends_on, notes=notes
    )
    ContractClass.objects.bulk_create(
        ContractClass(contract=contract, name=c.name.strip(), sex=c.sex, package=c.package, price=c.price)
        for c in classes
    )
    audit_record(actor=actor, action="checkup.contract.create", obj=contract, summary=str(contract))
    return contract


def _report_row(row: RosterRow, status: str) -> dict[str, object]:
    return {
        "row": row.number,
        "name": row.name,
        "class": row.class_name,
        "status": status,
        "errors": list(row.errors),
    }


@transaction.atomic
def roster_import(
    *,
    contract: GroupContract,
    content: bytes,
    file_name: str,
    actor: Actor,
    mode: str = RosterMode.ALL_OR_NOTHING,
    at: dt.datetime | None = None,
) -> RosterImport:
    """Import a roster file. Every row is checked first; with any bad row nothing is imported unless
    ``mode`` is "valid rows only". A person already on the roster is not added twice. The import and its
    row-by-row report are kept in every case (a file that cannot be read at all is refused)."""
    require_permission(actor, "checkup.add_rostermember", _("You are not allowed to import rosters."))
    require_centre(actor, contract.group.department)
    if mode not in RosterMode.values:
        raise ValidationError({"mode": [_("Unknown import mode.")]})
    try:
        rows = read_roster(content)
    except RosterFileError as error:
        raise ValidationError({"file": [str(error)]}) from None
    if not rows:
        raise ValidationError({"file": [_("The file has no rows.")]})
    classes = {c.name: c for c in contract.classes.select_related("package")}
    for row in rows:
        if row.class_name and row.class_name not in classes:
            row.errors.append(
                _("Unknown employee class “%(name)s”; the contract has: %(known)s.")
                % {"name": row.class_name, "known": "、".join(classes)}
            )
        elif row.class_name and classes[row.class_name].sex not in (SexScope.ANY, row.sex):
            row.errors.append(_("The class %(name)s is for the other sex.") % {"name": row.class_name})
    bad = [row for row in rows if not row.ok]
    write = not bad or mode == RosterMode.VALID_ROWS
    now = moment(at)
    record = RosterImport.objects.create(
        contract=contract,
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        mode=mode,
        status=RosterImportStatus.IMPORTED
        if not bad
        else (RosterImportStatus.PARTIAL if write else RosterImportStatus.REJECTED),
        rows_total=len(rows),
        rows_imported=0,
        rows_rejected=len(bad),
        imported_by=user_of(actor),
        imported_at=now,
    )
    report = []
    imported = 0
    for row in rows:
        if not row.ok:
            report.append(_report_row(row, "error"))
            continue
        if not write:
            report.append(_report_row(row, "not_imported"))
            continue
        patient, created = customer_find_or_register(
            hospital=contract.group.hospital,
            actor=actor,
            name=row.name,
            sex=row.sex,
            birth_date=row.birth_date,
            national_id=row.national_id,
            phone=row.phone,
            source_key=None if row.national_id else f"roster:{record.sha256[:16]}:{row.number}",
        )
        _member, added = RosterMember.objects.get_or_create(
            contract=contract,
            patient=patient,
            defaults={
                "employee_class": classes[row.class_name],
                "employee_no": row.employee_no,
                "roster_import": record,
            },
        )
        imported += int(added)
        report.append(
            _report_row(row, ("registered" if created else "found") if added else "already_on_roster")
        )
    record.rows_imported = imported
    record.report = report
    record.save(update_fields=["rows_imported", "report"])
    audit_record(
        actor=actor,
        action="checkup.roster.import",
        obj=record,
        summary=f"{file_name[:100]}: {imported}/{len(rows)}",
        changes={"status": record.status, "rejected": len(bad)},
    )
    return record


@transaction.atomic
def roster_book(
    *, contract: GroupContract, members: Iterable[RosterMember], scheduled_for: dt.date, actor: Actor
) -> list[Visit]:
    """Book the given roster members for one day with their class's package and price (one transaction:
    a full day books nobody)."""
    booked = []
    for member in members:
        if member.contract_id != contract.pk:
            raise ValidationError({"members": [_("A person is not on this contract's roster.")]})
        booked.append(
            visit_book(
                patient=member.patient,
                department=contract.group.department,
                scheduled_for=scheduled_for,
                actor=actor,
                contract_class=member.employee_class,
                roster_member=member,
            )
        )
    return booked
