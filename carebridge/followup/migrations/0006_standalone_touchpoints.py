"""Standalone follow-up calls: a touchpoint may have no care plan (an abnormal checkup finding, a recheck
after a critical result); every touchpoint carries its hospital, patient and department (copied from its
plan for the existing rows), why it was made and a generic link to what it came from.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_from_plans(apps, schema_editor):
    Touchpoint = apps.get_model("followup", "Touchpoint")
    CarePlan = apps.get_model("followup", "CarePlan")
    plans = CarePlan.objects.filter(pk=models.OuterRef("plan_id"))
    Touchpoint.objects.filter(hospital__isnull=True).update(
        hospital_id=models.Subquery(plans.values("hospital_id")[:1]),
        patient_id=models.Subquery(plans.values("patient_id")[:1]),
        department_id=models.Subquery(plans.values("department_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_outbox_message"),
        ("followup", "0005_callissue_complaint_to_complaints_app"),
        ("patients", "0003_clearer_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="touchpoint",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followup_touchpoints",
                to="core.department",
                verbose_name="department",
            ),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="hospital",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followup_touchpoints",
                to="core.hospital",
            ),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="origin_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="origin_label",
            field=models.CharField(blank=True, max_length=255, verbose_name="about"),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="origin_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="patient",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followup_touchpoints",
                to="patients.patient",
                verbose_name="patient",
            ),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("checkup_abnormal", "Abnormal checkup finding (体检异常随访)"),
                    ("critical_recheck", "Recheck after a critical result (危急值复查追踪)"),
                    ("other", "Other (其他)"),
                ],
                max_length=24,
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="touchpoint",
            name="recheck_outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("confirmed", "Seen by a doctor: finding confirmed (已就诊，证实)"),
                    ("not_confirmed", "Seen by a doctor: finding not confirmed (已就诊，未证实)"),
                    ("not_seen", "Has not seen a doctor yet (未就诊)"),
                ],
                max_length=16,
                verbose_name="recheck outcome",
            ),
        ),
        migrations.AlterField(
            model_name="callscript",
            name="kind",
            field=models.CharField(
                choices=[
                    ("admission_interview", "Admission interview (入院访谈)"),
                    ("mid_stay_talk", "Mid-stay talk (住院中途沟通)"),
                    ("pre_discharge_interview", "Pre-discharge interview (出院前访谈)"),
                    ("post_discharge_call", "Post-discharge call by the doctor or nurse (出院回访)"),
                    ("follow_up_call", "Tiered follow-up call (分级随访)"),
                    ("standalone_call", "Follow-up call outside a stay (院外随访电话)"),
                ],
                max_length=32,
                verbose_name="touchpoint kind",
            ),
        ),
        migrations.AlterField(
            model_name="touchpoint",
            name="kind",
            field=models.CharField(
                choices=[
                    ("admission_interview", "Admission interview (入院访谈)"),
                    ("mid_stay_talk", "Mid-stay talk (住院中途沟通)"),
                    ("pre_discharge_interview", "Pre-discharge interview (出院前访谈)"),
                    ("post_discharge_call", "Post-discharge call by the doctor or nurse (出院回访)"),
                    ("follow_up_call", "Tiered follow-up call (分级随访)"),
                    ("standalone_call", "Follow-up call outside a stay (院外随访电话)"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="touchpoint",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="touchpoints",
                to="followup.careplan",
            ),
        ),
        migrations.AlterField(
            model_name="touchpointtemplate",
            name="kind",
            field=models.CharField(
                choices=[
                    ("admission_interview", "Admission interview (入院访谈)"),
                    ("mid_stay_talk", "Mid-stay talk (住院中途沟通)"),
                    ("pre_discharge_interview", "Pre-discharge interview (出院前访谈)"),
                    ("post_discharge_call", "Post-discharge call by the doctor or nurse (出院回访)"),
                    ("follow_up_call", "Tiered follow-up call (分级随访)"),
                    ("standalone_call", "Follow-up call outside a stay (院外随访电话)"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.AddIndex(
            model_name="touchpoint",
            index=models.Index(fields=["origin_type", "origin_id"], name="touchpoint_origin_idx"),
        ),
        migrations.RunPython(copy_from_plans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="touchpoint",
            name="hospital",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followup_touchpoints",
                to="core.hospital",
            ),
        ),
        migrations.AlterField(
            model_name="touchpoint",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="followup_touchpoints",
                to="patients.patient",
                verbose_name="patient",
            ),
        ),
    ]
