"""The results of clinical encounters (an inpatient's ward laboratory results, an outpatient's tests):
filed through the same ``result_record`` as the centre's results — the same unit conversion, reference
ranges, flags, audit and in-transaction ``result_recorded`` event on which critical-result rules act —
into a results holder: a ``Visit`` of kind ``clinical``, one per laboratory order (LIS order number,
FHIR DiagnosticReport) of an encounter, in the encounter's department. A holder per order, not per
encounter: a stay has many potassium results over its days, and each report is a new result, not a
correction of the last one. ``Visit.objects`` never returns it, so the centre's lists, statistics,
tasks, review queue and reports do not see it (docs/architecture.md, "Clinical results").

Only the intake of the hospital's systems creates holders and their orders; nobody books, checks in,
walks the rooms, signs or releases one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.choices import OrderStatus, VisitKind, VisitStatus
from carebridge.checkup.models import Item, OrderedItem, Visit
from carebridge.checkup.services.base import require_centre, require_permission, user_or_none
from carebridge.checkup.services.visits import NUMBER_PREFIX
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

NUMBER_LENGTH = 20


def holder_key(encounter: Encounter, order_number: str) -> str:
    return f"encounter:{encounter.pk}:{order_number}"[:128]


def _number(encounter: Encounter, order_number: str) -> str:
    """The laboratory's order number when it is free in the hospital (and not in the centre's own
    ``TJ<date><serial>`` series, which ``visit_number_next`` counts), else ``EN<encounter>-<n>``: the
    number the critical queue and the patient's file show."""
    usable = 0 < len(order_number) <= NUMBER_LENGTH and not order_number.startswith(NUMBER_PREFIX)
    if usable and not Visit.all_kinds.filter(hospital_id=encounter.hospital_id, number=order_number).exists():
        return order_number
    serial = Visit.all_kinds.filter(encounter=encounter).count() + 1
    used = set(
        Visit.all_kinds.filter(
            hospital_id=encounter.hospital_id, number__startswith=f"EN{encounter.pk}-"
        ).values_list("number", flat=True)
    )
    while f"EN{encounter.pk}-{serial}" in used:
        serial += 1
    return f"EN{encounter.pk}-{serial}"


@transaction.atomic
def clinical_holder(*, encounter: Encounter, order_number: str, actor: Actor | None) -> Visit:
    """The results holder of laboratory order ``order_number`` of ``encounter`` (an inpatient,
    outpatient or emergency encounter), created with its first result. Refused for a checkup encounter
    (its results belong to its checkup visit)."""
    if actor is not None:
        require_permission(actor, "checkup.add_result", _("You are not allowed to enter results."))
    locked = Encounter.objects.select_for_update().select_related("department").get(pk=encounter.pk)
    if locked.kind == EncounterKind.CHECKUP:
        raise ValidationError(
            {"encounter": [_("A checkup encounter's results are filed into its checkup visit.")]}
        )
    if actor is not None:
        require_centre(actor, locked.department)
    order_number = order_number.strip()
    key = holder_key(locked, order_number)
    existing = Visit.all_kinds.filter(source_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    holder = Visit.all_kinds.create(
        hospital_id=locked.hospital_id,
        department=locked.department,
        patient_id=locked.patient_id,
        encounter=locked,
        kind=VisitKind.CLINICAL,
        source_key=key,
        number=_number(locked, order_number),
        scheduled_for=timezone.localdate(now),
        status=VisitStatus.CHECKED_IN,
        booked_at=now,
        checked_in_at=now,
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="checkup.clinical.open",
        obj=holder,
        summary=f"{holder.number} {locked.get_kind_display()} {locked.department}"[:255],
    )
    return holder


@transaction.atomic
def clinical_order(*, holder: Visit, item: Item) -> OrderedItem:
    """The order of ``item`` on a clinical results holder: the laboratory ordered it in the HIS, so it
    is written here when its first result arrives (the centre's orders come from its packages)."""
    if holder.kind != VisitKind.CLINICAL:
        raise ValidationError({"visit": [_("Only a clinical encounter's results are ordered on arrival.")]})
    if item.hospital_id != holder.hospital_id:
        raise ValidationError({"item": [_("This item belongs to another hospital.")]})
    order, _created = OrderedItem.objects.get_or_create(
        visit=holder, item=item, defaults={"status": OrderStatus.ORDERED, "price": 0}
    )
    return order
