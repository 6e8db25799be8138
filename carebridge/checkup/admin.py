"""Admin pages of the checkup centre's configuration: rooms, items with their ranges and findings,
packages, groups and contracts, the advice library, the risk rules and their versions, daily capacity;
for the group reports the findings catalogue, the reference population and the reference prevalence
tables (each with its source and year, and whether its figures are illustrative).
Visits, queues and results are worked in the centre's pages, whose services check, audit and mask."""

from __future__ import annotations

from django.contrib import admin

from carebridge.checkup.models import (
    AdviceRule,
    CodedValue,
    ContractClass,
    DayCapacity,
    EmployerGroup,
    GroupContract,
    Item,
    Package,
    ReferencePopulation,
    ReferencePrevalence,
    ReferenceRange,
    ReferenceRate,
    ReferenceStratum,
    ReportableFinding,
    RiskRule,
    RiskRuleSet,
    Room,
)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "stations", "service_minutes", "sequence", "is_active"]
    list_filter = ["department", "is_active"]


class ReferenceRangeInline(admin.TabularInline):
    model = ReferenceRange
    extra = 0


class CodedValueInline(admin.TabularInline):
    model = CodedValue
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "loinc", "name", "kind", "category", "unit", "room", "price", "is_active"]
    list_filter = ["kind", "category", "room", "is_active"]
    search_fields = ["code", "loinc", "name", "name_en", "abbreviation"]
    inlines = [ReferenceRangeInline, CodedValueInline]


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "sex", "age_min", "age_max", "price", "is_active"]
    list_filter = ["kind", "sex", "is_active"]
    filter_horizontal = ["items"]


class ContractClassInline(admin.TabularInline):
    model = ContractClass
    extra = 0


@admin.register(EmployerGroup)
class EmployerGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "channel", "occupation_class", "is_active"]
    list_filter = ["channel", "occupation_class", "is_active"]
    search_fields = ["code", "name"]


@admin.register(GroupContract)
class GroupContractAdmin(admin.ModelAdmin):
    list_display = ["group", "name", "starts_on", "ends_on"]
    inlines = [ContractClassInline]


@admin.register(AdviceRule)
class AdviceRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "finding", "item", "operator", "threshold", "sequence", "is_active"]
    list_filter = ["is_active", "operator"]
    search_fields = ["code", "finding", "conclusion"]


class RiskRuleInline(admin.TabularInline):
    model = RiskRule
    extra = 0


@admin.register(RiskRuleSet)
class RiskRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "effective_from", "is_active"]
    inlines = [RiskRuleInline]


@admin.register(DayCapacity)
class DayCapacityAdmin(admin.ModelAdmin):
    list_display = ["department", "date", "capacity"]
    list_filter = ["department"]


@admin.register(ReportableFinding)
class ReportableFindingAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sequence", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "definition"]


class ReferenceStratumInline(admin.TabularInline):
    model = ReferenceStratum
    extra = 0


@admin.register(ReferencePopulation)
class ReferencePopulationAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "source", "is_illustrative", "is_default"]
    list_filter = ["is_illustrative", "is_default"]
    inlines = [ReferenceStratumInline]


class ReferenceRateInline(admin.TabularInline):
    model = ReferenceRate
    extra = 0


@admin.register(ReferencePrevalence)
class ReferencePrevalenceAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "source", "is_illustrative", "is_default"]
    list_filter = ["is_illustrative", "is_default"]
    inlines = [ReferenceRateInline]
