"""Read-only admin for superusers' support work: every change goes through the calendar page, the command and
workcalendar.services, which keep each change's revision and tell the rosters and statements it touches."""

from django.contrib import admin

from workcalendar.models import CalendarDay, CalendarRevision, CalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "origin", "source_title", "source_date", "changed_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["year", "kind"]


@admin.register(CalendarRevision)
class CalendarRevisionAdmin(ReadOnlyAdmin):
    list_display = ["year", "number", "kind", "status_after", "source_title", "actor", "at"]
    list_select_related = ["actor"]
