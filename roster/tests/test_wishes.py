"""The wish window (issue 26): its rules on plain data, generation with wishes, and the services and reminders on
the real database."""

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from dutydesk.notifications.models import NoticeKind, Notification
from dutydesk.testing import errors_of, run_together
from roster import queries, solver, team_services
from roster import wishes as wish_rules
from roster.instance import Agent, Assignment, DutyDay, Instance, Settings, Shift, Wishes
from roster.models import Availability, AvailabilityKind, ShiftWish
from roster.services import RosterError
from roster.wish_reminders import schedule_wish_reminders
from testdata import MONTH, WEEKENDS, laid_out_month

DAY = Shift("day", "白班", time(9), time(18), headcount=1)
NIGHT = Shift("night", "夜班", time(18), time(0), night=True, headcount=1)


def _instance(agents, days=WEEKENDS[:4], *, weight=3, shifts=(DAY, NIGHT)):
    return Instance(
        month="2027-03",
        agents=tuple(agents),
        days=tuple(DutyDay(d, shifts=tuple(shifts)) for d in days),
        settings=Settings(time_limit_s=5, workers=1, wish_weight=weight),
    )


# --- rules ---------------------------------------------------------------------------------------------------------


def test_wish_window_is_in_the_month_before():
    assert wish_rules.wish_window(date(2027, 1, 1), opens_day=1, closes_day=15) == (
        date(2026, 12, 1),
        date(2026, 12, 15),
    )
    states = [
        wish_rules.window_state(date(2027, 3, 1), day, opens_day=5, closes_day=20)
        for day in (date(2027, 2, 4), date(2027, 2, 5), date(2027, 2, 20), date(2027, 2, 21))
    ]
    assert states == ["early", "open", "open", "closed"]


def test_wish_window_day_past_the_month_end_is_its_last_day():
    assert wish_rules.wish_window(date(2027, 3, 1), opens_day=30, closes_day=31) == (
        date(2027, 2, 28),
        date(2027, 2, 28),
    )


def test_priority_grows_with_refusals_up_to_a_cap():
    assert [wish_rules.priority(n) for n in (0, 1, 2, 3, 9)] == [1, 2, 3, 4, 4]


def test_outcomes_granted_crowded_and_balance():
    a = Agent(1, "甲", wishes=Wishes(days_off=frozenset({WEEKENDS[0], WEEKENDS[1]})))
    b = Agent(2, "乙", wishes=Wishes(days_off=frozenset({WEEKENDS[0]})))
    c = Agent(3, "丙")
    instance = _instance([a, b, c], days=WEEKENDS[:2])
    # Day 0 needs two; only 丙 had not wished it off: one of the two wishes must go (甲 works). Day 1: 乙 and 丙
    # were free, yet 甲 works it (an uneven month otherwise).
    roster = [
        Assignment(1, WEEKENDS[0], "day"),
        Assignment(3, WEEKENDS[0], "night"),
        Assignment(1, WEEKENDS[1], "day"),
        Assignment(2, WEEKENDS[1], "night"),
    ]
    outcomes = wish_rules.wish_outcomes(instance, roster)
    assert [(o.agent, o.date, o.granted, o.reason) for o in outcomes] == [
        (1, WEEKENDS[0], False, "crowded"),
        (2, WEEKENDS[0], True, "granted"),
        (1, WEEKENDS[1], False, "balance"),
    ]
    assert outcomes[0].params == {"needed": 2, "free": 1, "wished": 2, "granted": 1}
    assert wish_rules.granted_counts(outcomes) == {1: (0, 2), 2: (1, 1)}


# --- generation --------------------------------------------------------------------------------------------------------


def _worked(result, agent_id):
    return {a.date for a in result.assignments if a.agent == agent_id}


def test_generation_grants_a_wish_the_month_can_spare():
    agents = [Agent(i, f"客服{i}") for i in range(1, 5)]
    agents[0] = replace(agents[0], wishes=Wishes(days_off=frozenset({WEEKENDS[1]})))
    result = solver.solve(_instance(agents))
    assert result.violations == []
    assert WEEKENDS[1] not in _worked(result, 1)
    assert (result.score["wishes_off_granted"], result.score["wishes_off_total"]) == (1, 1)
    assert result.score["duty_spread"] <= 1


def test_generation_refused_last_month_comes_first():
    # Day 0 needs 2 of 3; 甲 and 乙 both wish it off: one must work. 乙 was refused last month (priority 2).
    a = Agent(1, "甲", wishes=Wishes(days_off=frozenset({WEEKENDS[0]})))
    b = Agent(2, "乙", wishes=Wishes(days_off=frozenset({WEEKENDS[0]}), priority=2))
    c = Agent(3, "丙")
    result = solver.solve(_instance([a, b, c], days=WEEKENDS[:3]))
    assert result.violations == []
    assert WEEKENDS[0] in _worked(result, 1) and WEEKENDS[0] not in _worked(result, 2)


def test_generation_wish_never_costs_coverage_or_this_months_spread():
    # Two agents, two shifts a day: everyone works every day, whatever they wish.
    agents = [Agent(1, "甲", wishes=Wishes(days_off=frozenset(WEEKENDS[:2]))), Agent(2, "乙")]
    result = solver.solve(_instance(agents, weight=10))
    assert result.score["uncovered"] == 0 and result.score["wishes_off_granted"] == 0


def test_generation_weight_zero_ignores_wishes_in_the_objective():
    agents = [Agent(i, f"客服{i}") for i in range(1, 5)]
    agents[0] = replace(agents[0], wishes=Wishes(days_off=frozenset({WEEKENDS[1]})))
    from roster.solver_model import wish_costs

    assert wish_costs(_instance(agents, weight=0), agents[0]) == (0, 0)


def test_generation_avoided_shift_kind_is_avoided_where_the_balance_allows():
    # Four nights for five agents: someone has none whatever happens, so it may as well be the one who asked.
    agents = [Agent(i, f"客服{i}") for i in range(1, 6)]
    agents[0] = replace(agents[0], wishes=Wishes(avoid_shifts=frozenset({"night"})))
    result = solver.solve(_instance(agents))
    assert not any(a.agent == 1 and a.shift == "night" for a in result.assignments)


def test_instance_json_keeps_wishes():
    agent = Agent(1, "甲", wishes=Wishes(frozenset({WEEKENDS[0]}), frozenset({"day"}), frozenset({"night"}), 3))
    instance = _instance([agent, Agent(2, "乙")], weight=7)
    again = Instance.from_json(instance.to_json())
    assert again.agents[0].wishes == agent.wishes and again.settings.wish_weight == 7
    assert "wishes" not in instance.to_json()["agents"][1]


# --- services --------------------------------------------------------------------------------------------------------

OPEN = date(2027, 2, 10)  # MONTH's window: 2027-02-01 to 02-15 by default


@pytest.mark.django_db
def test_wished_days_off_at_most_n_and_only_in_the_window(team, agent):
    laid_out_month(team, MONTH)
    profile = agent.profile
    wish = (AvailabilityKind.WISH_OFF, "")
    team_services.set_availability(profile, MONTH, {WEEKENDS[0]: wish, WEEKENDS[1]: wish}, today=OPEN)
    with pytest.raises(RosterError):
        team_services.set_availability(profile, MONTH, {WEEKENDS[2]: wish}, today=OPEN)
    with pytest.raises(RosterError):
        team_services.set_availability(profile, MONTH, {WEEKENDS[0]: ("", "")}, today=date(2027, 2, 16))
    assert sorted(Availability.objects.filter(profile=profile).values_list("date", flat=True)) == WEEKENDS[:2]
    # After the window, other availability still changes, and the wishes stay.
    team_services.set_availability(
        profile,
        MONTH,
        {WEEKENDS[0]: wish, WEEKENDS[1]: wish, WEEKENDS[3]: (AvailabilityKind.UNAVAILABLE, "")},
        today=date(2027, 2, 16),
    )
    assert Availability.objects.filter(profile=profile, kind=AvailabilityKind.WISH_OFF).count() == 2


@pytest.mark.django_db
def test_shift_wishes_saved_and_reach_the_solver_instance(team, agent):
    roster = laid_out_month(team, MONTH)
    night = roster.team.shift_types.get(key="night")
    team_services.set_availability(
        agent.profile,
        MONTH,
        {WEEKENDS[0]: (AvailabilityKind.WISH_OFF, "")},
        today=OPEN,
        shift_wishes={night.id: "avoid"},
    )
    assert ShiftWish.objects.get(profile=agent.profile).kind == "avoid"
    plain = next(a for a in queries.solver_instance(roster).agents if a.id == agent.profile.id)
    assert plain.wishes == Wishes(days_off=frozenset({WEEKENDS[0]}), avoid_shifts=frozenset({"night"}), priority=1)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_at_once_keep_the_limit(team, agent):
    laid_out_month(team, MONTH)
    profile = agent.profile
    wish = (AvailabilityKind.WISH_OFF, "")
    team_services.set_availability(profile, MONTH, {WEEKENDS[0]: wish}, today=OPEN)

    def mark(day):
        return lambda: team_services.set_availability(profile, MONTH, {day: wish}, today=OPEN)

    outcomes = run_together(mark(WEEKENDS[1]), mark(WEEKENDS[2]))
    assert len(errors_of(outcomes)) == 1
    assert Availability.objects.filter(profile=profile, kind=AvailabilityKind.WISH_OFF).count() == 2


@pytest.mark.django_db
def test_reminder_before_the_window_closes_once_and_only_to_those_without_wishes(team, agent, lead):
    laid_out_month(team, MONTH)
    queries.settings_for(team)  # MONTH's window: 2027-02-01 to 02-15
    team_services.set_availability(lead.profile, MONTH, {WEEKENDS[0]: (AvailabilityKind.WISH_OFF, "")}, today=OPEN)
    zone = timezone.get_default_timezone()
    assert schedule_wish_reminders(datetime(2027, 2, 12, 10, tzinfo=zone)) == 0  # three days before: not yet
    assert schedule_wish_reminders(datetime(2027, 2, 13, 8, tzinfo=zone)) == 0  # before 09:00
    first = schedule_wish_reminders(datetime(2027, 2, 13, 10, tzinfo=zone))
    again = schedule_wish_reminders(datetime(2027, 2, 13, 10, 1, tzinfo=zone))
    recipients = set(Notification.objects.filter(kind=NoticeKind.WISH_REMINDER).values_list("recipient", flat=True))
    assert (first, again, recipients) == (1, 0, {agent.profile.pk})
    assert schedule_wish_reminders(datetime(2027, 2, 16, 10, tzinfo=zone)) == 0  # closed
