"""R-CAL-2 on the real database: a change of the company calendar finds the rosters, drafts and statements it
touches, tells each team's supervisors what changed, and changes nothing published by itself."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from compensation import services as compensation
from compensation.models import DutyStatement
from dutydesk.audit.models import AuditEvent
from dutydesk.notifications.models import Notification
from roster import calendar_services, queries, services
from roster.models import Assignment, DutyShift, TeamRosterSettings
from testdata import duty_shift, fill_draft, laid_out_month, make_agents, publish, sample_days, worked
from workcalendar import services as calendar

pytestmark = pytest.mark.usefixtures("english")
JANUARY, FEBRUARY = date(2027, 1, 1), date(2027, 2, 1)
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（样例）"


def import_notice(manager):
    return calendar.import_calendar(
        year=2027, days=sample_days(), source_title=NOTICE, source_date=date(2026, 11, 12), actor=manager.profile
    )


def published_month(team, supervisor, month=JANUARY):
    make_agents(team, 8)
    roster = laid_out_month(team, month)
    fill_draft(roster)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    roster.refresh_from_db()
    return roster


def held(version):
    return sorted(version.assignments.values_list("profile_id", "date", "duty_shift__shift_type__key"))


def calendar_notices(profile):
    return list(Notification.objects.filter(recipient=profile, dedupe_key__startswith="calendar:"))


def test_publishing_a_provisional_month_asks_and_records_the_confirmation(team, supervisor, agent):
    make_agents(team, 8)
    roster = laid_out_month(team, JANUARY)
    fill_draft(roster)
    with pytest.raises(services.RosterError, match="holidays of 2027 are not yet official"):
        services.publish_roster(roster, actor=supervisor.profile, expected_revision=None)
    version = services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    assert (version.provisional_calendar, version.published_by, version.published_at is not None) == (
        True,
        supervisor,
        True,
    )
    event = AuditEvent.objects.get(action="roster.publish")
    assert (event.actor, event.after["provisional_calendar"]) == (supervisor.profile, True)


def test_the_notice_tells_the_supervisor_of_a_published_january_and_changes_nothing_by_itself(
    team, supervisor, manager, agent
):
    roster = published_month(team, supervisor)
    before = held(roster.published_version)
    flags = sorted(DutyShift.objects.filter(team=team).values_list("date", "is_holiday", "laid_out"))
    import_notice(manager)
    # R-ROSTER-9: the published roster and its shifts are as they were.
    roster.refresh_from_db()
    assert (roster.published_version.number, held(roster.published_version)) == (1, before)
    assert sorted(DutyShift.objects.filter(team=team).values_list("date", "is_holiday", "laid_out")) == flags
    # The supervisor is told what changed, once, with the way to the revision.
    notices = calendar_notices(supervisor.profile)
    assert len(notices) == 1
    assert notices[0].url == f"/roster/{team.slug}/calendar-changes/"
    assert "2027-01 (published, version 1; revise it):" in notices[0].body
    assert "Duty days removed: 01-31" in notices[0].body
    assert "Now holiday shifts: 01-02、01-03." in notices[0].body
    assert calendar_notices(agent.profile) == []
    [(found, impact)] = queries.calendar_impacts(team)
    assert (found, [d.date for d in impact.removed], impact.now_holiday, impact.added) == (
        roster,
        [date(2027, 1, 31)],
        (date(2027, 1, 2), date(2027, 1, 3)),
        (),
    )
    # The same file again: nothing changes and nobody is told twice.
    assert import_notice(manager) is None
    assert len(calendar_notices(supervisor.profile)) == 1


def test_one_click_revision_drops_the_removed_day_and_publishing_it_clears_the_change(team, supervisor, manager):
    roster = published_month(team, supervisor)
    import_notice(manager)
    draft, removed = calendar_services.start_calendar_revision(roster, actor=supervisor.profile)
    assert removed == Assignment.objects.filter(version=roster.published_version, date=date(2027, 1, 31)).count() > 0
    assert not draft.assignments.filter(date=date(2027, 1, 31)).exists()
    # The draft's month no longer has 01-31; the version in force still shows it with its people.
    draft_days, _ = queries.month_data(roster, draft.pk)
    in_force, _ = queries.month_data(roster, roster.published_version_id)
    assert date(2027, 1, 31) not in [d.date for d in draft_days.days]
    assert date(2027, 1, 31) in [d.date for d in in_force.days]
    assert [d.holiday for d in draft_days.days if d.date in (date(2027, 1, 2), date(2027, 1, 3))] == [True, True]
    # R-LAW-1: with 01-31 a working day, Saturday 01-30 is its week's only rest date, so under standard hours whoever
    # is on duty that day has no rest day: the law says so. The team works comprehensive hours from then on.
    assert {(v.code, v.date) for v in services.draft_violations(roster)} == {("no_rest_day", date(2027, 1, 30))}
    TeamRosterSettings.objects.filter(team=team).update(working_time_system="comprehensive")
    roster = queries.roster_for(team, roster.month)
    assert services.draft_violations(roster) == []
    services.publish_roster(
        roster, actor=supervisor.profile, expected_revision=None, reason="2027 年节假日通知：01-31 调休上班"
    )
    assert queries.calendar_impacts(team) == []
    roster.refresh_from_db()
    assert (roster.published_version.number, roster.published_version.provisional_calendar) == (2, False)


def test_a_draft_follows_the_new_calendar_and_its_supervisor_is_told(team, supervisor, manager):
    make_agents(team, 8)
    roster = laid_out_month(team, FEBRUARY)
    fill_draft(roster)
    saturday = date(2027, 2, 20)  # an adjusted working day in the notice
    assert queries.draft_of(roster).assignments.filter(date=saturday).exists()
    import_notice(manager)
    days = [d.date for d in queries.duty_days(team, FEBRUARY)]
    assert (saturday in days, date(2027, 2, 9) in days) == (False, True)  # 02-09 a weekday of the break
    laid = set(queries.month_shifts(roster).values_list("date", flat=True))
    assert (saturday in laid, date(2027, 2, 9) in laid) == (False, True)
    assert not queries.draft_of(roster).assignments.filter(date=saturday).exists()
    [notice] = calendar_notices(supervisor.profile)
    assert "2027-02 (not published; the draft was laid out again):" in notice.body
    assert "Duty days removed: 02-20" in notice.body


def test_a_shift_that_stays_but_changes_pay_class_is_listed(team, supervisor, manager):
    # A team that staffs adjusted working days too: Sunday 01-31 stays a duty day, but its duty is no longer rest-day
    # work (R-LAW-3: a 调休 working day is an ordinary working day).
    TeamRosterSettings.objects.update_or_create(team=team, defaults={"workdays_are_not_duty_days": False})
    roster = published_month(team, supervisor)
    import_notice(manager)
    [(found, impact)] = queries.calendar_impacts(team)
    assert found == roster
    assert impact.removed == ()
    assert [(p.date, p.shift, p.before, p.after) for p in impact.pay] == [
        (date(2027, 1, 31), "夜班", "rest", "workday"),
        (date(2027, 1, 31), "白班", "rest", "workday"),
    ]
    assert "01-31 白班 (1 people): pay class rest day → working day." in calendar_notices(supervisor.profile)[0].body


def test_a_change_no_roster_holds_tells_nobody(team, supervisor, manager):
    published_month(team, supervisor)
    calendar.set_day(year=2027, on=date(2027, 3, 10), kind="holiday", name="", actor=manager.profile)  # a Wednesday
    assert calendar_notices(supervisor.profile) == []


NOVEMBER = date(2026, 11, 1)
SATURDAY = date(2026, 11, 14)


def _statement(team, agent, supervisor):
    shift = duty_shift(team, SATURDAY)
    publish(team, [(agent.profile, shift)], by=supervisor)
    worked(shift, agent.profile)
    now = datetime.combine(date(2026, 12, 2), time(10), tzinfo=timezone.get_default_timezone())
    return compensation.compute_statement(team=team, month=NOVEMBER, now=now)


def test_an_open_statement_is_computed_again_and_the_supervisor_told(team, agent, supervisor, manager):
    statement = _statement(team, agent, supervisor)
    line = statement.lines.get(profile=agent.profile)
    assert (line.rest_day_hours, line.holiday_hours) == (9, 0)
    calendar.set_day(year=2026, on=SATURDAY, kind="holiday", name="公司纪念日", actor=manager.profile)
    line.refresh_from_db()
    assert (line.rest_day_hours, line.holiday_hours, line.overtime_pay_units) == (0, 9, 27)
    notices = {n.dedupe_key.split(":")[2]: n for n in calendar_notices(supervisor.profile)}
    assert "duty hours of 2026-11 were computed again" in notices["statement"].subject
    assert "Now holiday shifts: 11-14." in notices["team"].body  # and the roster's month is a change to revise


def test_a_finalised_statement_gets_a_correction_proposal_never_a_silent_change(team, agent, supervisor, manager):
    statement = _statement(team, agent, supervisor)
    compensation.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 12, 2))
    calendar.set_day(year=2026, on=SATURDAY, kind="holiday", name="公司纪念日", actor=manager.profile)
    versions = list(DutyStatement.objects.filter(team=team, month=NOVEMBER).order_by("version"))
    first, second = versions
    assert (first.status, first.is_current, first.lines.get(profile=agent.profile).rest_day_hours) == (
        "finalised",
        False,
        9,
    )
    assert (second.status, second.is_current, second.reason) == (
        "open",
        True,
        "The holiday calendar of 2026 changed (11-14).",
    )
    assert second.lines.get(profile=agent.profile).holiday_hours == 9
    notices = {n.dedupe_key.split(":")[2]: n for n in calendar_notices(supervisor.profile)}
    assert "check the proposed correction and finalise it" in notices["statement"].subject
