"""Pages of the methods beyond questionnaires: interviews and focus groups (list, Excel, recording one;
their coded topics are on the insights app's page), and expert-panel reviews with their content validity
(list, opening one with its items, one review where each expert enters their ratings, Excel of each)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from carebridge.core.excel import sheet_bytes
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.surveys.forms.qualitative import RatingForm, ReviewForm, SessionForm
from carebridge.surveys.models import ExpertReview, SessionKind
from carebridge.surveys.selectors.qualitative import review_get, review_list, review_validity, session_list
from carebridge.surveys.services.qualitative import review_create, review_rate, session_record

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
                    pgettext("interview or focus group", "Participants"),
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
    return _review_page(request, review_get(user=request.user, pk=pk))


def _review_page(
    request: HttpRequest, review: ExpertReview, rating_form: RatingForm | None = None, status: int = 200
) -> HttpResponse:
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
    context: dict[str, Any] = {"review": review, "experts": ratings, "rows": rows, "validity": validity}
    if request.user.has_perm("surveys.change_expertreview"):
        context["rating_form"] = rating_form or RatingForm(items=review.items)
    return render(request, "surveys/review_detail.html", context, status=status)


@login_required
@permission_required("surveys.add_qualitativesession", raise_exception=True)
def session_new(request: HttpRequest) -> HttpResponse:
    """Record an interview or a focus group; then its notes are shown coded into the comment topics (the
    insights app's page) to whoever may read those, else the list. A refused form changes nothing (400)."""
    form = SessionForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            department = data["department"]
            try:
                session = session_record(
                    hospital=department.hospital if department else staff_hospital(user=request.user),
                    department=department,
                    kind=data["kind"],
                    group=data["group"],
                    held_on=data["held_on"],
                    title=data["title"],
                    facilitator=data["facilitator"],
                    participants=data["participants"],
                    guide=data["guide"],
                    notes=data["notes"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("The session was recorded."))
                if request.user.has_perm("surveys.analyse_surveys"):
                    return redirect("insights:qualitative_session", pk=session.pk)
                return redirect("surveys:sessions")
        return render(request, "surveys/session_form.html", {"form": form}, status=400)
    return render(request, "surveys/session_form.html", {"form": form})


@login_required
@permission_required("surveys.add_expertreview", raise_exception=True)
def review_new(request: HttpRequest) -> HttpResponse:
    """Open an expert-panel review with its items; the experts' ratings are entered on its page."""
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = review_create(
                    hospital=staff_hospital(user=request.user),
                    title=data["title"],
                    subject=data["subject"],
                    held_on=data["held_on"],
                    items=data["items"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("The review was opened; enter each expert's ratings."))
                return redirect("surveys:review", pk=review.pk)
        return render(request, "surveys/review_form.html", {"form": form}, status=400)
    return render(request, "surveys/review_form.html", {"form": form})


@login_required
@permission_required("surveys.change_expertreview", raise_exception=True)
@require_POST
def review_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one expert's ratings of every item; the I-CVI and S-CVI on the page include them after."""
    review = review_get(user=request.user, pk=pk)
    form = RatingForm(request.POST, items=review.items)
    if form.is_valid():
        try:
            review_rate(
                review=review,
                expert=form.cleaned_data["expert"],
                expertise=form.cleaned_data["expertise"],
                ratings=form.ratings(),
                actor=request.user,
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("The expert's ratings were recorded."))
            return redirect("surveys:review", pk=review.pk)
    return _review_page(request, review_get(user=request.user, pk=pk), rating_form=form, status=400)
