"""Demo step: 18 months of care plans, touchpoints and call histories for the demo hospitals' inpatient stays.

What the follow-up services would have recorded for every stay the registry's demo generated (both
hospitals): a plan owned by the ward's project manager (项目经理), the admission interview with its customer
file, mid-stay talks before special examinations or medication, the pre-discharge interview, the tier
chosen by the hospital's real tier policy (``domain.tiers.tier_decide``) at discharge, the doctor's or nurse's
post-discharge call and the tier's follow-up calls, each with its attempts under the policy's redial rules
and escalation chain (phone → SMS → home visit or letter → lost, 失访).

For speed the rows are written in bulk (COPY on PostgreSQL) exactly as the services write them (plans,
touchpoints, their transition rows, attempts, issues: ``demo.rows``), not through the services: a service
call per stay costs hundreds of queries, and back-dated history cannot go through ``moment()``'s "not in
the future" check when ``--as-of`` is today. Audit rows are not written (``AuditEvent.at`` is always
"now"); one ``demo.followup`` row records the load. The stays are built by ``demo.stays``, the call
histories by ``demo.calls``, the wards' profiles and texts are in ``demo.profiles``.

Realism: about 65% of calls reach someone at the first attempt (rising over the 18 months), the rest are
redialled within calling hours, some go to SMS, a few to home visits or letters, about 3% end lost. Two
wards fall short on purpose: 骨科三病区 (ORTH-3, low reach) and 呼吸与危重症医学科二病区 (RESP-2, calls made
late); the paediatric wards, where the programme started, do best. Deterministic with ``context.rng``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.models import AuditEvent, Hospital, Staff, Ward
from carebridge.followup.demo.rows import HospitalSetup
from carebridge.followup.demo.stays import FollowupBuilder
from carebridge.followup.domain.tiers import tier_rules
from carebridge.followup.models import FollowupTier, TouchpointTemplate, WardProjectManager
from carebridge.followup.services.defaults import policy_for
from carebridge.patients.models import Encounter, PatientPhone

# --- the step --------------------------------------------------------------------------------------


def _setup(
    hospital: Hospital, wards: dict[str, list[Ward]], staff: dict[str, dict[str, list[Staff]]]
) -> HospitalSetup:
    """The hospital's follow-up configuration (defaults installed) and a project manager for every ward:
    the demo ward manager for the paediatric wards, a senior nurse of the department elsewhere."""
    policy = policy_for(hospital)
    manager = Staff.objects.filter(hospital=hospital, user__username="ward_manager").first()
    rows = []
    for code, department_wards in wards.items():
        nurses = staff.get(code, {}).get("nurse", [])
        for ward in department_wards:
            chosen = (
                manager
                if manager is not None and code in ("PEDI", "NEON")
                else (nurses[0] if nurses else None)
            )
            if chosen is not None:
                rows.append(WardProjectManager(ward=ward, staff=chosen))
    WardProjectManager.objects.bulk_create(rows, ignore_conflicts=True)
    owners = {
        row.ward_id: row.staff
        for row in WardProjectManager.objects.filter(ward__department__hospital=hospital).select_related(
            "staff__user"
        )
    }
    return HospitalSetup(
        hospital=hospital,
        policy=policy,
        templates={t.kind: t for t in TouchpointTemplate.objects.filter(hospital=hospital, is_active=True)},
        tiers={t.code: t for t in FollowupTier.objects.filter(hospital=hospital).prefetch_related("windows")},
        owners=owners,
        zone=hospital.time_zone,
        rules=tier_rules(hospital_id=hospital.pk),
    )


def demo_now(as_of: dt.date) -> dt.datetime:
    """The demo's present: the end of ``as_of`` in Shanghai, or now if that is earlier."""
    end = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=ZoneInfo("Asia/Shanghai"))
    return min(end, timezone.now())


@register_step(42, "follow-up: care plans, touchpoints, calls")
def seed_followup(context: DemoContext) -> None:
    now = demo_now(context.as_of)
    builder = FollowupBuilder(context, now)
    for hospital, _departments, wards, staff in context.data.get("hospitals", []):
        setup = _setup(hospital, wards, staff)
        stays = (
            Encounter.objects.filter(
                hospital=hospital, kind="inpatient", started_at__lte=now, care_plan__isnull=True
            )
            .select_related("patient", "department", "ward", "attending_doctor", "primary_nurse")
            .prefetch_related(
                "diagnoses",
                Prefetch("patient__phones", queryset=PatientPhone.objects.order_by("-is_primary", "id")),
            )
            .order_by("started_at", "id")
        )
        for encounter in stays:
            builder.stay(encounter, setup, list(encounter.patient.phones.all()))
    with transaction.atomic():
        counts = builder.write()
        AuditEvent.objects.create(
            action="demo.followup",
            object_type="followup.careplan",
            object_id="*",
            summary=", ".join(f"{k} {v}" for k, v in counts.items()),
        )
    context.log("follow-up: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


from carebridge.followup.demo import programmes as _programmes  # noqa: E402, F401 - registers steps 86–87
from carebridge.followup.demo import stay_plans as _stay_plans  # noqa: E402, F401 - registers a step 87
