"""The chief examiner's workstation (总检工作站): every result with its flag beside the person's previous
years, the advice library's suggestions, the conclusion lines, "I have seen the person", the quality
checks, the signature with the risk level and its rules, a changed level, the release of the report;
and the editable advice library."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.exports import report_data, report_pdf
from carebridge.checkup.forms.review import AdviceRuleForm, FindingForm, RiskOverrideForm, SignForm
from carebridge.checkup.models import AdviceRule, RiskRule
from carebridge.checkup.selectors.catalogue import item_list
from carebridge.checkup.selectors.review import release_queue, review_queue, side_by_side, trends
from carebridge.checkup.selectors.visits import completeness, questionnaire_answers, visit_get
from carebridge.checkup.services.library import advice_rule_save
from carebridge.checkup.services.reports import report_link, report_release
from carebridge.checkup.services.review import (
    advice_suggestions,
    finding_add,
    finding_delete,
    finding_update,
    findings_adopt,
    risk_assess,
    signoff_problems,
    visit_examiner_saw,
    visit_results,
    visit_risk_override,
    visit_sign,
    visit_unsign,
)
from carebridge.checkup.views.base import log_access, refusal_message
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import staff_hospital


@login_required
@permission_required("checkup.sign_visit", raise_exception=True)
def review_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "checkup/review_list.html",
        {
            "to_sign": review_queue(user=request.user)[:200],
            "to_release": release_queue(user=request.user)[:200],
            "section": "review",
        },
    )


def _context(request: HttpRequest, visit: Any, **forms: Any) -> dict[str, Any]:
    results = list(visit_results(visit).select_related("item__room"))
    assessment, ruleset = risk_assess(visit) if visit.status == VisitStatus.EXAMINED else (None, None)
    sign_initial = {"summary": visit.summary, "prescriptions": visit.prescriptions}
    return {
        "visit": visit,
        "section": "review",
        "age": age_on(visit.patient.birth_date, visit.scheduled_for),
        "side": side_by_side(visit, user=request.user, results=results),
        "trends": trends(visit, user=request.user, results=results),
        "suggestions": advice_suggestions(visit),
        "findings": list(visit.findings.order_by("sequence", "id")),
        "problems": signoff_problems(visit) if visit.status == VisitStatus.EXAMINED else [],
        "completeness": completeness(visit),
        "assessment": assessment,
        "ruleset": ruleset or visit.risk_ruleset,
        "rules": {r.pk: r for r in RiskRule.objects.filter(pk__in=[m.rule_id for m in assessment.matches])}
        if assessment
        else {},
        "finding_form": forms.get("finding_form") or FindingForm(),
        "sign_form": forms.get("sign_form") or SignForm(initial=sign_initial),
        "risk_form": forms.get("risk_form") or RiskOverrideForm(initial={"level": visit.risk_level}),
        "releases": visit.releases.order_by("-released_at", "-id"),
        "questionnaire": questionnaire_answers(visit, language=get_language() or "zh-hans"),
    }


@login_required
@permission_required("checkup.sign_visit", raise_exception=True)
def workstation(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    log_access(request, visit.patient)
    return render(request, "checkup/workstation.html", _context(request, visit))


def _done(request: HttpRequest, visit_pk: int) -> HttpResponse:
    return redirect("checkup:workstation", pk=visit_pk)


@login_required
@require_POST
def examiner_saw(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        visit_examiner_saw(visit=visit, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return _done(request, visit.pk)


@login_required
@require_POST
def adopt_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        added = findings_adopt(visit=visit, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("%(n)s conclusion lines added.") % {"n": len(added)})
    return _done(request, visit.pk)


@login_required
@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding_add(visit=visit, actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            refusal_message(request, error)
        return _done(request, visit.pk)
    return render(
        request, "checkup/workstation.html", _context(request, visit, finding_form=form), status=400
    )


def _line(request: HttpRequest, visit: Any, line_pk: int) -> Any:
    line = visit.findings.filter(pk=line_pk).first()
    if line is None:
        raise Http404("No such conclusion line.")
    return line


@login_required
@require_POST
def finding_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    line = _line(request, visit, line_pk)
    try:
        if request.POST.get("delete"):
            finding_delete(line=line, actor=request.user)
        else:
            form = FindingForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Name the finding."))
            finding_update(line=line, actor=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return _done(request, visit.pk)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            visit_sign(visit=visit, actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            refusal_message(request, error)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, _("Signed."))
            return _done(request, visit.pk)
    return render(request, "checkup/workstation.html", _context(request, visit, sign_form=form), status=400)


@login_required
@require_POST
def risk_override(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    form = RiskOverrideForm(request.POST)
    if form.is_valid():
        try:
            visit_risk_override(visit=visit, actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            refusal_message(request, error)
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return _done(request, visit.pk)
    return render(request, "checkup/workstation.html", _context(request, visit, risk_form=form), status=400)


@login_required
@require_POST
def unsign(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        visit_unsign(visit=visit, actor=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return _done(request, visit.pk)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        issued = report_release(visit=visit, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    else:
        messages.success(
            request,
            _("Released. One-time link: %(link)s") % {"link": report_link(issued)}
            + (" " + _("(sent by SMS)") if issued.sent_to else ""),
        )
    return _done(request, visit.pk)


@login_required
@permission_required("checkup.view_visit", raise_exception=True)
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as PDF for printing at the centre (signed or released visits)."""
    visit = visit_get(user=request.user, pk=pk)
    if visit.status not in (VisitStatus.SIGNED, VisitStatus.RELEASED):
        raise Http404("The report is not signed yet.")
    log_access(request, visit.patient)
    response = HttpResponse(report_pdf(report_data(visit, user=request.user)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{visit.number}.pdf"'
    return response


# --- the advice library -------------------------------------------------------------------------------


@login_required
@permission_required("checkup.view_advicerule", raise_exception=True)
def advice_rules(request: HttpRequest) -> HttpResponse:
    rules = restrict(AdviceRule.objects.select_related("item"), request.user).order_by(
        "sequence", "code", "id"
    )
    return render(request, "checkup/advice_rules.html", {"rules": rules, "section": "advice"})


@login_required
@permission_required("checkup.view_advicerule", raise_exception=True)
def advice_rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = None
    if pk is not None:
        rule = restrict(AdviceRule.objects.all(), request.user).filter(pk=pk).first()
        if rule is None:
            raise Http404("No such rule.")
    # The form works on its own copy: the service decides what is saved (and audits the change).
    editable = AdviceRule.objects.get(pk=rule.pk) if rule is not None else None
    form = AdviceRuleForm(request.POST or None, instance=editable, items=item_list(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        codes = data.pop("codes_text", "").split(",")
        prescriptions = data.pop("prescriptions", [])
        try:
            advice_rule_save(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=data,
                codes=codes,
                prescriptions=prescriptions,
                rule=rule,
            )
        except PermissionDenied as error:
            refusal_message(request, error)
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
        else:
            messages.success(request, _("Saved."))
            return redirect("checkup:advice_rules")
    return render(request, "checkup/advice_rule_form.html", {"form": form, "rule": rule, "section": "advice"})
