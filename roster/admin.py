from django.contrib import admin

from roster.models import CalendarOverride, DutyShift, Roster, RosterVersion, ShiftType, TeamRosterSettings


@admin.register(TeamRosterSettings)
class TeamRosterSettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "publish_days_ahead", "availability_closes_days", "solver_time_limit_s"]


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin):
    list_display = ["team", "key", "name", "start", "end", "is_night", "headcount", "active"]
    list_filter = ["team", "active"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["team", "date", "kind", "note"]
    list_filter = ["team", "kind"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["team", "date", "shift_type", "headcount", "is_night", "is_holiday", "is_promotion"]
    list_filter = ["team"]
    date_hierarchy = "date"

    # Duty shifts come from the calendar and the team's settings (roster.services.prepare_month).
    def has_add_permission(self, request):
        return False


class RosterVersionInline(admin.TabularInline):
    model = RosterVersion
    fields = ["number", "kind", "reason", "created_by", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    """Read-only: rosters change through roster.services only (R-ROSTER-9 keeps who, when and why)."""

    list_display = ["team", "month", "published_version"]
    list_filter = ["team"]
    readonly_fields = ["team", "month", "published_version", "draft_revision"]
    inlines = [RosterVersionInline]

    def has_add_permission(self, request):
        return False
