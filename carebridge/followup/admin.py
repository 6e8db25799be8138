"""Admin pages of follow-up: the configuration (policy, touchpoint template, tiers and their windows, tier
rules, call scripts, ward project managers). Plans and calls are worked in the follow-up pages, whose
services check transitions, audit and mask."""

from __future__ import annotations

from django.contrib import admin

from carebridge.followup.models import (
    CallScript,
    FollowupPolicy,
    FollowupTier,
    TierRule,
    TierWindow,
    TouchpointTemplate,
    WardProjectManager,
)


@admin.register(FollowupPolicy)
class FollowupPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "hospital",
        "calling_start",
        "calling_end",
        "retry_minutes",
        "max_attempts_per_day",
        "phone_attempts_before_message",
        "claim_minutes",
        "no_consent_route",
    ]


@admin.register(TouchpointTemplate)
class TouchpointTemplateAdmin(admin.ModelAdmin):
    list_display = ["hospital", "kind", "title", "anchor", "amount", "unit", "owner_rule", "is_active"]
    list_filter = ["hospital", "is_active"]


class TierWindowInline(admin.TabularInline):
    model = TierWindow
    extra = 0


@admin.register(FollowupTier)
class FollowupTierAdmin(admin.ModelAdmin):
    list_display = ["hospital", "code", "name", "rank", "auto_close_after_days"]
    list_filter = ["hospital"]
    inlines = [TierWindowInline]


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    list_display = ["hospital", "priority", "name", "tier", "surgery_grade_min", "critical", "is_active"]
    list_filter = ["hospital", "tier", "is_active"]
    filter_horizontal = ["departments"]


@admin.register(CallScript)
class CallScriptAdmin(admin.ModelAdmin):
    list_display = ["hospital", "kind", "title", "updated_at"]
    list_filter = ["hospital"]


@admin.register(WardProjectManager)
class WardProjectManagerAdmin(admin.ModelAdmin):
    list_display = ["ward", "staff"]
    raw_id_fields = ["staff"]
