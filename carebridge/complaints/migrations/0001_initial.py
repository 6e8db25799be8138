"""Complaints take over their models from the former desk app. State only: the tables, still named
``desk_*``, and their rows stay as they are; ``desk/0006`` then drops the models from the desk's state
and relabels their content types."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import carebridge.complaints.models.complaints

# The models as ``desk/0001``–``0005`` left them, now in this app's state (``desk/0006`` then drops them
# from the desk's); their tables keep their names.
STATE = [
    migrations.CreateModel(
        name="CategoryKeyword",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("term", models.CharField(max_length=32, verbose_name="term")),
            (
                "category",
                models.CharField(
                    choices=[
                        ("attitude", "Service attitude (服务态度)"),
                        ("medical_quality", "Medical quality (医疗质量)"),
                        ("nursing", "Nursing (护理)"),
                        ("fees", "Fees and billing (费用)"),
                        ("waiting", "Waiting time (等候时间)"),
                        ("environment", "Environment and facilities (环境)"),
                        ("communication", "Communication (沟通)"),
                        ("ethics", "Medical ethics and conduct (医德医风)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=32,
                    verbose_name="category",
                ),
            ),
            ("weight", models.PositiveSmallIntegerField(default=1, verbose_name="weight")),
            ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
        ],
        options={
            "verbose_name": "category keyword",
            "verbose_name_plural": "category keywords",
            "db_table": "desk_categorykeyword",
            "ordering": ["category", "term"],
            "constraints": [
                models.UniqueConstraint(fields=("term", "category"), name="category_keyword_unique")
            ],
        },
    ),
    migrations.CreateModel(
        name="Complaint",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "reference",
                models.CharField(blank=True, db_index=True, max_length=32, verbose_name="reference"),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("complaint", "Complaint (投诉)"),
                        ("compliment", "Compliment (表扬)"),
                        ("suggestion", "Suggestion (建议)"),
                    ],
                    default="complaint",
                    max_length=16,
                    verbose_name="kind",
                ),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("walk_in", "Walk-in (现场)"),
                        ("phone", "Phone (电话)"),
                        ("letter", "Letter (信函)"),
                        ("online", "Online (网络)"),
                        ("hotline_12320", "12320 health hotline (12320热线)"),
                        ("followup_call", "Follow-up call (随访电话)"),
                        ("survey", "Satisfaction survey (满意度调查)"),
                    ],
                    max_length=16,
                    verbose_name="channel",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("received", "Received (已受理)"),
                        ("routed", "Routed (已转办)"),
                        ("investigating", "Investigating (调查中)"),
                        ("awaiting_complainant", "Awaiting the complainant (待投诉人)"),
                        ("resolved", "Resolved (已处理)"),
                        ("confirmed", "Confirmed by the complainant (已确认)"),
                        ("closed", "Closed (已结案)"),
                    ],
                    default="received",
                    max_length=24,
                    verbose_name="status",
                ),
            ),
            ("received_at", models.DateTimeField(db_index=True, verbose_name="received at")),
            (
                "complainant_class",
                models.CharField(
                    choices=[
                        ("patient", "Patient"),
                        ("family", "Family member"),
                        ("payer", "Insurer or employer"),
                        ("staff", "Hospital staff"),
                        ("peer", "Peer institution"),
                        ("neighbour", "Neighbour or community"),
                        ("authority", "Supervising authority"),
                        ("media", "Media"),
                        ("supplier", "Supplier"),
                        ("public", "General public"),
                    ],
                    default="patient",
                    max_length=16,
                    verbose_name="complainant class",
                ),
            ),
            ("complainant_name", models.CharField(max_length=128, verbose_name="complainant name")),
            (
                "complainant_phone",
                models.CharField(blank=True, max_length=20, verbose_name="complainant phone"),
            ),
            ("content", models.TextField(verbose_name="content")),
            (
                "category",
                models.CharField(
                    choices=[
                        ("attitude", "Service attitude (服务态度)"),
                        ("medical_quality", "Medical quality (医疗质量)"),
                        ("nursing", "Nursing (护理)"),
                        ("fees", "Fees and billing (费用)"),
                        ("waiting", "Waiting time (等候时间)"),
                        ("environment", "Environment and facilities (环境)"),
                        ("communication", "Communication (沟通)"),
                        ("ethics", "Medical ethics and conduct (医德医风)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=32,
                    verbose_name="category",
                ),
            ),
            (
                "suggested_category",
                models.CharField(
                    blank=True,
                    choices=[
                        ("attitude", "Service attitude (服务态度)"),
                        ("medical_quality", "Medical quality (医疗质量)"),
                        ("nursing", "Nursing (护理)"),
                        ("fees", "Fees and billing (费用)"),
                        ("waiting", "Waiting time (等候时间)"),
                        ("environment", "Environment and facilities (环境)"),
                        ("communication", "Communication (沟通)"),
                        ("ethics", "Medical ethics and conduct (医德医风)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=32,
                    verbose_name="suggested category",
                ),
            ),
            (
                "suggestion_evidence",
                models.JSONField(blank=True, default=list, verbose_name="why it was suggested"),
            ),
            (
                "severity",
                models.PositiveSmallIntegerField(
                    choices=[
                        (1, "1 – minor (轻微)"),
                        (2, "2 – moderate (一般)"),
                        (3, "3 – serious (严重)"),
                        (4, "4 – critical (重大)"),
                    ],
                    default=1,
                    verbose_name="severity",
                ),
            ),
            ("on_the_spot", models.BooleanField(default=False, verbose_name="resolved on the spot")),
            ("resolution", models.TextField(blank=True, verbose_name="resolution")),
            ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="resolved at")),
            ("complainant_feedback", models.TextField(blank=True, verbose_name="complainant feedback")),
            (
                "complainant_satisfied",
                models.BooleanField(blank=True, null=True, verbose_name="complainant satisfied"),
            ),
            ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmed at")),
            (
                "root_cause",
                models.CharField(
                    blank=True,
                    choices=[
                        ("communication", "Communication failure (沟通不足)"),
                        ("attitude", "Staff attitude (服务态度)"),
                        ("skill", "Clinical skill or judgement (技术水平)"),
                        ("process", "Process or system (流程制度)"),
                        ("resources", "Staffing or resources (人力资源不足)"),
                        ("facilities", "Facilities and environment (设施环境)"),
                        ("billing", "Billing error (收费差错)"),
                        ("expectations", "Patient expectations (患方期望)"),
                        ("misconduct", "Misconduct (违规违纪)"),
                        ("no_fault", "No fault found (无过错)"),
                    ],
                    max_length=32,
                    verbose_name="root cause",
                ),
            ),
            ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
            ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="escalated at")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            (
                "customer",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="complaints",
                    to="patients.customer",
                    verbose_name="customer",
                ),
            ),
            (
                "departments",
                models.ManyToManyField(
                    blank=True,
                    related_name="complaints",
                    to="core.department",
                    verbose_name="departments involved",
                ),
            ),
            (
                "escalated_to",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to="core.staff",
                    verbose_name="escalated to",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="complaints", to="core.hospital"
                ),
            ),
            (
                "owner",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="owned_complaints",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="first receiver (owner)",
                ),
            ),
            (
                "patient",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="complaints",
                    to="patients.patient",
                    verbose_name="patient",
                ),
            ),
            (
                "responsible_office",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="handled_complaints",
                    to="core.department",
                    verbose_name="responsible office",
                ),
            ),
            (
                "staff",
                models.ManyToManyField(
                    blank=True, related_name="complaints", to="core.staff", verbose_name="staff involved"
                ),
            ),
        ],
        options={
            "verbose_name": "complaint",
            "verbose_name_plural": "complaints",
            "db_table": "desk_complaint",
            "ordering": ["-received_at", "-id"],
            "permissions": [
                ("close_complaint", "Can close and reopen complaints"),
                ("export_complaints", "Can export and print the complaint register"),
                ("view_complaint_statistics", "Can view complaint statistics"),
            ],
        },
    ),
    migrations.CreateModel(
        name="ComplaintAttachment",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "file",
                models.FileField(
                    max_length=255,
                    upload_to=carebridge.complaints.models.complaints._attachment_path,
                    verbose_name="file",
                ),
            ),
            ("original_name", models.CharField(max_length=255, verbose_name="original name")),
            ("content_type", models.CharField(max_length=100, verbose_name="content type")),
            ("size", models.PositiveIntegerField(verbose_name="size (bytes)")),
            ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded at")),
            (
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="attachments",
                    to="complaints.complaint",
                ),
            ),
            (
                "uploaded_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                ),
            ),
        ],
        options={
            "verbose_name": "complaint attachment",
            "verbose_name_plural": "complaint attachments",
            "db_table": "desk_complaintattachment",
            "ordering": ["uploaded_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="ComplaintDeadline",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("acknowledgement", "Acknowledgement (受理确认)"),
                        ("feedback", "Feedback to the complainant (反馈)"),
                    ],
                    max_length=24,
                    verbose_name="kind",
                ),
            ),
            ("due", models.DateTimeField(db_index=True, verbose_name="due")),
            ("working_days", models.PositiveSmallIntegerField(verbose_name="working days")),
            ("met_at", models.DateTimeField(blank=True, null=True, verbose_name="met at")),
            (
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="deadlines",
                    to="complaints.complaint",
                ),
            ),
        ],
        options={
            "verbose_name": "complaint deadline",
            "verbose_name_plural": "complaint deadlines",
            "db_table": "desk_complaintdeadline",
            "ordering": ["due", "id"],
        },
    ),
    migrations.CreateModel(
        name="ComplaintNote",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("at", models.DateTimeField(verbose_name="at")),
            ("text", models.TextField(verbose_name="text")),
            (
                "author",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                ),
            ),
            (
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="notes",
                    to="complaints.complaint",
                ),
            ),
        ],
        options={
            "verbose_name": "investigation note",
            "verbose_name_plural": "investigation notes",
            "db_table": "desk_complaintnote",
            "ordering": ["at", "id"],
        },
    ),
    migrations.CreateModel(
        name="ComplaintPause",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            ("started_at", models.DateTimeField(verbose_name="started at")),
            ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="ended at")),
            ("reason", models.CharField(max_length=255, verbose_name="reason")),
            (
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="pauses",
                    to="complaints.complaint",
                ),
            ),
        ],
        options={
            "verbose_name": "complaint pause",
            "verbose_name_plural": "complaint pauses",
            "db_table": "desk_complaintpause",
            "ordering": ["started_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="ComplaintPolicy",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "feedback_working_days",
                models.PositiveSmallIntegerField(
                    default=5,
                    help_text="《医疗机构投诉管理办法》 Art. 34: simple cases are answered within 5 working days.",
                    verbose_name="feedback due (working days)",
                ),
            ),
            (
                "feedback_working_days_multi",
                models.PositiveSmallIntegerField(
                    default=10,
                    verbose_name="feedback due when several departments are involved (working days)",
                ),
            ),
            (
                "acknowledgement_working_days",
                models.PositiveSmallIntegerField(
                    default=1,
                    help_text="0 switches the acknowledgement deadline off.",
                    verbose_name="acknowledgement due (working days)",
                ),
            ),
            (
                "default_office",
                models.ForeignKey(
                    blank=True,
                    help_text="Where categories without a routing rule go (医患办).",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="core.department",
                    verbose_name="default office",
                ),
            ),
            (
                "hospital",
                models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="complaint_policy",
                    to="core.hospital",
                ),
            ),
            (
                "office_head",
                models.ForeignKey(
                    blank=True,
                    help_text="Receives the escalation of overdue complaints.",
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to="core.staff",
                    verbose_name="office head",
                ),
            ),
        ],
        options={
            "verbose_name": "complaint policy",
            "verbose_name_plural": "complaint policies",
            "db_table": "desk_complaintpolicy",
        },
    ),
    migrations.CreateModel(
        name="ComplaintTransition",
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
                        ("received", "Received (已受理)"),
                        ("routed", "Routed (已转办)"),
                        ("investigating", "Investigating (调查中)"),
                        ("awaiting_complainant", "Awaiting the complainant (待投诉人)"),
                        ("resolved", "Resolved (已处理)"),
                        ("confirmed", "Confirmed by the complainant (已确认)"),
                        ("closed", "Closed (已结案)"),
                    ],
                    max_length=24,
                    verbose_name="from",
                ),
            ),
            (
                "to_status",
                models.CharField(
                    choices=[
                        ("received", "Received (已受理)"),
                        ("routed", "Routed (已转办)"),
                        ("investigating", "Investigating (调查中)"),
                        ("awaiting_complainant", "Awaiting the complainant (待投诉人)"),
                        ("resolved", "Resolved (已处理)"),
                        ("confirmed", "Confirmed by the complainant (已确认)"),
                        ("closed", "Closed (已结案)"),
                    ],
                    max_length=24,
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
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="transitions",
                    to="complaints.complaint",
                ),
            ),
        ],
        options={
            "verbose_name": "complaint transition",
            "verbose_name_plural": "complaint transitions",
            "db_table": "desk_complainttransition",
            "ordering": ["at", "id"],
            "abstract": False,
        },
    ),
    migrations.CreateModel(
        name="RecoveryAction",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("apology", "Apology (道歉)"),
                        ("apology_visit", "Apology visit (登门致歉)"),
                        ("reissued_documents", "Re-issued documents or films (补发资料/重新洗印胶片)"),
                        ("fee_refund", "Fee refund (退费)"),
                        ("compensation", "Compensation (赔偿)"),
                        ("expedited_care", "Expedited care (优先安排诊疗)"),
                        ("staff_counselling", "Staff counselling or training (员工约谈/培训)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=24,
                    verbose_name="kind",
                ),
            ),
            ("description", models.TextField(verbose_name="description")),
            (
                "cost",
                models.DecimalField(decimal_places=2, default=0, max_digits=10, verbose_name="cost (yuan)"),
            ),
            ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done at")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            (
                "complaint",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="recovery_actions",
                    to="complaints.complaint",
                ),
            ),
            (
                "recorded_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                ),
            ),
        ],
        options={
            "verbose_name": "service-recovery action",
            "verbose_name_plural": "service-recovery actions",
            "db_table": "desk_recoveryaction",
            "ordering": ["created_at", "id"],
        },
    ),
    migrations.CreateModel(
        name="RoutingRule",
        fields=[
            (
                "id",
                models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
            ),
            (
                "category",
                models.CharField(
                    choices=[
                        ("attitude", "Service attitude (服务态度)"),
                        ("medical_quality", "Medical quality (医疗质量)"),
                        ("nursing", "Nursing (护理)"),
                        ("fees", "Fees and billing (费用)"),
                        ("waiting", "Waiting time (等候时间)"),
                        ("environment", "Environment and facilities (环境)"),
                        ("communication", "Communication (沟通)"),
                        ("ethics", "Medical ethics and conduct (医德医风)"),
                        ("other", "Other (其他)"),
                    ],
                    max_length=32,
                    verbose_name="category",
                ),
            ),
            (
                "hospital",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="complaint_routing",
                    to="core.hospital",
                ),
            ),
            (
                "office",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="core.department",
                    verbose_name="office",
                ),
            ),
        ],
        options={
            "verbose_name": "routing rule",
            "verbose_name_plural": "routing rules",
            "db_table": "desk_routingrule",
            "ordering": ["hospital_id", "category"],
        },
    ),
    migrations.AddIndex(
        model_name="complaint",
        index=models.Index(fields=["hospital", "status"], name="complaint_hospital_status_idx"),
    ),
    migrations.AddIndex(
        model_name="complaint",
        index=models.Index(fields=["hospital", "-received_at"], name="complaint_hospital_time_idx"),
    ),
    migrations.AddConstraint(
        model_name="complaintdeadline",
        constraint=models.UniqueConstraint(fields=("complaint", "kind"), name="complaint_deadline_unique"),
    ),
    migrations.AddConstraint(
        model_name="routingrule",
        constraint=models.UniqueConstraint(fields=("hospital", "category"), name="routing_rule_unique"),
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("desk", "0005_desk_work_role_permissions"),
        ("core", "0006_outbox_message"),
        ("patients", "0003_clearer_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[])]
