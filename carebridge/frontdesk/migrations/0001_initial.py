"""The front desk takes over its models from the former desk app. State only: the tables, still named
``desk_*``, and their rows stay as they are; ``desk/0006`` then drops the models from the desk's state
and relabels their content types."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The models as ``desk/0001``–``0005`` left them, now in this app's state (``desk/0006`` then drops them
# from the desk's); their tables keep their names.
STATE = [
    migrations.CreateModel(
        name="Escort",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("patient_name", models.CharField(max_length=64, verbose_name="patient name")),
            ("from_place", models.CharField(max_length=128, verbose_name="from")),
            ("to_place", models.CharField(max_length=128, verbose_name="to")),
            ("scheduled_at", models.DateTimeField(db_index=True, verbose_name="when")),
            (
                "mobility",
                models.CharField(
                    choices=[
                        ("walking", "Walking (步行)"),
                        ("wheelchair", "Wheelchair (轮椅)"),
                        ("stretcher", "Stretcher (平车)"),
                    ],
                    max_length=16,
                    verbose_name="mobility",
                ),
            ),
            ("notes", models.TextField(blank=True, verbose_name="notes")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("requested", "Requested (待派)"),
                        ("assigned", "Assigned (已派)"),
                        ("under_way", "Under way (陪送中)"),
                        ("done", "Done (已完成)"),
                        ("cancelled", "Cancelled (已取消)"),
                    ],
                    default="requested",
                    max_length=16,
                    verbose_name="status",
                ),
            ),
            ("requested_at", models.DateTimeField(verbose_name="requested at")),
            ("assigned_at", models.DateTimeField(blank=True, null=True, verbose_name="assigned at")),
            ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started at")),
            ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
            ("cancelled_at", models.DateTimeField(blank=True, null=True, verbose_name="cancelled at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            (
                "assigned_to",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="escorts",
                    to="core.staff",
                    verbose_name="assigned to",
                ),
            ),
            (
                "department",
                models.ForeignKey(
                    blank=True,
                    help_text="The requesting or receiving department (decides who else may see the request).",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="escorts",
                    to="core.department",
                    verbose_name="department",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="escorts", to="core.hospital"
                ),
            ),
            (
                "patient",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="escorts",
                    to="patients.patient",
                    verbose_name="patient",
                ),
            ),
            (
                "requested_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="requested by",
                ),
            ),
        ],
        options={
            "verbose_name": "escort",
            "verbose_name_plural": "escorts",
            "db_table": "desk_escort",
            "ordering": ["scheduled_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="EscortTransition",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("at", models.DateTimeField(verbose_name="at")),
            ("reason", models.TextField(blank=True, verbose_name="reason")),
            (
                "from_status",
                models.CharField(
                    blank=True,
                    choices=[
                        ("requested", "Requested (待派)"),
                        ("assigned", "Assigned (已派)"),
                        ("under_way", "Under way (陪送中)"),
                        ("done", "Done (已完成)"),
                        ("cancelled", "Cancelled (已取消)"),
                    ],
                    max_length=16,
                    verbose_name="from",
                ),
            ),
            (
                "to_status",
                models.CharField(
                    choices=[
                        ("requested", "Requested (待派)"),
                        ("assigned", "Assigned (已派)"),
                        ("under_way", "Under way (陪送中)"),
                        ("done", "Done (已完成)"),
                        ("cancelled", "Cancelled (已取消)"),
                    ],
                    max_length=16,
                    verbose_name="to",
                ),
            ),
            (
                "actor",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="actor",
                ),
            ),
            (
                "assigned_to",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="core.staff",
                    verbose_name="assigned to",
                ),
            ),
            (
                "escort",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="transitions",
                    to="frontdesk.escort",
                ),
            ),
        ],
        options={
            "verbose_name": "escort transition",
            "verbose_name_plural": "escort transitions",
            "db_table": "desk_escorttransition",
            "ordering": ["at", "id"],
            "abstract": False,
        },
    ),
    migrations.CreateModel(
        name="Handover",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("shift_date", models.DateField(verbose_name="shift date")),
            ("handover_at", models.DateTimeField(db_index=True, verbose_name="handover time")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("open", "Waiting for acknowledgement (待接班)"),
                        ("acknowledged", "Acknowledged (已接班)"),
                    ],
                    default="open",
                    max_length=16,
                    verbose_name="status",
                ),
            ),
            ("notes", models.TextField(blank=True, verbose_name="notes")),
            ("opened_at", models.DateTimeField(verbose_name="opened at")),
            ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at")),
            ("acknowledgement_note", models.TextField(blank=True, verbose_name="acknowledgement note")),
            (
                "acknowledged_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="acknowledged by",
                ),
            ),
            (
                "handed_over_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="handed over by",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="handovers", to="core.hospital"
                ),
            ),
            (
                "opened_by",
                models.ForeignKey(
                    blank=True,
                    help_text="Empty when the scheduled task opened it.",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="opened by",
                ),
            ),
        ],
        options={
            "verbose_name": "shift handover",
            "verbose_name_plural": "shift handovers",
            "db_table": "desk_handover",
            "ordering": ["-handover_at", "-id"],
            "permissions": [("acknowledge_handover", "Can take over a shift (acknowledge a handover)")],
        },
    ),
    migrations.CreateModel(
        name="HandoverItem",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("kind", models.CharField(max_length=32, verbose_name="kind")),
            ("object_key", models.CharField(max_length=64, verbose_name="object")),
            ("title", models.CharField(max_length=255, verbose_name="title")),
            ("detail", models.CharField(blank=True, max_length=255, verbose_name="detail")),
            ("due", models.DateTimeField(blank=True, null=True, verbose_name="due")),
            ("url", models.CharField(blank=True, max_length=255, verbose_name="link")),
            (
                "handover",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="items", to="frontdesk.handover"
                ),
            ),
        ],
        options={
            "verbose_name": "handover item",
            "verbose_name_plural": "handover items",
            "db_table": "desk_handoveritem",
            "ordering": ["due", "id"],
        },
    ),
    migrations.CreateModel(
        name="Inquiry",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("walk_in", "Walk-in (现场)"),
                        ("phone", "Phone (电话)"),
                        ("online", "Online / WeChat (网络/微信)"),
                    ],
                    max_length=16,
                    verbose_name="channel",
                ),
            ),
            (
                "category",
                models.CharField(
                    choices=[
                        ("registration", "Registration (挂号)"),
                        ("directions", "Directions and procedures (就诊指引)"),
                        ("recommendation", "Department or doctor advice (科室/医生推荐)"),
                        ("fees", "Fees and medical insurance (费用医保)"),
                        ("tests", "Examinations and tests (检查检验)"),
                        ("inpatient", "Admission and inpatient stay (住院)"),
                        ("records", "Certificates and record copies (证明/病历复印)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=24,
                    verbose_name="category",
                ),
            ),
            ("question", models.TextField(verbose_name="question")),
            ("answer", models.TextField(blank=True, verbose_name="answer")),
            ("asker_name", models.CharField(blank=True, max_length=64, verbose_name="asked by")),
            ("received_at", models.DateTimeField(db_index=True, verbose_name="received at")),
            ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered at")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            (
                "answered_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="answered_inquiries",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answered by",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="inquiries", to="core.hospital"
                ),
            ),
            (
                "patient",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="inquiries",
                    to="patients.patient",
                    verbose_name="patient",
                ),
            ),
            (
                "received_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="received_inquiries",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="received by",
                ),
            ),
            (
                "recommended_department",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="recommended_in_inquiries",
                    to="core.department",
                    verbose_name="recommended department",
                ),
            ),
            (
                "recommended_doctor",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="recommended_in_inquiries",
                    to="core.staff",
                    verbose_name="recommended doctor",
                ),
            ),
            (
                "referred_hospital",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="referrals",
                    to="knowledge.externalhospital",
                    verbose_name="referred to (external hospital)",
                ),
            ),
        ],
        options={
            "verbose_name": "inquiry",
            "verbose_name_plural": "inquiries",
            "db_table": "desk_inquiry",
            "ordering": ["-received_at", "-id"],
            "permissions": [("view_inquiry_statistics", "Can view inquiry statistics")],
        },
    ),
    migrations.CreateModel(
        name="Shift",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("code", models.SlugField(max_length=16, verbose_name="code")),
            ("name", models.CharField(max_length=32, verbose_name="name")),
            ("starts_at", models.TimeField(verbose_name="starts at")),
            ("ends_at", models.TimeField(verbose_name="ends at")),
            ("is_active", models.BooleanField(default=True, verbose_name="active")),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="shifts", to="core.hospital"
                ),
            ),
        ],
        options={
            "verbose_name": "shift",
            "verbose_name_plural": "shifts",
            "db_table": "desk_shift",
            "ordering": ["hospital_id", "starts_at"],
        },
    ),
    migrations.AddField(
        model_name="handover",
        name="next_shift",
        field=models.ForeignKey(
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to="frontdesk.shift",
            verbose_name="next shift",
        ),
    ),
    migrations.AddField(
        model_name="handover",
        name="shift",
        field=models.ForeignKey(
            on_delete=django.db.models.deletion.PROTECT,
            related_name="handovers",
            to="frontdesk.shift",
            verbose_name="shift",
        ),
    ),
    migrations.CreateModel(
        name="WorkLog",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("day", models.DateField(verbose_name="day")),
            ("inquiries_answered", models.PositiveIntegerField(default=0, verbose_name="inquiries answered")),
            ("escorts_done", models.PositiveIntegerField(default=0, verbose_name="escorts done")),
            (
                "complaints_received",
                models.PositiveIntegerField(default=0, verbose_name="complaints received"),
            ),
            ("notes", models.TextField(blank=True, verbose_name="notes")),
            ("counted_at", models.DateTimeField(verbose_name="counted at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            (
                "author",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="work_logs",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="agent",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="work_logs", to="core.hospital"
                ),
            ),
        ],
        options={
            "verbose_name": "work log",
            "verbose_name_plural": "work logs",
            "db_table": "desk_worklog",
            "ordering": ["-day", "author_id"],
            "permissions": [("review_worklogs", "Can read the work logs of other agents")],
        },
    ),
    migrations.AddIndex(
        model_name="escort",
        index=models.Index(fields=["hospital", "status", "scheduled_at"], name="escort_open_idx"),
    ),
    migrations.AddConstraint(
        model_name="handoveritem",
        constraint=models.UniqueConstraint(
            fields=("handover", "kind", "object_key"), name="handover_item_unique"
        ),
    ),
    migrations.AddIndex(
        model_name="inquiry",
        index=models.Index(fields=["hospital", "-received_at"], name="inquiry_hospital_time_idx"),
    ),
    migrations.AddIndex(
        model_name="inquiry",
        index=models.Index(fields=["hospital", "answered_at"], name="inquiry_hospital_answered_idx"),
    ),
    migrations.AddConstraint(
        model_name="shift",
        constraint=models.UniqueConstraint(fields=("hospital", "code"), name="shift_code_unique"),
    ),
    migrations.AddConstraint(
        model_name="handover",
        constraint=models.UniqueConstraint(
            fields=("hospital", "shift", "shift_date"), name="handover_once_per_shift"
        ),
    ),
    migrations.AddConstraint(
        model_name="worklog",
        constraint=models.UniqueConstraint(fields=("author", "day"), name="worklog_once_per_day"),
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("desk", "0005_desk_work_role_permissions"),
        ("core", "0006_outbox_message"),
        ("knowledge", "0002_role_permissions"),
        ("patients", "0003_clearer_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[])]
