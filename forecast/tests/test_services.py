"""Forecast services on the real database: history from the logbook and from imports, the import's all-or-nothing
check, and applying suggestions through the roster."""

from datetime import date

import pytest

from dutydesk.testing import errors_of, run_together
from forecast import queries, rules, services
from forecast.models import ContactVolume, VolumeImport
from forecast.tests.factories import logbook_contacts, volume_csv
from roster.models import DutyShift, HeadcountOverride
from roster.services import RosterError
from roster.team_services import set_headcounts
from testdata import MONTH, WEEKENDS, laid_out_month, publish, saturdays_before

TODAY = date(2027, 2, 15)  # MONTH (2027-03) is next month: no holidays, eight weekend duty days

pytestmark = pytest.mark.django_db


def test_history_counts_logbook_entries_by_local_hour(team, agent):
    saturday = saturdays_before(TODAY, 1)[0]
    logbook_contacts(team, agent.profile, saturday, {9: 2, 20: 5, 23: 1})
    history, promotion = queries.history_of(team, today=TODAY)
    assert history == {saturday: {9: rules.Hourly(2), 20: rules.Hourly(5), 23: rules.Hourly(1)}}
    assert promotion == set()


def test_history_promotion_presets_and_imported_days(team, supervisor):
    services.import_volume(
        team,
        file_name="v.csv",
        content=volume_csv([("2026-12-12", 20, 90, 200), ("2026-12-05", 20, 40, 200)]),
        actor=supervisor.profile,
        today=TODAY,
    )
    history, promotion = queries.history_of(team, today=TODAY)
    assert history[date(2026, 12, 12)] == {20: rules.Hourly(90, 90 * 200)}
    assert promotion == {date(2026, 12, 12)}  # 双12


def test_import_bad_row_imports_nothing_and_lists_every_bad_row(team, supervisor):
    content = volume_csv([("2026-12-05", 20, 40, 200), ("2026-12-05", 25, 40, 200), ("2026-12-06", 20, "many", 200)])
    with pytest.raises(services.BadFile) as raised:
        services.import_volume(team, file_name="v.csv", content=content, actor=supervisor.profile, today=TODAY)
    assert [error.line for error in raised.value.errors] == [3, 4]
    assert ContactVolume.objects.count() == 0 and VolumeImport.objects.count() == 0


def test_import_twice_replaces_the_same_hours(team, supervisor):
    first = volume_csv([("2026-12-05", 20, 40, 200), ("2026-12-05", 21, 30, 200)])
    second = volume_csv([("2026-12-05", 20, 44, 210)])
    for content in (first, first, second):
        services.import_volume(team, file_name="v.csv", content=content, actor=supervisor.profile, today=TODAY)
    assert sorted(ContactVolume.objects.values_list("hour", "contacts", "handling_seconds")) == [
        (20, 44, 210),
        (21, 30, 200),
    ]
    assert VolumeImport.objects.count() == 3


def _history_of_busy_saturday_nights(team, supervisor):
    rows = [(day.isoformat(), 20, 42, 240) for day in saturdays_before(TODAY, 8)]
    services.import_volume(team, file_name="v.csv", content=volume_csv(rows), actor=supervisor.profile, today=TODAY)


def test_month_forecast_suggests_from_the_busiest_hour(team, supervisor):
    laid_out_month(team, MONTH)  # day 09-18 and night 18-24, headcount 1 each
    _history_of_busy_saturday_nights(team, supervisor)
    page = queries.month_forecast(team, MONTH, today=TODAY)
    night = {(s.shift.date, s.shift.name): s for s in (row["suggestion"] for row in page["rows"])}
    saturday_night = night[(WEEKENDS[0], "夜班")]
    assert (saturday_night.contacts_per_hour, saturday_night.agents, saturday_night.shift.headcount) == (42, 5, 1)
    sunday_night = night[(WEEKENDS[1], "夜班")]  # no Sunday in the history: the other weekdays stand in
    assert sunday_night.agents == 5
    sentence = next(row["sentence"] for row in page["rows"] if row["suggestion"] is saturday_night)
    assert "42" in sentence and "5" in sentence
    assert page["differing"] == 8  # the eight nights; the days (no contacts before 18:00) keep 1


def test_apply_sets_the_headcount_of_next_months_shifts(team, supervisor):
    laid_out_month(team, MONTH)
    _history_of_busy_saturday_nights(team, supervisor)
    page = queries.month_forecast(team, MONTH, today=TODAY)
    key = next(r["suggestion"].key for r in page["rows"] if r["suggestion"].differs)
    changed = services.apply_suggestions(
        team, MONTH, keys={key}, fingerprint=page["fingerprint"], actor=supervisor.profile, today=TODAY
    )
    assert changed == 1
    day, kind = key.split(":")
    assert DutyShift.objects.get(team=team, date=day, shift_type_id=kind).headcount == 5
    # The same form again (a double click): nothing more, no error.
    again = services.apply_suggestions(
        team, MONTH, keys={key}, fingerprint=page["fingerprint"], actor=supervisor.profile, today=TODAY
    )
    assert again == 0 and HeadcountOverride.objects.count() == 1


def test_apply_from_a_stale_page_is_refused(team, supervisor):
    laid_out_month(team, MONTH)
    _history_of_busy_saturday_nights(team, supervisor)
    page = queries.month_forecast(team, MONTH, today=TODAY)
    keys = {r["suggestion"].key for r in page["rows"] if r["suggestion"].differs}
    # Another import since the page was opened: busier Saturdays, other suggestions.
    busier = [(day.isoformat(), 20, 90, 240) for day in saturdays_before(TODAY, 8)]
    services.import_volume(team, file_name="v.csv", content=volume_csv(busier), actor=supervisor.profile, today=TODAY)
    with pytest.raises(services.ForecastError):
        services.apply_suggestions(
            team, MONTH, keys=keys, fingerprint=page["fingerprint"], actor=supervisor.profile, today=TODAY
        )
    assert HeadcountOverride.objects.count() == 0


def test_set_headcounts_refuses_a_published_month(team, supervisor):
    laid_out_month(team, MONTH)
    kind = DutyShift.objects.filter(team=team).first().shift_type_id
    publish(team, [], month=MONTH, by=supervisor)
    with pytest.raises(RosterError):
        set_headcounts(team, MONTH, {(WEEKENDS[0], kind): 3}, actor=supervisor.profile, reason="test")
    assert HeadcountOverride.objects.count() == 0


def test_set_headcounts_refuses_a_date_that_is_not_a_duty_day(team, supervisor):
    laid_out_month(team, MONTH)
    kind = DutyShift.objects.filter(team=team).first().shift_type_id
    with pytest.raises(RosterError):
        set_headcounts(
            team, MONTH, {(WEEKENDS[0], kind): 3, (date(2027, 3, 3), kind): 3}, actor=supervisor.profile, reason=""
        )
    assert HeadcountOverride.objects.count() == 0


def test_headcount_survives_laying_the_month_out_again(team, supervisor):
    from roster.services import prepare_month

    laid_out_month(team, MONTH)
    kind = DutyShift.objects.filter(team=team, date=WEEKENDS[0]).first().shift_type_id
    set_headcounts(team, MONTH, {(WEEKENDS[0], kind): 4}, actor=supervisor.profile, reason="")
    prepare_month(team, MONTH)
    assert DutyShift.objects.get(team=team, date=WEEKENDS[0], shift_type_id=kind).headcount == 4


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_apply_at_once(team, supervisor, overseer):
    laid_out_month(team, MONTH)
    kind = DutyShift.objects.filter(team=team, date=WEEKENDS[0]).first().shift_type_id

    def apply(person, n):
        return lambda: set_headcounts(team, MONTH, {(WEEKENDS[0], kind): n}, actor=person.profile, reason="")

    outcomes = run_together(apply(supervisor, 3), apply(overseer, 4))
    assert errors_of(outcomes) == []
    assert HeadcountOverride.objects.count() == 1
    final = HeadcountOverride.objects.get().headcount
    assert DutyShift.objects.get(team=team, date=WEEKENDS[0], shift_type_id=kind).headcount == final
