"""Admin pages of complaints: their configuration (policy, routing map, category lexicon).

Cases themselves are handled in the complaint pages, whose services check transitions, audit and mask.
"""

from __future__ import annotations

from django.contrib import admin

from carebridge.complaints.models import CategoryKeyword, ComplaintPolicy, RoutingRule


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "hospital",
        "feedback_working_days",
        "feedback_working_days_multi",
        "acknowledgement_working_days",
        "default_office",
        "office_head",
    ]
    raw_id_fields = ["office_head"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["hospital", "category", "office"]
    list_filter = ["hospital", "category"]
    list_select_related = ["hospital", "office"]


@admin.register(CategoryKeyword)
class CategoryKeywordAdmin(admin.ModelAdmin):
    list_display = ["term", "category", "weight", "is_active", "updated_at"]
    list_filter = ["category", "is_active"]
    list_editable = ["weight", "is_active"]
    search_fields = ["term"]
