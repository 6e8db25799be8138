"""Admin: rule sets with their rules, class policies (time limits, ladders); notifications read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from carebridge.critical.models import ClassPolicy, Notification, Rule, RuleSet


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = [
        "sequence", "code", "name", "item", "category", "operator", "threshold", "grade", "codes",
        "severity", "sex", "age_min", "age_max", "advice", "source", "is_active",
    ]  # fmt: skip
    raw_id_fields = ["item"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "hospital", "effective_from", "effective_to", "is_active"]
    list_filter = ["hospital", "is_active"]
    inlines = [RuleInline]


@admin.register(ClassPolicy)
class ClassPolicyAdmin(admin.ModelAdmin):
    list_display = ["hospital", "severity", "first_attempt_minutes", "read_back_minutes", "claim_minutes"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["visit", "severity", "status", "detected_at", "read_back_at"]
    list_filter = ["severity", "status"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
