"""The desk app hands its models over to ``carebridge.complaints`` and ``carebridge.frontdesk``.

The tables (``desk_complaint`` …) and their rows stay exactly as they are. The new apps' ``0001_initial``
have already taken the same models into their state, and the apps whose foreign keys point at these tables have re-pointed them in state (``followup/0004``,
``surveys/0004``); only then may the desk's models leave the state, because Django refuses to build a
state in which a foreign key points at a model that no longer exists. Then the content types take the new
app labels, so every permission, every group's and user's grant of it and every admin log entry stays
attached to the same row (``complaints.add_complaint``, ``frontdesk.add_inquiry`` … are the former
``desk.*`` permissions). After this migration the desk app has no models; it stays installed only so this
history can run.
"""

from django.db import migrations

# Fields first, then the models, so the state never holds a field pointing at a deleted model of this app.
STATE = [
    migrations.DeleteModel(
        name="CategoryKeyword",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="customer",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="departments",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="escalated_to",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="owner",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="patient",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="responsible_office",
    ),
    migrations.RemoveField(
        model_name="complaint",
        name="staff",
    ),
    migrations.RemoveField(
        model_name="complaintattachment",
        name="complaint",
    ),
    migrations.RemoveField(
        model_name="recoveryaction",
        name="complaint",
    ),
    migrations.RemoveField(
        model_name="complaintdeadline",
        name="complaint",
    ),
    migrations.RemoveField(
        model_name="complaintnote",
        name="complaint",
    ),
    migrations.RemoveField(
        model_name="complainttransition",
        name="complaint",
    ),
    migrations.RemoveField(
        model_name="complaintattachment",
        name="uploaded_by",
    ),
    migrations.RemoveField(
        model_name="complaintnote",
        name="author",
    ),
    migrations.RemoveField(
        model_name="complaintpolicy",
        name="default_office",
    ),
    migrations.RemoveField(
        model_name="complaintpolicy",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="complaintpolicy",
        name="office_head",
    ),
    migrations.RemoveField(
        model_name="complainttransition",
        name="actor",
    ),
    migrations.RemoveField(
        model_name="escort",
        name="assigned_to",
    ),
    migrations.RemoveField(
        model_name="escort",
        name="department",
    ),
    migrations.RemoveField(
        model_name="escort",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="escort",
        name="patient",
    ),
    migrations.RemoveField(
        model_name="escort",
        name="requested_by",
    ),
    migrations.RemoveField(
        model_name="escorttransition",
        name="escort",
    ),
    migrations.RemoveField(
        model_name="escorttransition",
        name="actor",
    ),
    migrations.RemoveField(
        model_name="escorttransition",
        name="assigned_to",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="acknowledged_by",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="handed_over_by",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="next_shift",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="opened_by",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="shift",
    ),
    migrations.RemoveField(
        model_name="handoveritem",
        name="handover",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="answered_by",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="patient",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="received_by",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="recommended_department",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="recommended_doctor",
    ),
    migrations.RemoveField(
        model_name="inquiry",
        name="referred_hospital",
    ),
    migrations.RemoveField(
        model_name="recoveryaction",
        name="recorded_by",
    ),
    migrations.RemoveField(
        model_name="routingrule",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="routingrule",
        name="office",
    ),
    migrations.RemoveField(
        model_name="shift",
        name="hospital",
    ),
    migrations.RemoveField(
        model_name="worklog",
        name="author",
    ),
    migrations.RemoveField(
        model_name="worklog",
        name="hospital",
    ),
    migrations.DeleteModel(
        name="ComplaintPause",
    ),
    migrations.DeleteModel(
        name="ComplaintDeadline",
    ),
    migrations.DeleteModel(
        name="Complaint",
    ),
    migrations.DeleteModel(
        name="ComplaintAttachment",
    ),
    migrations.DeleteModel(
        name="ComplaintNote",
    ),
    migrations.DeleteModel(
        name="ComplaintPolicy",
    ),
    migrations.DeleteModel(
        name="ComplaintTransition",
    ),
    migrations.DeleteModel(
        name="Escort",
    ),
    migrations.DeleteModel(
        name="EscortTransition",
    ),
    migrations.DeleteModel(
        name="Handover",
    ),
    migrations.DeleteModel(
        name="HandoverItem",
    ),
    migrations.DeleteModel(
        name="Inquiry",
    ),
    migrations.DeleteModel(
        name="RecoveryAction",
    ),
    migrations.DeleteModel(
        name="RoutingRule",
    ),
    migrations.DeleteModel(
        name="Shift",
    ),
    migrations.DeleteModel(
        name="WorkLog",
    ),
]

# The new label of each former desk model.
NEW_LABEL = {
    **dict.fromkeys(
        (
            "complaint",
            "complainttransition",
            "complaintdeadline",
            "complaintpause",
            "complaintnote",
            "recoveryaction",
            "complaintattachment",
            "complaintpolicy",
            "routingrule",
            "categorykeyword",
        ),
        "complaints",
    ),
    **dict.fromkeys(
        ("inquiry", "escort", "escorttransition", "shift", "handover", "handoveritem", "worklog"), "frontdesk"
    ),
}


def _move_content_type(apps, db: str, *, model: str, old: str, new: str) -> None:
    """Relabel one content type; idempotent. If both labels exist (a grant migration of another app, or
    ``post_migrate``, created the new one in between), the old row's grants move to the new row and the old
    row goes: nothing exists twice."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    log_entry_model = apps.get_model("admin", "LogEntry")
    source = content_type_model.objects.using(db).filter(app_label=old, model=model).first()
    if source is None:
        return
    target = content_type_model.objects.using(db).filter(app_label=new, model=model).first()
    if target is None:
        source.app_label = new
        source.save(update_fields=["app_label"])
        return
    for permission in permission_model.objects.using(db).filter(content_type=source):
        twin = (
            permission_model.objects.using(db)
            .filter(content_type=target, codename=permission.codename)
            .first()
        )
        if twin is None:
            permission.content_type = target
            permission.save(update_fields=["content_type"])
            continue
        for group in permission.group_set.all():
            group.permissions.add(twin)
        for user in permission.user_set.all():
            user.user_permissions.add(twin)
        permission.delete()
    log_entry_model.objects.using(db).filter(content_type=source).update(content_type=target)
    source.delete()


def _relabel(apps, schema_editor, *, forwards: bool) -> None:
    for model, label in NEW_LABEL.items():
        old, new = ("desk", label) if forwards else (label, "desk")
        _move_content_type(apps, schema_editor.connection.alias, model=model, old=old, new=new)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def relabel_forwards(apps, schema_editor):
    _relabel(apps, schema_editor, forwards=True)


def relabel_backwards(apps, schema_editor):
    _relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0005_desk_work_role_permissions"),
        ("complaints", "0001_initial"),
        ("frontdesk", "0001_initial"),
        # Their foreign keys to desk_complaint now name complaints.Complaint.
        ("followup", "0005_callissue_complaint_to_complaints_app"),
        ("surveys", "0005_recoverycase_complaint_to_complaints_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),
        migrations.RunPython(relabel_forwards, relabel_backwards),
    ]
