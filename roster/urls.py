"""Readable roster addresses: /roster/<team>/2026-12/ and what hangs off it."""

from django.urls import path, register_converter

from dutydesk.months import MonthConverter
from roster.views import calendar_changes, edit, fairness, mine, pages, setup

register_converter(MonthConverter, "month")

app_name = "roster"
urlpatterns = [
    path("mine/", mine.my_shifts, name="mine"),
    path("mine/feed/reset/", mine.reset_feed, name="feed-reset"),
    path("mine/<month:month>/availability/", mine.availability, name="availability"),
    path("mine/<month:month>/confirm/", mine.acknowledge, name="acknowledge"),
    path("feed/<str:token>.ics", mine.feed, name="feed"),
    path("<slug:team>/", pages.index, name="index"),
    path("<slug:team>/fairness/", fairness.fairness_now, name="fairness-now"),
    path("<slug:team>/settings/", setup.team_settings, name="settings"),
    path("<slug:team>/calendar-changes/", calendar_changes.calendar_changes, name="calendar-changes"),
    path("<slug:team>/settings/shifts/new/", setup.shift_type_edit, name="shift-new"),
    path("<slug:team>/settings/shifts/<int:shift_type>/", setup.shift_type_edit, name="shift-edit"),
    path("<slug:team>/settings/shifts/<int:shift_type>/remove/", setup.shift_type_remove, name="shift-remove"),
    path("<slug:team>/settings/days/", setup.overrides, name="overrides"),
    path("<slug:team>/settings/days/<int:override>/remove/", setup.override_remove, name="override-remove"),
    path("<slug:team>/<month:month>/", pages.month_view, name="month"),
    path("<slug:team>/<month:month>/days/", pages.by_day, name="days"),
    path("<slug:team>/<month:month>/versions/", pages.versions, name="versions"),
    path("<slug:team>/<month:month>/print/", pages.print_view, name="print"),
    path("<slug:team>/<month:month>/roster.xlsx", pages.excel, name="excel"),
    path("<slug:team>/<month:month>/fairness/", fairness.fairness, name="fairness"),
    path("<slug:team>/<month:month>/fairness.xlsx", fairness.fairness_excel, name="fairness-excel"),
    path("<slug:team>/<month:month>/availability/all/", setup.availability_overview, name="availability-all"),
    path("<slug:team>/<month:month>/draft/", edit.draft, name="draft"),
    path("<slug:team>/<month:month>/draft/cell/", edit.cell, name="cell"),
    path("<slug:team>/<month:month>/draft/prepare/", edit.prepare, name="prepare"),
    path("<slug:team>/<month:month>/draft/generate/", edit.generate, name="generate"),
    path("<slug:team>/<month:month>/draft/generation/", edit.generation, name="generation"),
    path("<slug:team>/<month:month>/draft/generation/cancel/", edit.generation_cancel, name="generation-cancel"),
    path("<slug:team>/<month:month>/draft/publish/", edit.publish, name="publish"),
    path("<slug:team>/<month:month>/draft/discard/", edit.discard, name="discard"),
    path("<slug:team>/<month:month>/revise/", edit.revise, name="revise"),
    path("<slug:team>/<month:month>/revise/calendar/", calendar_changes.calendar_revision, name="calendar-revision"),
]
