"""The public answering pages (no login): ``/s/<token>/``, one page per dimension, mobile first.

Page 0 explains the purpose and privacy; pages 1…n hold one dimension each; the last page submits.
Every "next" saves a draft (``ResponseDraft``), so the link resumes where the respondent stopped, on
any device. Skip logic is decided on the server (``instruments.visible_codes``); the page's small
script only hides and shows questions while the respondent types. Language: ``?lang=en`` or the
default Chinese, carried in every link and form. An unknown token gets a plain 404 page that says
nothing about tokens; a token that can no longer be answered gets a page that says why. Posts are rate
limited per address and per token (``ratelimit``), with a 429 page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation

from carebridge.surveys.choices import InvitationStatus, ResponseMode
from carebridge.surveys.domain import instruments, questionnaire
from carebridge.surveys.models import Invitation, ResponseDraft
from carebridge.surveys.selectors.responses import invitation_for_token
from carebridge.surveys.services.responses import (
    ALREADY_ANSWERED,
    EXPIRED,
    REFUSALS,
    SubmissionRefused,
    answer_error_message,
    draft_save,
    invitation_expire,
    invitation_open,
    normalise_language,
    refusal_reason,
    response_submit,
)
from carebridge.surveys.views import ratelimit

REFUSAL_STATUS = {ALREADY_ANSWERED: 409, "not_open": 403}


def _language(request: HttpRequest) -> str:
    return normalise_language(request.POST.get("lang") or request.GET.get("lang") or "zh-hans")


def _page_url(token: str, language: str, page: int | None = None, **extra: Any) -> str:
    query: dict[str, Any] = {"lang": language}
    if page is not None:
        query["page"] = page
    query.update(extra)
    return f"{reverse('answer:answer', args=[token])}?{urlencode(query)}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Rate limit, look the token up (404 page when unknown) and activate the respondent's language."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        language = _language(request)
        with translation.override(language):
            if ratelimit.over_limit(request, token):
                response = render(
                    request, "surveys/answer/rate_limited.html", {"language": language}, status=429
                )
                response["Retry-After"] = str(ratelimit.retry_after())
                return response
            invitation = invitation_for_token(token=token)
            if invitation is None:
                return render(request, "surveys/answer/not_found.html", {"language": language}, status=404)
            response = view(request, invitation, language)
            response.headers["Content-Language"] = language
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Robots-Tag"] = "noindex"
            return response

    return wrapper


def _context(invitation: Invitation, language: str, **extra: Any) -> dict[str, Any]:
    definition = invitation.wave.version.definition
    return {
        "invitation": invitation,
        "wave": invitation.wave,
        "hospital": invitation.wave.hospital,
        "language": language,
        "other_language": "zh-hans" if language == "en" else "en",
        "title": instruments.localised(definition.get("title"), language),
        "token": invitation.token,
        **extra,
    }


def _refused(request: HttpRequest, invitation: Invitation, language: str, reason: str) -> HttpResponse:
    if reason == EXPIRED:
        invitation_expire(invitation=invitation, now=timezone.now())
    context = _context(invitation, language, reason=reason, message=REFUSALS[reason])
    return render(request, "surveys/answer/refused.html", context, status=REFUSAL_STATUS.get(reason, 410))


def _render_page(
    request: HttpRequest,
    invitation: Invitation,
    language: str,
    *,
    number: int,
    answers: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    definition = invitation.wave.version.definition
    all_pages = questionnaire.pages(definition, language)
    shown = instruments.visible_codes(list(instruments.iter_items(definition)), answers)
    context = _context(
        invitation,
        language,
        pages=all_pages,
        number=number,
        total=len(all_pages),
        progress=round(100 * number / (len(all_pages) + 1)),
        saved=request.GET.get("saved") == "1",
    )
    if number == 0:
        context["intro"] = instruments.localised(definition.get("intro"), language)
        context["privacy"] = questionnaire.privacy_notes(
            hospital_name=invitation.wave.hospital.name,
            anonymous=invitation.wave.anonymous,
            min_report_group=invitation.wave.min_report_group,
        )
        return render(request, "surveys/answer/intro.html", context, status=status)
    page = all_pages[number - 1]
    messages = {code: answer_error_message(error) for code, error in (errors or {}).items()}
    context.update(
        page=page,
        is_last=_next_page(definition, answers, number, 1) is None,
        fields=questionnaire.fields(
            page.specs, language=language, answers=answers, errors=messages, visible=shown
        ),
        error_count=len(messages),
    )
    return render(request, "surveys/answer/page.html", context, status=status)


def _next_page(definition: dict[str, Any], answers: dict[str, Any], number: int, step: int) -> int | None:
    """The nearest page in ``step``'s direction that shows at least one question; None past the last
    page (going back, the introduction, 0, is always there)."""
    all_pages = questionnaire.pages(definition, "zh-hans")
    shown = instruments.visible_codes(list(instruments.iter_items(definition)), answers)
    candidate = number + step
    while 1 <= candidate <= len(all_pages):
        if all_pages[candidate - 1].codes & shown:
            return candidate
        candidate += step
    return 0 if step < 0 else None


@public_page
def answer(request: HttpRequest, invitation: Invitation, language: str) -> HttpResponse:
    """GET: the page asked for (or where the draft stopped); POST: check the page, save, move on or submit."""
    now = timezone.now()
    reason = refusal_reason(invitation, now)
    if reason == ALREADY_ANSWERED and request.method == "GET":
        return redirect(reverse("answer:thanks", args=[invitation.token]) + f"?lang={language}")
    if reason is not None:
        return _refused(request, invitation, language, reason)
    invitation_open(invitation=invitation, now=now)
    definition = invitation.wave.version.definition
    total = len(definition.get("dimensions", []))
    draft = ResponseDraft.objects.filter(invitation=invitation).first()
    saved: dict[str, Any] = dict(draft.answers) if draft else {}
    try:
        number = int(request.POST.get("page") or request.GET.get("page") or (draft.page if draft else 0))
    except ValueError:
        number = 0
    number = max(0, min(number, total))
    if request.method != "POST":
        return _render_page(request, invitation, language, number=number, answers=saved)
    if number == 0:  # "start" on the introduction
        return redirect(_page_url(invitation.token, language, _next_page(definition, saved, 0, 1) or 1))
    return _post_page(request, invitation, language, number=number, saved=saved, now=now)


def _post_page(
    request: HttpRequest,
    invitation: Invitation,
    language: str,
    *,
    number: int,
    saved: dict[str, Any],
    now: Any,
) -> HttpResponse:
    definition = invitation.wave.version.definition
    page = questionnaire.pages(definition, language)[number - 1]
    merged = questionnaire.merge(saved, questionnaire.read_answers(request.POST, page.specs))
    cleaned, errors = instruments.clean_answers(definition, merged, partial=True)
    action = request.POST.get("action", "next")
    page_errors = {code: error for code, error in errors.items() if code in page.codes}
    if action in ("next", "submit"):
        shown = instruments.visible_codes(list(instruments.iter_items(definition)), cleaned)
        for code in questionnaire.missing_required(page.specs, cleaned, shown):
            page_errors.setdefault(code, "an answer is required")
    if page_errors:
        return _render_page(
            request, invitation, language, number=number, answers=merged, errors=page_errors, status=400
        )
    following = _next_page(definition, cleaned, number, 1)
    if action in ("next", "submit") and following is None:
        # The last page that shows a question: submit (a "next" whose later pages all got skipped too).
        try:
            response_submit(
                invitation=invitation, answers=cleaned, language=language, mode=ResponseMode.WEB, now=now
            )
        except SubmissionRefused as refused:
            return _refused(request, invitation, language, refused.reason)
        except ValidationError as invalid:
            return _first_page_with_errors(
                request, invitation, language, answers=cleaned, invalid=invalid, now=now
            )
        return redirect(reverse("answer:thanks", args=[invitation.token]) + f"?lang={language}")
    # "submit" while an answer on this page opened a later page moves on to that page instead.
    target = {"back": _next_page(definition, cleaned, number, -1), "save": number}.get(action, following)
    target = number if target is None else target
    draft_save(invitation=invitation, answers=cleaned, page=target, now=now)
    extra = {"saved": 1} if action == "save" else {}
    return redirect(_page_url(invitation.token, language, target, **extra))


def _first_page_with_errors(
    request: HttpRequest,
    invitation: Invitation,
    language: str,
    *,
    answers: dict[str, Any],
    invalid: ValidationError,
    now: Any,
) -> HttpResponse:
    """Submission refused an item of an earlier page (e.g. a required answer skipped): show that page."""
    definition = invitation.wave.version.definition
    codes = set(invalid.message_dict) if hasattr(invalid, "error_dict") else set()
    errors = instruments.clean_answers(definition, answers)[1]
    for page in questionnaire.pages(definition, language):
        if page.codes & codes:
            draft_save(invitation=invitation, answers=answers, page=page.number, now=now)
            page_errors = {code: errors[code] for code in page.codes & codes if code in errors}
            return _render_page(
                request,
                invitation,
                language,
                number=page.number,
                answers=answers,
                errors=page_errors,
                status=400,
            )
    last = len(definition.get("dimensions", []))
    return _render_page(request, invitation, language, number=last, answers=answers, status=400)


@public_page
def thanks(request: HttpRequest, invitation: Invitation, language: str) -> HttpResponse:
    if invitation.status != InvitationStatus.COMPLETED:
        return redirect(_page_url(invitation.token, language))
    return render(request, "surveys/answer/thanks.html", _context(invitation, language))
