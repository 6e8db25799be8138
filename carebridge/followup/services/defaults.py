"""The hospital's follow-up configuration, installed on first use: policy, touchpoint template, tiers with
their windows, tier rules and call scripts (the rows of :mod:`carebridge.followup.domain.defaults`)."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.followup.domain.defaults import TIERS, rule_rows, script_rows, template_rows, tier_texts
from carebridge.followup.models import (
    CallScript,
    FollowupPolicy,
    FollowupTier,
    TierRule,
    TierWindow,
    TouchpointTemplate,
)


def defaults_install(*, hospital: Hospital) -> None:
    """Create the hospital's default policy, template, tiers, tier rules and scripts where none exist.

    Idempotent and safe when two requests race (the unique constraints decide; the loser keeps the rows
    of the winner). Texts are stored in the site's language, as an administrator would type them.
    """
    if (
        FollowupPolicy.objects.filter(hospital=hospital).exists()
        and FollowupTier.objects.filter(hospital=hospital).exists()
        and TouchpointTemplate.objects.filter(hospital=hospital).exists()
    ):
        return
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            _install(hospital)
    except IntegrityError:
        pass  # another request installed them at the same moment


def _install(hospital: Hospital) -> None:
    FollowupPolicy.objects.get_or_create(
        hospital=hospital,
        defaults={
            "message_text": _(
                "{hospital}: we tried to call you about your recent stay. "
                "Please call us back at your convenience."
            )
        },
    )
    if not TouchpointTemplate.objects.filter(hospital=hospital).exists():
        TouchpointTemplate.objects.bulk_create(
            TouchpointTemplate(hospital=hospital, **row) for row in template_rows()
        )
    if not FollowupTier.objects.filter(hospital=hospital).exists():
        texts = tier_texts()
        for code, rank, windows, auto_close in TIERS:
            name, description = texts[code]
            tier = FollowupTier.objects.create(
                hospital=hospital,
                code=code,
                name=name,
                description=description,
                rank=rank,
                auto_close_after_days=auto_close,
            )
            TierWindow.objects.bulk_create(
                TierWindow(tier=tier, sequence=number, amount=amount, unit=unit)
                for number, (amount, unit) in enumerate(windows, start=1)
            )
    if not TierRule.objects.filter(hospital=hospital).exists():
        TierRule.objects.bulk_create(
            TierRule(hospital=hospital, priority=(index + 1) * 10, **row)
            for index, row in enumerate(rule_rows())
        )
    if not CallScript.objects.filter(hospital=hospital).exists():
        CallScript.objects.bulk_create(CallScript(hospital=hospital, **row) for row in script_rows())


def policy_for(hospital: Hospital) -> FollowupPolicy:
    """The hospital's follow-up policy, installing the defaults first when it has none (one query once
    installed: every claim and every recorded call reads it; none when the caller read the hospital
    with ``select_related("hospital__followup_policy")``)."""
    if Hospital.followup_policy.is_cached(hospital):
        try:
            return hospital.followup_policy
        except FollowupPolicy.DoesNotExist:
            pass  # read with the hospital, not installed yet
    policy = FollowupPolicy.objects.filter(hospital=hospital).first()
    if policy is None:
        defaults_install(hospital=hospital)
        policy = FollowupPolicy.objects.get(hospital=hospital)
    return policy
