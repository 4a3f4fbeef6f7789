"""The company calendar on the real database: seeding, importing the notice, editing, the version stamp, and the
bad files that change nothing (issue 21). What a change does to rosters and statements: test_changes.py."""

import importlib
from datetime import date

import pytest
from django.db import transaction

from dutydesk.audit.models import AuditEvent
from dutydesk.testing import run_together
from testdata import sample_2027, sample_days
from workcalendar import days as plain
from workcalendar import package, queries, services
from workcalendar.models import CalendarDay, CalendarRevision, CalendarYear, Origin, RevisionKind
from workcalendar.services import CalendarError
from workcalendar.tests.factories import csv_bytes, json_bytes

pytestmark = pytest.mark.usefixtures("english")
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（样例）"
NOTICE_DATE = date(2026, 11, 12)


def stored(year: int):
    """What the database holds of `year` (nothing before its first change: the tests start from flushed tables, and
    a year not stored reads as the package has it)."""
    row = CalendarYear.objects.filter(year=year).first()
    days = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(year=year)}
    return (row.status, str(row.stamp)) if row else None, days, CalendarRevision.objects.filter(year=year).count()


def import_sample(manager=None, **extra):
    check = services.check_import(file_name="2027.csv", content=csv_bytes(sample_2027()), year=2027)
    assert check.problems == []
    return services.import_calendar(
        year=2027,
        days=check.days,
        source_title=NOTICE,
        source_date=NOTICE_DATE,
        actor=manager.profile if manager else None,
        **extra,
    )


def test_migration_seeds_the_package_years_2026_official_and_2027_provisional(db):
    from django.apps import apps

    seed = importlib.import_module("workcalendar.migrations.0002_seed_from_holidays_package").seed
    seed(apps, None)
    years = dict(CalendarYear.objects.values_list("year", "status"))
    assert (years[2001], years[2026], years[2027], 2028 in years) == ("official", "official", "provisional", False)
    # 2027 is the package's estimate: statutory days and 补假 days, no adjusted working day.
    kinds = set(CalendarDay.objects.filter(year=2027).values_list("kind", flat=True))
    assert kinds == {"holiday", "rest"}
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    seed_revision = CalendarRevision.objects.get(year=2027)
    assert (seed_revision.number, seed_revision.kind, seed_revision.status_after) == (
        1,
        RevisionKind.SEED,
        "provisional",
    )
    # What the migration wrote is what the app reads for a year it has not stored (the package's view).
    assert queries.years([2026])[2026].days == package.package_year(2026).days
    seed(apps, None)  # again: a stored year is left as it is
    assert CalendarRevision.objects.filter(year=2027).count() == 1


def test_a_year_not_stored_reads_as_the_package_has_it(db):
    year = queries.years([2028])[2028]
    assert (year.status, year.days[date(2028, 1, 1)].kind) == ("provisional", "holiday")
    assert queries.provisional_years([2026, 2027, 2028]) == [2027, 2028]


def test_import_makes_the_year_official_with_its_source_and_keeps_who_and_what(db, manager):
    revision = import_sample(manager)
    row = CalendarYear.objects.get(year=2027)
    assert (row.status, row.origin, row.source_title, row.source_date, row.changed_by) == (
        "official",
        Origin.NOTICE,
        NOTICE,
        NOTICE_DATE,
        manager.profile,
    )
    assert {on: plain.Day(*v) for on, v in stored(2027)[1].items()} == sample_days()
    assert (revision.number, revision.kind, revision.actor, revision.status_before) == (
        2,
        RevisionKind.IMPORT,
        manager.profile,
        "provisional",
    )
    changed = {c["date"]: c for c in revision.changes}
    assert changed["2027-01-31"] == {
        "date": "2027-01-31",
        "before": None,
        "after": {"kind": "workday", "name": "春节调休上班"},
    }


def test_the_same_file_again_changes_nothing(db, manager):
    import_sample(manager)
    before = stored(2027)
    check = services.check_import(file_name="2027.csv", content=csv_bytes(sample_2027()), year=2027)
    assert (check.changes, check.changes_nothing) == ([], True)
    assert import_sample(manager) is None
    assert stored(2027) == before


def test_every_change_is_in_the_audit_trail_with_its_actor_and_dates(db, manager):
    # Issue 22: the audit covers the holiday calendar. The import, an edit and a removal each leave one event with
    # who did it, the year's status and source before and after, and each changed date (found in its day's history).
    import_sample(manager)
    imported = AuditEvent.objects.get(action="workcalendar.import")
    assert (imported.actor, imported.team_id, imported.target_type, imported.target_id) == (
        manager.profile,
        None,
        "workcalendar.calendaryear",
        "2027",
    )
    assert (imported.before["status"], imported.after["status"]) == ("provisional", "official")
    assert (imported.after["source_title"], imported.after["source_date"]) == (NOTICE, NOTICE_DATE.isoformat())
    assert imported.reason == NOTICE
    assert "2027-01-31 调休上班日 春节调休上班" in imported.after["days"]
    assert "day:2027-01-31" in imported.refs
    services.set_day(year=2027, on=date(2027, 3, 13), kind="workday", name="补班", actor=manager.profile)
    services.remove_day(year=2027, on=date(2027, 3, 13), actor=manager.profile)
    edits = list(AuditEvent.objects.filter(action="workcalendar.edit").order_by("id"))
    assert [(e.before["days"], e.after["days"]) for e in edits] == [
        (["2027-03-13 —"], ["2027-03-13 调休上班日 补班"]),
        (["2027-03-13 调休上班日 补班"], ["2027-03-13 —"]),
    ]
    assert {e.actor for e in edits} == {manager.profile} and all("day:2027-03-13" in e.refs for e in edits)
    # The same file again changes nothing, so it records nothing either.
    count = AuditEvent.objects.count()
    assert import_sample(manager) is None
    assert AuditEvent.objects.count() == count


def test_json_in_the_commands_own_shape_imports_with_its_year_and_source(db, manager):
    content = json_bytes(sample_2027(), year=2027, source={"title": NOTICE, "date": "2026-11-12"})
    check = services.check_import(file_name="notice.json", content=content)
    assert (check.year, check.problems, check.source_title, check.source_date) == (2027, [], NOTICE, NOTICE_DATE)
    assert check.days == sample_days()


@pytest.mark.parametrize(
    ("content", "file_name", "expected"),
    [
        (
            csv_bytes([("2027-01-01", "holiday", "元旦"), ("2027-01-01", "rest", "元旦")]),
            "a.csv",
            [("line 3", "2027-01-01 is listed twice (first on line 2); keep one line per date.")],
        ),
        (
            csv_bytes([("2026-12-31", "rest", "元旦")]),
            "a.csv",
            [("line 2", "2026-12-31 is not in 2027: this file is the calendar of 2027.")],
        ),
        (
            csv_bytes([("2027-02-05", "feast", "春节")]),
            "a.csv",
            [("line 2", '"feast" is not a kind of day: write holiday, rest or workday.')],
        ),
        (
            json_bytes([("2027-02-05", "holiday", "春节"), ("2027/02/06", "holiday", "春节")]),
            "a.json",
            [("line 2", '"2027/02/06" is not a date; write it as 2027-01-31.')],
        ),
    ],
)
def test_bad_rows_are_all_listed_and_nothing_changes(db, content, file_name, expected):
    before = stored(2027)
    check = services.check_import(file_name=file_name, content=content, year=2027)
    assert (check.problems, check.is_clean) == (expected, False)
    assert stored(2027) == before


def test_a_control_character_in_a_json_file_is_listed_and_changes_nothing(db, manager):
    # A CSV's control characters are stopped by the spreadsheet reader; JSON's "\u0000" passes json.loads and
    # would end the import in PostgreSQL's error. It is a row's problem like any other, and so in the title.
    before = stored(2027)
    content = json_bytes([("2027-02-05", "holiday", "春节"), ("2027-02-06", "holiday", "春\x00节")])
    check = services.check_import(file_name="2027.json", content=content, year=2027)
    assert check.problems == [("line 2", "The line has a control character (such as NUL); remove it and import again.")]
    with pytest.raises(CalendarError, match="control character"):
        services.import_calendar(
            year=2027, days=sample_days(), source_title="通知\x00", source_date=None, actor=manager.profile
        )
    with pytest.raises(CalendarError, match="control character"):
        services.set_day(year=2027, on=date(2027, 3, 13), kind="workday", name="补\x07班", actor=manager.profile)
    assert stored(2027) == before


def test_a_file_with_several_bad_rows_lists_every_one(db):
    rows = [
        *sample_2027(),
        ("2027-01-01", "holiday", "元旦"),
        ("2028-01-01", "holiday", "元旦"),
        ("2027-03-01", "x", ""),
    ]
    check = services.check_import(file_name="a.csv", content=csv_bytes(rows), year=2027)
    assert [where for where, _what in check.problems] == ["line 36", "line 37", "line 38"]


def test_a_gbk_file_is_refused_with_how_to_save_it(db):
    before = stored(2027)
    content = csv_bytes(sample_2027(), encoding="gbk")
    with pytest.raises(CalendarError, match="not UTF-8 text .* GBK"):
        services.check_import(file_name="2027.csv", content=content, year=2027)
    assert stored(2027) == before


def test_ten_megabytes_of_rows_are_refused_before_reading(db):
    before = stored(2027)
    line = b"2027-01-01,holiday," + "元旦".encode() * 100 + b"\n"
    content = b"date,kind,name\n" + line * (10 * 1024 * 1024 // len(line))
    assert len(content) > 9 * 1024 * 1024
    with pytest.raises(CalendarError, match="larger than 5 MB"):
        services.check_import(file_name="2027.csv", content=content, year=2027)
    assert stored(2027) == before


def test_more_rows_than_a_year_has_dates_is_refused(db):
    rows = [(f"2027-01-{d:02d}", "rest", "") for d in range(1, 32)] * 14
    with pytest.raises(CalendarError, match="more than 400 rows"):
        services.check_import(file_name="2027.csv", content=csv_bytes(rows), year=2027)


def test_an_official_year_needs_the_notice_title(db, manager):
    with pytest.raises(CalendarError, match="notice's title"):
        services.import_calendar(
            year=2027, days=sample_days(), source_title=" ", source_date=None, actor=manager.profile
        )
    assert queries.provisional_years([2027]) == [2027]


def test_edit_a_day_keeps_the_status_and_remove_makes_it_ordinary(db, manager):
    services.set_day(year=2027, on=date(2027, 1, 31), kind="workday", name="春节调休上班", actor=manager.profile)
    assert queries.calendar_of_year(2027).day(date(2027, 1, 31)) == plain.Day("workday", "春节调休上班")
    row = CalendarYear.objects.get(year=2027)
    assert (row.status, row.origin) == ("provisional", Origin.MANAGER)  # stored from the package, then edited
    services.remove_day(year=2027, on=date(2027, 1, 31), actor=manager.profile)
    assert queries.calendar_of_year(2027).day(date(2027, 1, 31)) is None
    # Nothing to remove: nothing changes, no revision.
    count = CalendarRevision.objects.filter(year=2027).count()
    assert services.remove_day(year=2027, on=date(2027, 1, 31), actor=manager.profile) is None
    assert CalendarRevision.objects.filter(year=2027).count() == count


def test_mark_official_with_the_notice(db, manager):
    services.mark_official(year=2027, source_title=NOTICE, source_date=NOTICE_DATE, actor=manager.profile)
    assert queries.provisional_years([2027]) == []


def test_a_page_opened_before_another_change_is_refused(db, manager):
    services.seed_years([2027])
    stamp = str(CalendarYear.objects.get(year=2027).stamp)
    services.set_day(year=2027, on=date(2027, 3, 8), kind="holiday", name="", actor=manager.profile)
    with pytest.raises(CalendarError, match="Someone else changed the calendar of 2027"):
        services.set_day(
            year=2027, on=date(2027, 3, 9), kind="holiday", name="", actor=manager.profile, expected_stamp=stamp
        )
    assert queries.calendar_of_year(2027).day(date(2027, 3, 9)) is None


def test_a_year_is_read_once_and_again_only_after_a_change(db, manager, django_assert_num_queries):
    queries.years([2027])
    with django_assert_num_queries(1):  # the stamp; the days come from memory
        queries.years([2027])
    services.set_day(year=2027, on=date(2027, 3, 8), kind="holiday", name="妇女节", actor=manager.profile)
    with django_assert_num_queries(2):  # the new stamp, then the year's days
        year = queries.years([2027])[2027]
    assert year.days[date(2027, 3, 8)] == plain.Day("holiday", "妇女节")


def test_a_change_rolled_back_leaves_no_stamp_behind(db, manager):
    try:
        with transaction.atomic():
            services.set_day(year=2027, on=date(2027, 3, 8), kind="holiday", name="", actor=manager.profile)
            assert queries.years([2027])[2027].days.get(date(2027, 3, 8)) is not None
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert queries.years([2027])[2027].days.get(date(2027, 3, 8)) is None


def test_seeding_again_keeps_an_imported_year_and_fills_a_missing_one(db, manager):
    import_sample(manager)
    assert services.seed_years([2027, 2028]) == {2027: "kept", 2028: "created"}
    assert CalendarYear.objects.get(year=2028).status == "provisional"
    assert services.seed_years([2028]) == {2028: "unchanged"}


@pytest.mark.django_db(transaction=True)
def test_two_managers_editing_at_once_both_land(manager):
    # R-CAL-1: each change locks the year; neither overwrites the other, and each is its own revision.
    outcomes = run_together(
        lambda: services.set_day(year=2027, on=date(2027, 3, 8), kind="holiday", name="", actor=manager.profile),
        lambda: services.set_day(year=2027, on=date(2027, 3, 9), kind="holiday", name="", actor=manager.profile),
    )
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    days = queries.calendar_of_year(2027).year(2027).days
    assert (date(2027, 3, 8) in days, date(2027, 3, 9) in days) == (True, True)
    assert sorted(CalendarRevision.objects.filter(year=2027).values_list("number", flat=True)) == [1, 2, 3]


def test_the_grid_reads_the_month_calendar_with_its_roster_row_and_no_query(team, manager, django_assert_num_queries):
    from roster import queries as roster_queries
    from testdata import laid_out_month

    laid_out_month(team, date(2027, 1, 1))
    services.set_day(year=2027, on=date(2027, 1, 31), kind="workday", name="春节调休上班", actor=manager.profile)
    roster = roster_queries.roster_with_draft(team, date(2027, 1, 1))
    roster_queries.month_calendar(roster)  # the first read of the year after its change
    roster = roster_queries.roster_with_draft(team, date(2027, 1, 1))
    with django_assert_num_queries(0):
        found = roster_queries.month_calendar(roster)
    # January 2027 and the six days around it: December 2026 (not stored: the package's) and 2027 as changed.
    assert (plain.kind_of(found, date(2027, 1, 31)), plain.kind_of(found, date(2026, 12, 26))) == ("workday", "rest")
    assert found.provisional_years == (2027,)
