"""What the roster does with leavers and qualification: drafts (the generator), the grid, swaps and substitutes
follow the leaving date and the month a pass counts from (R-ROSTER-6, R-ROSTER-8)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dutydesk import months
from dutydesk.models import Qualification, Role
from leave import coverage as leave_queries
from leave import rules as leave_rules
from people.services import PeopleError, members, qualification
from people.tests.factories import new_hire, shadow_history
from roster import queries, services
from roster.models import AssignmentRole
from roster.services import CellChange, RosterError
from testdata import MONTH, WEEKENDS, duty_shift, laid_out_month, make_agents, make_person, past_weekend_days, publish

pytestmark = pytest.mark.django_db


def _held(version, profile) -> list[date]:
    return sorted(version.assignments.filter(profile=profile).values_list("date", flat=True))


def test_leaver_is_not_offered_for_a_draft_after_the_date(team, supervisor, lead):
    agents = make_agents(team, 5)
    leaver = agents[0].profile
    members.mark_left(leaver, actor=supervisor.profile, left_on=WEEKENDS[4], today=MONTH - timedelta(days=20))
    roster = laid_out_month(team)
    instance = queries.solver_instance(roster)
    agent = instance.agents_by_id[leaver.pk]
    assert sorted(agent.unavailable) == WEEKENDS[4:]
    draft = services.generate_draft(roster, actor=supervisor.profile)
    assert all(day < WEEKENDS[4] for day in _held(draft, leaver))
    assert services.draft_violations(roster) == []


def test_leaver_who_left_before_the_month_is_not_in_its_roster(team, supervisor, lead):
    agents = make_agents(team, 4)
    members.mark_left(
        agents[0].profile, actor=supervisor.profile, left_on=MONTH - timedelta(days=3), today=MONTH - timedelta(days=20)
    )
    roster = laid_out_month(team)
    assert agents[0].profile.pk not in queries.solver_instance(roster).agents_by_id
    assert agents[0].profile not in queries.duty_staff(team, on=MONTH)
    assert agents[0].profile in queries.duty_staff(team, on=MONTH - timedelta(days=4))


def test_leaver_shifts_in_a_published_roster_are_flagged_and_a_revision_moves_them(team, supervisor, lead):
    agents = make_agents(team, 4)
    leaver = agents[0].profile
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    version = services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    held = _held(version, leaver)
    left_on = held[len(held) // 2]
    flagged = members.mark_left(leaver, actor=supervisor.profile, left_on=left_on, today=MONTH - timedelta(days=20))
    assert [a.date for a in flagged] == [d for d in held if d >= left_on]
    assert [a.date for a in queries.leaver_shifts(version)] == [a.date for a in flagged]
    # The grid shows the problem; a revision may take the shift off the leaver, never give them another.
    services.start_revision(roster, actor=supervisor.profile)
    problems = services.draft_violations(roster)
    assert {(v.agent, v.date) for v in problems} >= {(leaver.pk, a.date) for a in flagged}
    roster.refresh_from_db()
    for a in flagged:
        services.set_cell(
            roster,
            CellChange(leaver.pk, a.date, None),
            actor=supervisor.profile,
            expected_revision=roster.draft_revision,
        )
        roster.refresh_from_db()
    free_day = flagged[0].date  # taken off her above: putting her back on it is refused
    with pytest.raises(RosterError):
        services.set_cell(
            roster,
            CellChange(leaver.pk, free_day, "day"),
            actor=supervisor.profile,
            expected_revision=roster.draft_revision,
        )


def test_swaps_and_substitutes_never_offer_a_leaver_after_the_date(team, supervisor, lead):
    agents = [a.profile for a in make_agents(team, 3)]
    today = timezone.localdate()
    day = today + timedelta(days=10)
    later = today + timedelta(days=11)
    shift, other = duty_shift(team, day), duty_shift(team, later, "night")
    publish(
        team,
        [(agents[0], shift, AssignmentRole.MEMBER), (agents[1], other, AssignmentRole.MEMBER)],
        by=supervisor,
        keep=True,
    )
    members.mark_left(agents[2], actor=supervisor.profile, left_on=day, today=today)
    options = leave_queries.swap_options(agents[0], shift)
    assert agents[2].pk not in [o.colleague.pk for o in options.offered]
    state = leave_queries.Months().get(team.pk, day)
    suggestions = leave_rules.substitute_suggestions(
        state.instance, state.assignments, leaver_id=agents[0].pk, day=day, shift_key="day"
    )
    assert agents[2].pk not in [s.agent_id for s in suggestions]
    # Gone altogether once the date has passed.
    members.close_left_accounts(today=day)
    assert agents[2] not in queries.duty_staff(team, on=day)


def test_a_pass_counts_from_the_next_roster_and_the_generator_rosters_her_alone(team, supervisor, lead):
    make_agents(team, 3)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days, by=supervisor)
    check = qualification.record_check(
        profile=hire, actor=lead.profile, result="passed", day=days[-1], examiner=lead.profile
    )
    coming = months.next_month(timezone.localdate())
    assert check.qualified_from == coming
    hire.refresh_from_db()
    assert (hire.qualification, hire.qualified_on) == (Qualification.QUALIFIED, coming)
    this_month = timezone.localdate().replace(day=1)
    assert not queries.solver_instance(laid_out_month(team, this_month)).agents_by_id[hire.pk].qualified
    roster = laid_out_month(team, coming)
    instance = queries.solver_instance(roster)
    assert instance.agents_by_id[hire.pk].qualified and instance.agents_by_id[hire.pk].shadow_shifts_needed == 0
    draft = services.generate_draft(roster, actor=supervisor.profile)
    roles = set(draft.assignments.filter(profile=hire).values_list("role", flat=True))
    assert roles and AssignmentRole.SHADOW not in roles


def test_a_fail_plans_more_shadow_shifts(team, supervisor, lead):
    make_agents(team, 3)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days, by=supervisor)
    coming = months.next_month(timezone.localdate())
    roster = laid_out_month(team, coming)
    assert queries.solver_instance(roster).agents_by_id[hire.pk].shadow_shifts_needed == 0
    qualification.record_check(
        profile=hire, actor=lead.profile, result="failed", day=days[-1], examiner=lead.profile, note="退款流程不熟"
    )
    assert queries.solver_instance(roster).agents_by_id[hire.pk].shadow_shifts_needed == 2
    draft = services.generate_draft(roster, actor=supervisor.profile)
    assert draft.assignments.filter(profile=hire, role=AssignmentRole.SHADOW).count() == 2


def test_the_supervisor_counts_a_pass_in_the_current_draft(team, supervisor, lead):
    make_agents(team, 3)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days, by=supervisor)
    coming = months.next_month(timezone.localdate())
    roster = laid_out_month(team, coming)
    services.generate_draft(roster, actor=supervisor.profile)  # the draft of next month exists already
    check = qualification.record_check(
        profile=hire, actor=lead.profile, result="passed", day=days[-1], examiner=lead.profile
    )
    after = months.add_months(coming, 1)
    assert check.qualified_from == after
    assert not queries.solver_instance(roster).agents_by_id[hire.pk].qualified
    with pytest.raises(PeopleError, match="只有主管可以让考核通过计入排班草稿"):  # people.permissions (issue #28)
        qualification.count_in_draft(check, actor=lead.profile)
    assert not queries.solver_instance(roster).agents_by_id[hire.pk].qualified
    assert qualification.count_in_draft(check, actor=supervisor.profile) == coming
    assert queries.solver_instance(roster).agents_by_id[hire.pk].qualified
    with pytest.raises(PeopleError):
        qualification.count_in_draft(check, actor=supervisor.profile)
