"""Read-only admin for superusers' support work: every change goes through the compensation pages and services,
which keep the ledger traced and the finalised months frozen."""

from django.contrib import admin

from compensation.models import CompensationPolicy, CompTimeEntry, DutyStatement, PolicyException, StatementLine


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompensationPolicy)
class CompensationPolicyAdmin(ReadOnlyAdmin):
    list_display = ["team", "rest_day_treatment", "rest_day_ratio", "holiday_multiplier", "expiry_months"]


@admin.register(PolicyException)
class PolicyExceptionAdmin(ReadOnlyAdmin):
    list_display = ["profile", "rest_day_treatment", "reason", "set_by", "set_at"]
    list_select_related = ["profile", "set_by"]


@admin.register(CompTimeEntry)
class CompTimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["profile", "kind", "hours", "on", "expires_on", "team"]
    list_filter = ["kind", "team"]
    search_fields = ["profile__name"]
    list_select_related = ["profile", "team"]
    date_hierarchy = "on"


@admin.register(DutyStatement)
class DutyStatementAdmin(ReadOnlyAdmin):
    list_display = ["team", "month", "version", "is_current", "status", "computed_at", "finalised_at"]
    list_filter = ["team", "status", "is_current"]


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ["profile", "statement", "shifts", "actual_hours", "rest_day_hours", "holiday_hours", "comp_balance"]
    list_select_related = ["profile", "statement__team"]
