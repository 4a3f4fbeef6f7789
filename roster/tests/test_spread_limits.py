"""roster.spread_limits: lower bounds on the spread and their causes (R-ROSTER-4 against R-ROSTER-5, -8); no
database, no solver. Each month below is small enough to recount by hand."""

from datetime import date, time

from roster.instance import Agent, Assignment, DutyDay, Instance, Settings, Shift
from roster.spread_limits import Limit, spread_limits

DAYS = [date(2026, 12, d) for d in (5, 6, 12, 13)]
DAY = Shift("day", "Day", time(9), time(18))
NIGHT = Shift("night", "Night", time(18), time(0), night=True)


def agent(agent_id: int, **fields) -> Agent:
    return Agent(id=agent_id, name=f"Agent {agent_id}", **fields)


def month(agents, shifts, days=DAYS) -> Instance:
    return Instance("2026-12", tuple(agents), tuple(DutyDay(d, shifts=shifts) for d in days), Settings())


def everything_filled(instance: Instance) -> list[Assignment]:
    """Any roster filling every place: the bounds depend on the places filled, not on who fills them."""
    return [Assignment(1000 + n, d.date, s.key) for d in instance.days for s in d.shifts for n in range(s.headcount)]


def test_even_month_has_bound_0_and_no_cause():
    instance = month([agent(i) for i in range(1, 5)], (DAY,))

    assert spread_limits(instance, everything_filled(instance)) == ({"duty": 0, "night": 0, "holiday": 0}, [])


def test_one_vip_holder_for_a_daily_vip_shift_is_a_skill_cause():
    vip = Shift("vip", "VIP", time(9), time(18), skills=frozenset({"VIP"}))
    instance = month([agent(1, skills=frozenset({"VIP"}))] + [agent(i) for i in range(2, 6)], (vip, NIGHT))

    bounds, causes = spread_limits(instance, everything_filled(instance))

    # 8 places over 5 agents: 1 or 2 each on average, but agent 1 alone covers the 4 VIP places.
    assert bounds["duty"] == 3
    assert Limit("duty", "skill", (1,), 4, 4, 1.6, 3, ("VIP",)) in causes


def test_an_agent_on_leave_all_month_is_a_leave_cause():
    agents = [agent(1, leave=frozenset(DAYS))] + [agent(i) for i in range(2, 5)]
    instance = month(agents, (Shift("day", "Day", time(9), time(18), headcount=2),))

    bounds, causes = spread_limits(instance, everything_filled(instance))

    assert bounds["duty"] == 3  # 8 places over 4 agents, agent 1 at 0: someone else works at least 3
    assert [(c.category, c.cause, c.agents, c.count) for c in causes] == [("duty", "leave", (1,), 0)]


def test_nights_only_some_can_take_are_a_few_capable_cause():
    vip_night = Shift("night", "Night", time(18), time(0), night=True, headcount=2, skills=frozenset({"VIP"}))
    agents = [agent(1, skills=frozenset({"VIP"})), agent(2, skills=frozenset({"VIP"}))] + [
        agent(i) for i in range(3, 7)
    ]
    instance = month(agents, (Shift("day", "Day", time(9), time(18), headcount=1), vip_night))

    bounds, causes = spread_limits(instance, everything_filled(instance))

    # 8 nights, 2 VIP holders: 4 each, the 4 others none.
    assert bounds["night"] == 4
    assert {(c.cause, c.agents, c.places, c.count) for c in causes if c.category == "night"} == {
        ("skill", (1, 2), 8, 4),
        ("few_capable", (1, 2), 8, 4),
    }


def test_bounds_count_only_the_places_filled():
    vip = Shift("vip", "VIP", time(9), time(18), skills=frozenset({"VIP"}))
    instance = month([agent(1, skills=frozenset({"VIP"})), agent(2)], (vip,))

    # Nothing filled yet: nothing forces anything.
    assert spread_limits(instance, []) == ({"duty": 0, "night": 0, "holiday": 0}, [])
