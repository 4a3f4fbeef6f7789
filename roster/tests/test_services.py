"""Roster services beyond the solver: scheduled publishing (with a real Celery worker), settings, availability,
the calendar feed."""

from datetime import date, timedelta
from datetime import time as clock

import pytest
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.months import next_month
from dutydesk.notifications.models import NoticeKind, Notification
from dutydesk.testing import celery_worker, wait_until
from roster import queries, services, team_services
from roster.models import (
    Availability,
    DutyShift,
    GenerationRun,
    Roster,
    RosterVersion,
    ShiftType,
    TeamRosterSettings,
)
from roster.services import RosterError
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents, make_person, make_shift_types, publish


def _due_today(team, *, time_limit: int = 2):
    """Settings under which next month's publish deadline is today (no clock faking needed)."""
    today = timezone.localdate()
    settings = queries.settings_for(team)
    settings.publish_days_ahead = (next_month(today) - today).days
    settings.preset_promotion_days = False
    settings.solver_time_limit_s = time_limit
    settings.save()
    return next_month(today)


@pytest.fixture
def worker(transactional_db):
    with celery_worker() as app:
        yield app


@pytest.mark.django_db(transaction=True)
def test_beat_job_on_a_real_worker_run_twice_publishes_once(worker, team, agent, lead, supervisor):
    from celery.worker import state

    from roster.tasks import task_publish_due_rosters

    month = _due_today(team)
    make_shift_types(team)
    make_agents(team, 3)
    done_before = state.total_count.get(task_publish_due_rosters.name, 0)
    task_publish_due_rosters.delay()
    task_publish_due_rosters.delay()
    # The worker runs in this process: its own count of finished tasks says when both runs are over.
    wait_until(
        lambda: state.total_count.get(task_publish_due_rosters.name, 0) == done_before + 2,
        timeout=60,
        what="both scheduled runs",
    )
    roster = queries.roster_for(team, month)
    assert list(roster.versions.values_list("number", "kind")) == [(1, "publication")]
    assert Notification.objects.filter(kind=NoticeKind.ROSTER_PUBLISHED).count() == team.members.count()


@pytest.mark.django_db(transaction=True)
def test_generate_button_runs_on_a_real_worker_and_reports_progress(worker, team, agent, lead, supervisor):
    make_agents(team, 3)
    roster = laid_out_month(team)
    run = services.start_generation(roster, actor=supervisor.profile)
    wait_until(lambda: type(run).objects.get(pk=run.pk).status == "done", timeout=60, what="generation")
    run.refresh_from_db()
    draft = queries.draft_of(roster)
    assert (
        run.result["status"] in ("optimal", "feasible"),
        run.progress["solutions"] >= 1,
        draft.assignments.count() > 0,
    ) == (True, True, True)
    assert services.draft_violations(roster) == []


@pytest.mark.django_db
def test_beat_job_blocked_month_tells_the_supervisors_and_publishes_nothing(team, agent, supervisor, overseer):
    month = _due_today(team)
    make_shift_types(team, day_headcount=3)  # 2 duty staff cannot cover a shift of 3
    outcomes = services.publish_due_rosters(timezone.localdate())
    roster = queries.roster_for(team, month)
    assert outcomes[team.slug].startswith("blocked: ")
    assert roster.published_version_id is None
    notices = Notification.objects.filter(kind=NoticeKind.ROSTER_BLOCKED)
    assert sorted(n.recipient.user.username for n in notices) == ["overseer", "supervisor"]
    assert "03" not in notices[0].subject and "未能发布" in notices[0].subject


@pytest.mark.django_db
def test_beat_job_month_without_agents_is_blocked_with_the_reason(team, supervisor):
    _due_today(team)
    make_shift_types(team)
    outcomes = services.publish_due_rosters(timezone.localdate())
    assert outcomes == {team.slug: "blocked: 本组没有可排班的客服。"}


@pytest.mark.django_db
def test_beat_job_on_another_day_does_nothing(team, agent, supervisor):
    _due_today(team)
    make_shift_types(team)
    # Yesterday, not a fixed date: a fixed date is some month's deadline under the settings _due_today makes.
    assert services.publish_due_rosters(timezone.localdate() - timedelta(days=1)) == {}
    assert RosterVersion.objects.count() == 0


@pytest.mark.django_db
def test_set_availability_after_deadline_is_refused(team, agent):
    with pytest.raises(RosterError) as refusal:
        team_services.set_availability(agent.profile, MONTH, {WEEKENDS[0]: ("unavailable", "")}, today=date(2027, 3, 1))
    assert str(refusal.value) == "2027-03 的可用时间申报已于 2027-02-19 截止；如需更改请联系主管。"
    assert Availability.objects.count() == 0


@pytest.mark.django_db
def test_set_availability_replaces_earlier_wishes(team, agent):
    team_services.set_availability(agent.profile, MONTH, {WEEKENDS[0]: ("unavailable", "体检")}, today=date(2027, 1, 1))
    count = team_services.set_availability(
        agent.profile, MONTH, {WEEKENDS[0]: ("", ""), WEEKENDS[1]: ("preferred", "")}, today=date(2027, 1, 1)
    )
    assert (count, list(Availability.objects.values_list("date", "kind"))) == (1, [(WEEKENDS[1], "preferred")])


@pytest.mark.django_db
def test_remove_shift_type_in_a_published_roster_only_deactivates(team, agent, supervisor):
    make_agents(team, 4)  # 4 places a weekend, one day of it each (R-LAW-1)
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    night = ShiftType.objects.get(team=team, key="night")
    assert team_services.remove_shift_type(night, actor=supervisor.profile) is False
    night.refresh_from_db()
    assert (night.active, DutyShift.objects.filter(shift_type=night).count()) == (False, len(WEEKENDS))
    assert queries.kept_shifts(roster) == [{"name": "夜班", "dates": [f"{d:%m-%d}" for d in WEEKENDS]}]
    # The draft page reads all of it with the roster row, written out in SQL (issue 22 item 8): what the ORM reads.
    services.start_revision(roster, actor=supervisor.profile)
    read = queries.roster_with_draft(team, MONTH)
    stored = Roster.objects.select_related("published_version").get(pk=roster.pk)
    assert queries.kept_shifts(read) == queries.kept_shifts(stored)
    assert read.draft_id == stored.versions.get(published_at__isnull=True).pk
    assert read.latest_run == GenerationRun.objects.filter(roster=roster).order_by("-created_at").first()
    assert [getattr(read.published_version, f.attname) for f in RosterVersion._meta.concrete_fields] == [
        getattr(stored.published_version, f.attname) for f in RosterVersion._meta.concrete_fields
    ]
    assert [getattr(read, f.attname) for f in Roster._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in Roster._meta.concrete_fields
    ]
    assert read.team is team and team.roster_settings == TeamRosterSettings.objects.get(team=team)
    assert queries.roster_with_draft(team, date(2031, 1, 1)) is None


@pytest.mark.django_db
def test_remove_shift_type_used_only_by_a_draft_takes_it_out_of_the_draft(team, agent, supervisor):
    # The walk of issue 10: a shift removed in the team settings stayed in the draft and made it infeasible.
    make_agents(team, 4)
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    night = ShiftType.objects.get(team=team, key="night")
    revision = Roster.objects.get(pk=roster.pk).draft_revision

    assert team_services.remove_shift_type(night, actor=supervisor.profile) is True

    draft = queries.draft_of(roster)
    assert not ShiftType.objects.filter(pk=night.pk).exists()
    assert not draft.assignments.filter(duty_shift__shift_type__key="night").exists()
    assert services.draft_violations(roster) == []
    assert Roster.objects.get(pk=roster.pk).draft_revision > revision  # an open page is now stale


@pytest.mark.django_db
def test_remove_unused_shift_type_deletes_it_and_its_duty_shifts(team, supervisor):
    laid_out_month(team)
    day = ShiftType.objects.get(team=team, key="day")
    assert team_services.remove_shift_type(day, actor=supervisor.profile) is True
    assert set(DutyShift.objects.values_list("shift_type__key", flat=True)) == {"night"}


@pytest.mark.django_db
def test_new_shift_type_is_laid_out_in_open_months_only(team, supervisor, agent):
    roster = laid_out_month(team)
    team_services.save_shift_type(
        team,
        actor=supervisor.profile,
        shift_type=None,
        skills=[],
        values={"key": "late", "name": "晚班", "start": clock(14), "end": clock(22), "headcount": 1},
    )
    assert queries.month_shifts(roster).filter(shift_type__key="late").count() == len(WEEKENDS)


@pytest.mark.django_db
def test_reset_calendar_feed_changes_the_token(agent):
    old = team_services.calendar_feed_for(agent.profile).token
    new = team_services.reset_calendar_feed(agent.profile).token
    assert (old != new, team_services.calendar_feed_for(agent.profile).token) == (True, new)


@pytest.mark.django_db
def test_set_cell_in_published_roster_without_revision_is_refused(team, agent, supervisor):
    make_agents(team, 3)
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    roster.refresh_from_db()
    with pytest.raises(RosterError) as refusal:
        services.set_cell(
            roster,
            services.CellChange(agent.profile.id, WEEKENDS[0], None),
            actor=supervisor.profile,
            expected_revision=roster.draft_revision,
        )
    assert str(refusal.value) == "这份排班表已发布。如需更改，请发起修订并说明理由。"


def test_only_the_teams_duty_staff_confirm_a_roster(team, other_team, agent, supervisor):
    # The month page shows the button by roster.permissions.can_confirm; the service asks the same predicate.
    other_agent = make_person(Role.AGENT, other_team, username="south-agent").profile
    roster = laid_out_month(team)
    first = queries.month_shifts(roster)[0]
    version = publish(team, [(agent, first)], by=supervisor)
    for refused in (other_agent, supervisor.profile):
        with pytest.raises(RosterError, match="没有需要你确认的已发布排班表"):
            services.acknowledge_roster(version, profile=refused)
    assert services.acknowledge_roster(version, profile=agent.profile) is True
    assert list(version.acknowledgements.values_list("profile_id", flat=True)) == [agent.profile.pk]
