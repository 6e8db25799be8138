"""Pages of the methods beyond questionnaires: interviews and focus groups (list, Excel; their coded topics
are on the insights app's page), and expert-panel reviews with their content validity (list, one review,
Excel of each)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.core.excel import sheet_bytes
from carebridge.surveys.models import SessionKind
from carebridge.surveys.selectors.qualitative import review_get, review_list, review_validity, session_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_SHOWN = 300
KAPPA_LABELS = {
    "excellent": gettext_lazy("excellent"),
    "good": gettext_lazy("good"),
    "fair": gettext_lazy("fair"),
    "poor": gettext_lazy("poor"),
}


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@permission_required("surveys.view_qualitativesession", raise_exception=True)
def session_list_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    rows = session_list(user=request.user, kind=kind if kind in SessionKind.values else "")
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            sheet_bytes(
                title=_("Interviews and focus groups"),
                header=[
                    _("Date"),
                    _("Kind"),
                    _("Respondents"),
                    _("Title"),
                    _("Department"),
                    _("Facilitator"),
                    _("Participants"),
                    _("Notes"),
                ],
                rows=(
                    [
                        s.held_on,
                        s.get_kind_display(),
                        s.get_group_display(),
                        s.title,
                        s.department.name if s.department else "",
                        s.facilitator.name,
                        s.participants,
                        s.notes,
                    ]
                    for s in rows
                ),
                widths=(12, 16, 14, 30, 14, 12, 10, 80),
                wrap_columns=(8,),
            ),
            "interviews-focus-groups",
        )
    return render(
        request,
        "surveys/session_list.html",
        {"rows": rows[:ROWS_SHOWN], "count": rows.count(), "kinds": SessionKind.choices, "kind": kind},
    )


@login_required
@permission_required("surveys.view_expertreview", raise_exception=True)
def review_list_page(request: HttpRequest) -> HttpResponse:
    rows = review_list(user=request.user)
    if request.GET.get("format") == "xlsx":
        lines = []
        for review in rows:
            validity = review_validity(review)
            lines.append(
                [
                    review.held_on,
                    review.title,
                    review.subject,
                    len(review.items),
                    len(review.ratings.all()),
                    round(validity.s_cvi_ave, 2) if validity else None,
                    round(validity.s_cvi_ua, 2) if validity else None,
                ]
            )
        return _xlsx(
            sheet_bytes(
                title=_("Expert-panel reviews"),
                header=[
                    _("Date"),
                    _("Title"),
                    _("What is reviewed"),
                    _("Items"),
                    _("Experts"),
                    "S-CVI/Ave",
                    "S-CVI/UA",
                ],
                rows=lines,
                widths=(12, 30, 30, 8, 8, 10, 10),
            ),
            "expert-reviews",
        )
    reviews = [(review, review_validity(review)) for review in rows[:ROWS_SHOWN]]
    return render(request, "surveys/review_list.html", {"reviews": reviews, "count": rows.count()})


@login_required
@permission_required("surveys.view_expertreview", raise_exception=True)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_get(user=request.user, pk=pk)
    validity = review_validity(review)
    ratings = list(review.ratings.all())
    by_code = {i.item: i for i in validity.items} if validity else {}
    rows = [
        {
            "code": item["code"],
            "text": item["text"],
            "ratings": [r.ratings.get(item["code"]) for r in ratings],
            "validity": by_code.get(item["code"]),
            "kappa_label": KAPPA_LABELS.get(by_code[item["code"]].rating, "")
            if item["code"] in by_code
            else "",
        }
        for item in review.items
    ]
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            sheet_bytes(
                title=review.title,
                header=[_("Code"), _("Item"), *[r.expert for r in ratings], "I-CVI", "Pc", "k*", _("Rating")],
                rows=(
                    [
                        row["code"],
                        row["text"],
                        *row["ratings"],
                        round(row["validity"].i_cvi, 2) if row["validity"] else None,
                        round(row["validity"].pc, 3) if row["validity"] else None,
                        round(row["validity"].kappa, 2) if row["validity"] else None,
                        str(row["kappa_label"]),
                    ]
                    for row in rows
                ),
                widths=(8, 40),
            ),
            f"expert-review-{review.pk}",
        )
    context = {"review": review, "experts": ratings, "rows": rows, "validity": validity}
    return render(request, "surveys/review_detail.html", context)
