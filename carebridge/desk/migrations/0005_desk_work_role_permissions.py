"""Give the roles their permissions on inquiries, escorts, handovers and work logs (carebridge/desk/roles.py
``DESK_WORK_PERMISSIONS``, frozen)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_INQUIRY = ("desk.add_inquiry", "desk.view_inquiry", "desk.change_inquiry")
_INQUIRY_STATS = "desk.view_inquiry_statistics"
_ESCORT = ("desk.add_escort", "desk.view_escort", "desk.change_escort")
_HANDOVER = ("desk.view_handover", "desk.change_handover", "desk.acknowledge_handover", "desk.view_shift")
_WORKLOG = ("desk.add_worklog", "desk.view_worklog", "desk.change_worklog")
PERMISSIONS = {
    "agent": (*_INQUIRY, _INQUIRY_STATS, *_ESCORT, *_HANDOVER, *_WORKLOG),
    "ward_manager": _ESCORT,
    "clinician": ("desk.add_escort", "desk.view_escort"),
    "checkup_staff": ("desk.add_escort", "desk.view_escort"),
    "complaint_officer": ("desk.view_inquiry", _INQUIRY_STATS, "desk.view_escort", "desk.view_handover"),
    "quality_officer": ("desk.view_inquiry", _INQUIRY_STATS),
    "dept_head": (_INQUIRY_STATS, "desk.view_escort", "desk.view_worklog", "desk.review_worklogs"),
    "executive": (_INQUIRY_STATS,),
    "admin": (
        *_INQUIRY,
        _INQUIRY_STATS,
        *_ESCORT,
        *_HANDOVER,
        *_WORKLOG,
        "desk.review_worklogs",
        "desk.add_shift",
        "desk.change_shift",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("desk", "0004_inquiries_escorts_handover")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
