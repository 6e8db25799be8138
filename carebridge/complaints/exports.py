"""The complaint register (投诉登记本) as Excel and as a printable PDF, with the rows of the filtered list.

The register is a regulatory record kept in Chinese, so its headers and enumerations are Chinese whatever
the screen language. Phone numbers are masked; each export writes an audit row.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.complaints.choices import (
    CATEGORY_DOMAIN,
    CATEGORY_TERMS,
    CHANNEL_TERMS,
    KIND_TERMS,
    STATUS_TERMS,
    DeadlineKind,
    HcatDomain,
)
from carebridge.complaints.models import Complaint
from carebridge.core.excel import sheet_bytes
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor

MAX_EXPORT_ROWS = 5_000
HEADER = (
    "登记号",
    "受理时间",
    "类型",
    "渠道",
    "投诉人",
    "联系电话",
    "类别",
    "HCAT领域",
    "严重程度",
    "涉及科室",
    "责任部门",
    "首诉负责人",
    "状态",
    "反馈期限",
    "处理结果",
)
_DOMAIN_TERMS: dict[str, str] = {
    HcatDomain.CLINICAL: "临床",
    HcatDomain.MANAGEMENT: "管理",
    HcatDomain.RELATIONSHIPS: "关系",
}
_SEVERITY_TERMS: dict[int, str] = {1: "1 轻微", 2: "2 一般", 3: "3 严重", 4: "4 重大"}


def _owner_name(complaint: Complaint) -> str:
    staff = getattr(complaint.owner, "staff", None)
    return staff.name if staff is not None else complaint.owner.get_username()


def register_rows(complaints: list[Complaint]) -> list[list[str]]:
    """One row per case, in the list's order; expects ``departments``/``deadlines`` prefetched."""
    rows = []
    for c in complaints:
        feedback = next((d for d in c.deadlines.all() if d.kind == DeadlineKind.FEEDBACK), None)
        rows.append(
            [
                c.reference,
                timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"),
                KIND_TERMS.get(c.kind, c.kind),
                CHANNEL_TERMS.get(c.channel, c.channel),
                c.complainant_name,
                c.masked_phone,
                CATEGORY_TERMS.get(c.category, c.category),
                _DOMAIN_TERMS.get(CATEGORY_DOMAIN.get(c.category, ""), ""),
                _SEVERITY_TERMS.get(c.severity, str(c.severity)),
                "、".join(d.name for d in c.departments.all()),
                c.responsible_office.name if c.responsible_office else "",
                _owner_name(c),
                STATUS_TERMS.get(c.status, c.status),
                timezone.localtime(feedback.due).strftime("%Y-%m-%d") if feedback else "",
                c.resolution,
            ]
        )
    return rows


def _selected(complaints: QuerySet[Complaint]) -> list[Complaint] | HttpResponse:
    selected = list(complaints.select_related("owner__staff")[: MAX_EXPORT_ROWS + 1])
    if len(selected) > MAX_EXPORT_ROWS:
        return HttpResponse(
            _("More than %(n)s cases match; narrow the filters before exporting.") % {"n": MAX_EXPORT_ROWS},
            status=400,
        )
    return selected


def export_register_xlsx(*, complaints: QuerySet[Complaint], user: Actor) -> HttpResponse:
    selected = _selected(complaints)
    if isinstance(selected, HttpResponse):
        return selected
    content = sheet_bytes(
        title="投诉登记本",
        header=HEADER,
        rows=register_rows(selected),
        widths=(18, 17, 6, 10, 10, 14, 10, 8, 8, 20, 14, 10, 8, 11, 40),
        wrap_columns=(15,),  # the resolution text
    )
    audit_record(
        actor=user,
        action="complaint.export",
        object_type="complaints.complaint",
        object_id="*",
        summary=f"Excel: {len(selected)}",
        changes={"rows": len(selected), "format": "xlsx"},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-{timezone.localtime():%Y%m%d-%H%M}.xlsx"'
    )
    return response


def render_register_pdf(
    *, complaints: list[Complaint], hospital_name: str, filters: str, printed_at: dt.datetime
) -> bytes:
    """The register as PDF (WeasyPrint, CJK font from the system: fonts-noto-cjk)."""
    from weasyprint import HTML

    html = render_to_string(
        "complaints/register_pdf.html",
        {
            "header": HEADER,
            "rows": register_rows(complaints),
            "hospital_name": hospital_name,
            "filters": filters,
            "printed_at": timezone.localtime(printed_at),
            "count": len(complaints),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def export_register_pdf(*, complaints: QuerySet[Complaint], user: Actor, filters: str) -> HttpResponse:
    selected = _selected(complaints)
    if isinstance(selected, HttpResponse):
        return selected
    staff = getattr(user, "staff", None)
    pdf = render_register_pdf(
        complaints=selected,
        hospital_name=staff.hospital.name if staff else "",
        filters=filters,
        printed_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="complaint.export",
        object_type="complaints.complaint",
        object_id="*",
        summary=f"PDF: {len(selected)}",
        changes={"rows": len(selected), "format": "pdf"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="complaints-{timezone.localtime():%Y%m%d-%H%M}.pdf"'
    return response
