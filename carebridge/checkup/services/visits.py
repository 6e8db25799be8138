"""Visits before and on the day: booking (individual or group, package + add-ons + single items, the
day's capacity), check-in (the registry's encounter, the guide sheet's number), breakfast, leaving the
centre, cancelling, and waiving an item with a reason.

Every status change goes through :data:`VISIT` (the life cycle of ``choices.VISIT_TRANSITIONS``) and
writes a transition row; every service writes its audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.choices import (
    VISIT_TRANSITIONS,
    Channel,
    OccupationClass,
    OrderStatus,
    PackageKind,
    SexScope,
    VisitStatus,
)
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import (
    ContractClass,
    DayCapacity,
    EmployerGroup,
    Item,
    OrderedItem,
    Package,
    RosterMember,
    Visit,
    VisitTransition,
)
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_or_none
from carebridge.checkup.services.registry import checkup_encounter_open
from carebridge.core.models import Department, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.patients.models import Patient

VISIT: Lifecycle[Visit] = Lifecycle(
    record=VisitTransition, subject="visit", moves=VISIT_TRANSITIONS, choices=VisitStatus
)
# Bookings a day takes when nobody set the day's capacity (``DayCapacity``).
DEFAULT_DAILY_CAPACITY = 400
NUMBER_PREFIX = "TJ"
# Bookings that take a place on their day.
_PLACE_TAKING = (
    VisitStatus.BOOKED,
    VisitStatus.CHECKED_IN,
    VisitStatus.EXAMINED,
    VisitStatus.SIGNED,
    VisitStatus.RELEASED,
)


def day_capacity(*, department: Department, day: dt.date) -> int:
    row = DayCapacity.objects.filter(department=department, date=day).first()
    return row.capacity if row is not None else DEFAULT_DAILY_CAPACITY


def day_booked(*, department: Department, day: dt.date) -> int:
    return Visit.objects.filter(department=department, scheduled_for=day, status__in=_PLACE_TAKING).count()


def visit_number_next(*, department: Department, day: dt.date) -> str:
    """``TJ20250312`` + the day's serial: printed on the guide sheet and in its code."""
    prefix = f"{NUMBER_PREFIX}{day:%Y%m%d}"
    last = Visit.objects.filter(hospital_id=department.hospital_id, number__startswith=prefix).aggregate(
        last=Max("number")
    )["last"]
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _fits(scope_sex: str, sex: str) -> bool:
    return scope_sex in (SexScope.ANY, sex)


def _check_package(
    package: Package, patient: Patient, day: dt.date, errors: dict[str, list[str]], *, check_age: bool = True
) -> None:
    """The package is offered and fits the person's sex and (unless a contract chose it) age band."""
    age = age_on(patient.birth_date, day) if check_age else None
    if not package.is_active or package.hospital_id != patient.hospital_id:
        errors.setdefault("package", []).append(_("This package is not offered."))
    elif not _fits(package.sex, patient.sex):
        errors.setdefault("package", []).append(
            _("%(package)s is for %(sex)s.") % {"package": package.name, "sex": package.get_sex_display()}
        )
    elif age is not None and (
        (package.age_min is not None and age < package.age_min)
        or (package.age_max is not None and age >= package.age_max)
    ):
        errors.setdefault("package", []).append(
            _("%(package)s is not for a person aged %(age)s.") % {"package": package.name, "age": age}
        )


def _check_escort(escort: Staff | None, department: Department, errors: dict[str, list[str]]) -> None:
    """专人陪检: any active member of staff of the centre's hospital, chosen at the desk."""
    if escort is not None and (escort.hospital_id != department.hospital_id or not escort.is_active):
        errors.setdefault("escort", []).append(
            _("The escort must be an active member of the centre's staff.")
        )


@transaction.atomic
def visit_book(
    *,
    patient: Patient,
    department: Department,
    scheduled_for: dt.date,
    actor: Actor,
    package: Package | None = None,
    addons: Iterable[Package] = (),
    extra_items: Iterable[Item] = (),
    channel: str = Channel.INDIVIDUAL,
    occupation_class: str = OccupationClass.OTHER,
    group: EmployerGroup | None = None,
    contract_class: ContractClass | None = None,
    roster_member: RosterMember | None = None,
    escort: Staff | None = None,
    at: dt.datetime | None = None,
) -> Visit:
    """Book a visit: the package's items for the person's sex, the add-ons ("1+X") and single items,
    priced; refused when the day is full, a package does not fit the person, or nothing is ordered."""
    require_permission(actor, "checkup.add_visit", _("You are not allowed to book checkups."))
    require_centre(actor, department)
    now = moment(at)
    addon_list, extra_list = list(addons), list(extra_items)
    if contract_class is not None:
        package = contract_class.package
        group = contract_class.contract.group
        channel = group.channel
        occupation_class = group.occupation_class
    elif group is not None:
        channel, occupation_class = group.channel, group.occupation_class
    errors: dict[str, list[str]] = {}
    if department.hospital_id != patient.hospital_id:
        errors.setdefault("department", []).append(_("The centre belongs to another hospital."))
    if channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Unknown channel."))
    if occupation_class not in OccupationClass.values:
        errors.setdefault("occupation_class", []).append(_("Unknown occupation class."))
    _check_escort(escort, department, errors)
    if scheduled_for < timezone.localdate(now):
        errors.setdefault("scheduled_for", []).append(_("The date is in the past."))
    if package is not None:
        _check_package(package, patient, scheduled_for, errors, check_age=contract_class is None)
    for addon in addon_list:
        if addon.kind != PackageKind.ADDON:
            errors.setdefault("addons", []).append(
                _("%(package)s is not an add-on module.") % {"package": addon.name}
            )
    booked, capacity = (
        day_booked(department=department, day=scheduled_for),
        day_capacity(department=department, day=scheduled_for),
    )
    if booked >= capacity:
        errors.setdefault("scheduled_for", []).append(
            _("%(day)s is fully booked (%(booked)s of %(capacity)s).")
            % {"day": scheduled_for.isoformat(), "booked": booked, "capacity": capacity}
        )
    # The items: package first, then add-ons, then single items; each once, and only for the person's sex.
    chosen: dict[int, tuple[Item, Package | None, Decimal]] = {}
    sources: list[tuple[Package | None, Iterable[Item]]] = []
    if package is not None:
        sources.append((package, package.items.filter(is_active=True).order_by("sequence", "id")))
    sources += [
        (addon, addon.items.filter(is_active=True).order_by("sequence", "id")) for addon in addon_list
    ]
    sources.append((None, extra_list))
    for source, items in sources:
        for item in items:
            if (
                item.pk in chosen
                or not _fits(item.sex, patient.sex)
                or item.hospital_id != patient.hospital_id
            ):
                continue
            chosen[item.pk] = (item, source, Decimal(0) if source is not None else item.price)
    if not chosen and not errors:
        errors.setdefault("package", []).append(_("Choose a package or at least one item."))
    if errors:
        raise ValidationError(errors)
    base_price = contract_class.price if contract_class is not None else (package.price if package else 0)
    price = Decimal(base_price) + sum((a.price for a in addon_list), Decimal(0))
    price += sum((p for _item, _source, p in chosen.values()), Decimal(0))
    visit = Visit.objects.create(
        hospital_id=department.hospital_id,
        department=department,
        patient=patient,
        number=visit_number_next(department=department, day=scheduled_for),
        scheduled_for=scheduled_for,
        channel=channel,
        occupation_class=occupation_class,
        group=group,
        contract_class=contract_class,
        roster_member=roster_member,
        package=package,
        price=price,
        escort=escort,
        booked_at=now,
        created_by=user_or_none(actor),
    )
    visit.addons.set(addon_list)
    OrderedItem.objects.bulk_create(
        OrderedItem(visit=visit, item=item, package=source, price=item_price)
        for item, source, item_price in chosen.values()
    )
    transition_record(
        lifecycle=VISIT, obj=visit, from_status="", to_status=VisitStatus.BOOKED, actor=actor, at=now
    )
    audit_record(
        actor=actor,
        action="checkup.visit.book",
        obj=visit,
        summary=f"{visit.number} {scheduled_for:%Y-%m-%d} {package.name if package else ''}".strip(),
        changes={"items": len(chosen), "price": str(price)},
    )
    return visit


# Until the person leaves the centre, the desk may give them an escort, change it or take it away.
ESCORT_CHANGEABLE = frozenset({VisitStatus.BOOKED, VisitStatus.CHECKED_IN})


@transaction.atomic
def visit_escort_change(*, visit: Visit, escort: Staff | None, actor: Actor) -> Visit:
    """专人陪检 after booking: give the person a dedicated escort, change it or remove it (``None``),
    while the visit is booked or under way; the change is in the audit trail with both names."""
    require_permission(actor, "checkup.change_visit", _("You are not allowed to change checkups."))
    locked = (
        Visit.objects.select_for_update(of=("self",)).select_related("department", "escort").get(pk=visit.pk)
    )
    require_centre(actor, locked.department)
    errors: dict[str, list[str]] = {}
    if locked.status not in ESCORT_CHANGEABLE:
        errors.setdefault("escort", []).append(
            _("The escort can be changed only before the person leaves the centre.")
        )
    _check_escort(escort, locked.department, errors)
    if errors:
        raise ValidationError(errors)
    before = locked.escort
    if (before.pk if before else None) == (escort.pk if escort else None):
        return locked
    locked.escort = escort
    locked.save(update_fields=["escort"])
    audit_record(
        actor=actor,
        action="checkup.visit.escort",
        obj=locked,
        summary=f"{locked.number} {escort.name if escort else '-'}",
        changes={"escort": [before.name if before else "", escort.name if escort else ""]},
    )
    return locked


@transaction.atomic
def visit_check_in(
    *,
    visit: Visit,
    actor: Actor,
    arrived_fasting: bool = True,
    pregnancy_possible: bool = False,
    at: dt.datetime | None = None,
) -> Visit:
    """The person is here: open the registry's checkup encounter and start the day (the guide sheet
    prints the visit number as a code the rooms scan)."""
    require_permission(actor, "checkup.check_in_visit", _("You are not allowed to check people in."))
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().select_related("patient", "department").get(pk=visit.pk)
    if locked.scheduled_for != timezone.localdate(now):
        raise ValidationError({"scheduled_for": [_("This visit is booked for another day.")]})
    if pregnancy_possible and locked.patient.sex == "M":
        raise ValidationError({"pregnancy_possible": [_("Only a woman can be pregnant.")]})
    locked.arrived_fasting = arrived_fasting
    locked.pregnancy_possible = pregnancy_possible
    locked.checked_in_at = now
    locked.encounter = checkup_encounter_open(
        patient=locked.patient,
        department=locked.department,
        actor=actor,
        started_at=now,
        source_key=f"checkup-visit:{locked.hospital_id}:{locked.number}",
    )
    transition_apply(
        lifecycle=VISIT,
        obj=locked,
        to=VisitStatus.CHECKED_IN,
        actor=actor,
        at=now,
        update_fields=["arrived_fasting", "pregnancy_possible", "checked_in_at", "encounter"],
    )
    audit_record(actor=actor, action="checkup.visit.check_in", obj=locked, summary=locked.number)
    return locked


@transaction.atomic
def visit_meal_record(*, visit: Visit, actor: Actor, at: dt.datetime | None = None) -> Visit:
    """Breakfast (after the fasting items): the after-meal items are due two hours later."""
    if not (actor.has_perm("checkup.move_queueentry") or actor.has_perm("checkup.check_in_visit")):
        raise PermissionDenied(_("You are not allowed to record this."))
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status != VisitStatus.CHECKED_IN:
        raise ValidationError({"visit": [_("The person is not in the centre.")]})
    if locked.meal_at is not None:
        return locked
    locked.meal_at = now
    locked.save(update_fields=["meal_at"])
    audit_record(actor=actor, action="checkup.visit.meal", obj=locked, summary=f"{now:%H:%M}")
    return locked


@transaction.atomic
def visit_leave(*, visit: Visit, actor: Actor, at: dt.datetime | None = None, reason: str = "") -> Visit:
    """The person leaves the centre (检毕); items still undone stay visible as missing on the
    workstation until resulted or waived."""
    require_permission(actor, "checkup.check_in_visit", _("You are not allowed to check people out."))
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    from carebridge.checkup.services.flow import queue_close_open

    queue_close_open(visit=locked, at=now)
    locked.examined_at = now
    transition_apply(
        lifecycle=VISIT,
        obj=locked,
        to=VisitStatus.EXAMINED,
        actor=actor,
        at=now,
        reason=reason,
        update_fields=["examined_at"],
    )
    audit_record(actor=actor, action="checkup.visit.leave", obj=locked, summary=locked.number)
    return locked


@transaction.atomic
def visit_cancel(
    *, visit: Visit, actor: Actor, reason: str, no_show: bool = False, at: dt.datetime | None = None
) -> Visit:
    """Cancel a booking (or record that the person did not come), with a reason."""
    require_permission(actor, "checkup.check_in_visit", _("You are not allowed to cancel visits."))
    require_centre(actor, visit.department)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason.")]})
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    to = VisitStatus.NO_SHOW if no_show else VisitStatus.CANCELLED
    if locked.results.exists():
        raise ValidationError({"to": [_("A visit with results cannot be cancelled.")]})
    transition_apply(lifecycle=VISIT, obj=locked, to=to, actor=actor, at=now, reason=reason.strip())
    audit_record(actor=actor, action=f"checkup.visit.{to}", obj=locked, summary=reason.strip()[:200])
    return locked


@transaction.atomic
def order_waive(
    *, order: OrderedItem, actor: Actor, reason: str, at: dt.datetime | None = None
) -> OrderedItem:
    """Give up an item for this visit (the person refused, pregnancy, menstruation …), with a reason:
    completeness then counts it as waived, not missing."""
    require_permission(actor, "checkup.change_ordereditem", _("You are not allowed to waive items."))
    locked = OrderedItem.objects.select_for_update().select_related("visit", "item").get(pk=order.pk)
    require_centre(actor, locked.visit.department)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give a reason for waiving the item.")]})
    if locked.status != OrderStatus.ORDERED:
        raise ValidationError({"order": [_("Only an item without a result can be waived.")]})
    if locked.visit.status not in (VisitStatus.BOOKED, VisitStatus.CHECKED_IN, VisitStatus.EXAMINED):
        raise ValidationError({"order": [_("The visit is already signed.")]})
    now = moment(at)
    locked.status = OrderStatus.WAIVED
    locked.waived_reason = reason.strip()[:255]
    locked.waived_by = user_or_none(actor)
    locked.waived_at = now
    locked.save(update_fields=["status", "waived_reason", "waived_by", "waived_at"])
    audit_record(
        actor=actor, action="checkup.order.waive", obj=locked, summary=f"{locked.item.name}: {reason}"[:200]
    )
    return locked


def visits_close_stale(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The nightly close: people still checked in on an earlier day have left (检毕), bookings of an
    earlier day that nobody checked in did not come. Each visit in its own transaction; idempotent."""
    from carebridge.checkup.services.flow import queue_close_open

    moment_now = moment(now)
    today = timezone.localdate(moment_now)
    left = no_show = 0
    for pk in list(
        Visit.objects.filter(status=VisitStatus.CHECKED_IN, scheduled_for__lt=today).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            visit = Visit.objects.select_for_update().get(pk=pk)
            if visit.status != VisitStatus.CHECKED_IN:
                continue
            queue_close_open(visit=visit, at=moment_now)
            visit.examined_at = moment_now
            transition_apply(
                lifecycle=VISIT,
                obj=visit,
                to=VisitStatus.EXAMINED,
                actor=None,
                at=moment_now,
                reason=_("Closed at the end of the day."),
                update_fields=["examined_at"],
            )
            audit_record(actor=None, action="checkup.visit.leave", obj=visit, summary=visit.number)
            left += 1
    for pk in list(
        Visit.objects.filter(status=VisitStatus.BOOKED, scheduled_for__lt=today).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            visit = Visit.objects.select_for_update().get(pk=pk)
            if visit.status == VisitStatus.BOOKED:
                transition_apply(
                    lifecycle=VISIT,
                    obj=visit,
                    to=VisitStatus.NO_SHOW,
                    actor=None,
                    at=moment_now,
                    reason=_("Not checked in on the booked day."),
                )
                audit_record(actor=None, action="checkup.visit.no_show", obj=visit, summary=visit.number)
                no_show += 1
    return {"left": left, "no_show": no_show}
