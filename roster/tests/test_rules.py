"""roster.rules: one tiny month per violation code, asserted as whole lists; no database, no solver."""

from datetime import date, time

from roster.instance import Agent, Assignment, DutyDay, History, Instance, Settings, Shift, Violation
from roster.rules import (
    Spread,
    Totals,
    agent_totals,
    check_roster,
    edit_refusal,
    roster_warnings,
    shift_coverage,
    spreads,
)

SAT, SUN, SAT2, SUN2 = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 12), date(2026, 12, 13)
DAY = Shift("day", "Day", time(9), time(18))
EVENING = Shift("evening", "Evening", time(14), time(22))
NIGHT = Shift("night", "Night", time(18), time(0), night=True)


def agent(agent_id: int, **fields) -> Agent:
    fields.setdefault("name", f"Agent {agent_id}")
    return Agent(id=agent_id, **fields)


def month(agents: list[Agent], days: list[DutyDay], **settings) -> Instance:
    return Instance("2026-12", tuple(agents), tuple(days), Settings(**settings))


def one_day(*shifts: Shift, on: date = SAT, **flags) -> DutyDay:
    return DutyDay(on, shifts=shifts, **flags)


def put(agent_id: int, shift: str = "day", on: date = SAT, role: str = "member") -> Assignment:
    return Assignment(agent_id, on, shift, role)


# --- R-ROSTER-5 coverage and skills ------------------------------------------------------------------------------


def test_check_roster_full_coverage_has_no_violations():
    instance = month([agent(1), agent(2)], [one_day(DAY, NIGHT)])

    assert check_roster(instance, [put(1, "day"), put(2, "night")]) == []


def test_check_roster_under_headcount_with_free_agent_says_not_filled():
    instance = month([agent(1), agent(2)], [one_day(Shift("day", "Day", time(9), time(18), headcount=2))])

    assert check_roster(instance, [put(1)]) == [
        Violation(
            "R-ROSTER-5",
            "under_headcount",
            "2026-12-05 Day has 1 of 2 agents (1 short): 1 eligible agent not assigned",
            date=SAT,
            shift="day",
            params={
                "counted": 1,
                "headcount": 2,
                "short": 1,
                "free": 2,
                "reason": "not_filled",
                "elsewhere": 0,
                "nights": 0,
                "addable": 1,
            },
        )
    ]


def test_check_roster_under_headcount_when_everyone_is_elsewhere_says_blocked():
    instance = month([agent(1)], [one_day(DAY, NIGHT)])

    assert check_roster(instance, [put(1, "night")]) == [
        Violation(
            "R-ROSTER-5",
            "under_headcount",
            "2026-12-05 Day has 0 of 1 agents (1 short): agents needed elsewhere (1) or at the consecutive-night "
            "limit (0)",
            date=SAT,
            shift="day",
            params={
                "counted": 0,
                "headcount": 1,
                "short": 1,
                "free": 1,
                "reason": "blocked",
                "elsewhere": 1,
                "nights": 0,
                "addable": 0,
            },
        )
    ]


def test_shortfall_counts_last_nights_holder_as_elsewhere_and_a_shift_two_days_off_as_no_obstacle():
    # R-ROSTER-8 in the explanation: Saturday's night runs into Sunday's early shift; Friday's does not reach it.
    late = Shift("late", "Late", time(22), time(6), night=True)
    early = Shift("early", "Early", time(5), time(9))
    friday = date(2026, 12, 4)
    days = [one_day(late, on=friday), one_day(late, on=SAT), one_day(early, on=SUN)]
    instance = month([agent(1), agent(2), agent(3)], days)
    roster = [put(1, "late", SAT), put(2, "late", friday)]

    (sunday,) = [v for v in check_roster(instance, roster) if v.date == SUN and v.code == "under_headcount"]
    assert (sunday.params["elsewhere"], sunday.params["addable"]) == (1, 2)


def test_check_roster_under_headcount_with_too_few_free_agents_says_so():
    instance = month([agent(1, leave=frozenset({SAT}))], [one_day(DAY)])

    assert check_roster(instance, []) == [
        Violation(
            "R-ROSTER-5",
            "under_headcount",
            "2026-12-05 Day has 0 of 1 agents (1 short): only 0 qualified agents free",
            date=SAT,
            shift="day",
            params={
                "counted": 0,
                "headcount": 1,
                "short": 1,
                "free": 0,
                "reason": "too_few_free",
                "elsewhere": 0,
                "nights": 0,
                "addable": 0,
            },
        )
    ]


def test_check_roster_over_headcount_is_a_warning_not_a_violation():
    # R-ROSTER-5: the headcount is the minimum; an extra person on a busy night is allowed after a look.
    instance = month([agent(1), agent(2)], [one_day(DAY)])

    assert check_roster(instance, [put(1), put(2)]) == []
    assert roster_warnings(instance, [put(1), put(2)]) == [
        Violation(
            "R-ROSTER-5",
            "over_headcount",
            "2026-12-05 Day has 2 agents, 1 needed (1 extra)",
            date=SAT,
            shift="day",
            params={"counted": 2, "headcount": 1, "extra": 1},
        )
    ]


def test_roster_warnings_exact_headcount_is_quiet():
    instance = month([agent(1), agent(2)], [one_day(DAY)])

    assert roster_warnings(instance, [put(1)]) == []


def test_check_roster_missing_skill_names_the_skill():
    vip = Shift("night", "Night", time(18), time(0), night=True, skills=frozenset({"VIP", "refunds"}))
    instance = month([agent(1, skills=frozenset({"refunds"}))], [one_day(vip)])

    assert check_roster(instance, [put(1, "night")]) == [
        Violation(
            "R-ROSTER-5",
            "missing_skill",
            "2026-12-05 Night: Agent 1 lacks skill VIP",
            date=SAT,
            shift="night",
            agent=1,
            params={"missing": ["VIP"], "required": ["VIP", "refunds"]},
        )
    ]


def test_check_roster_skill_shortage_counts_free_qualified_holders():
    vip = Shift("night", "Night", time(18), time(0), night=True, headcount=2, skills=frozenset({"VIP"}))
    agents = [
        agent(1, skills=frozenset({"VIP"})),
        agent(2, skills=frozenset({"VIP"}), leave=frozenset({SUN})),
        agent(3, skills=frozenset({"VIP"}), qualified=False),
        agent(4),
    ]
    instance = month(agents, [one_day(vip, on=SUN)])

    assert check_roster(instance, [put(1, "night", SUN)]) == [
        Violation(
            "R-ROSTER-5",
            "skill_shortage",
            "2026-12-06 Night needs skill VIP: 1 qualified agent available, 2 needed",
            date=SUN,
            shift="night",
            params={"skill": "VIP", "skills": ["VIP"], "available": 1, "needed": 2, "counted": 1},
        )
    ]


def test_check_roster_skill_shortage_of_a_combination_names_all_skills():
    both = Shift("day", "Day", time(9), time(18), skills=frozenset({"VIP", "refunds"}))
    instance = month([agent(1, skills=frozenset({"VIP"})), agent(2, skills=frozenset({"refunds"}))], [one_day(both)])

    assert check_roster(instance, []) == [
        Violation(
            "R-ROSTER-5",
            "skill_shortage",
            "2026-12-05 Day needs skill VIP + refunds: 0 qualified agents available, 1 needed",
            date=SAT,
            shift="day",
            params={"skill": "VIP + refunds", "skills": ["VIP", "refunds"], "available": 0, "needed": 1, "counted": 0},
        )
    ]


# --- R-ROSTER-6 new hires ----------------------------------------------------------------------------------------


def test_check_roster_shadow_without_qualified_agent_is_shadow_alone():
    instance = month([agent(1, qualified=False)], [one_day(Shift("day", "Day", time(9), time(18), headcount=0))])

    assert check_roster(instance, [put(1, role="shadow")]) == [
        Violation(
            "R-ROSTER-6",
            "shadow_alone",
            "2026-12-05 Day: a shadow needs a qualified agent on the shift",
            date=SAT,
            shift="day",
            params={"shadows": 1},
        )
    ]


def test_check_roster_new_hire_counted_is_unqualified_alone():
    instance = month([agent(1, qualified=False)], [one_day(DAY)])

    assert check_roster(instance, [put(1)]) == [
        Violation(
            "R-ROSTER-6",
            "unqualified_alone",
            "2026-12-05 Day: Agent 1 is not qualified yet and may only shadow",
            date=SAT,
            shift="day",
            agent=1,
            params={"role": "member"},
        )
    ]


def test_check_roster_qualified_agent_as_shadow_is_reported():
    instance = month([agent(1), agent(2)], [one_day(DAY)])

    assert check_roster(instance, [put(1), put(2, role="shadow")]) == [
        Violation(
            "R-ROSTER-6",
            "qualified_as_shadow",
            "2026-12-05 Day: Agent 2 is qualified and should not shadow",
            date=SAT,
            shift="day",
            agent=2,
        )
    ]


def test_check_roster_two_shadows_on_one_shift_is_too_many():
    instance = month([agent(1), agent(2, qualified=False), agent(3, qualified=False)], [one_day(DAY)])

    assert check_roster(instance, [put(1), put(2, role="shadow"), put(3, role="shadow")]) == [
        Violation(
            "R-ROSTER-6",
            "too_many_shadows",
            "2026-12-05 Day has 2 shadows, at most 1",
            date=SAT,
            shift="day",
            params={"shadows": 2, "max": 1},
        )
    ]


# --- R-ROSTER-7 promotion days -----------------------------------------------------------------------------------


def test_check_roster_promotion_day_without_pair_is_reported():
    pair = Shift("day", "Day", time(9), time(18), headcount=2)
    instance = month([agent(1), agent(2)], [one_day(pair, promotion=True)])

    assert check_roster(instance, [put(1), put(2)]) == [
        Violation(
            "R-ROSTER-7",
            "promotion_pair",
            "2026-12-05 Day is a promotion day and needs exactly 1 primary and at least 1 backup "
            "(has 0 primary, 0 backup, 2 member)",
            date=SAT,
            shift="day",
            params={"promotion": True, "primary": 0, "backup": 0, "member": 2},
        )
    ]


def test_check_roster_promotion_pair_is_accepted():
    pair = Shift("day", "Day", time(9), time(18), headcount=2)
    instance = month([agent(1), agent(2)], [one_day(pair, promotion=True)])

    assert check_roster(instance, [put(1, role="primary"), put(2, role="backup")]) == []


def test_check_roster_primary_on_ordinary_day_is_reported():
    instance = month([agent(1)], [one_day(DAY)])

    assert check_roster(instance, [put(1, role="primary")]) == [
        Violation(
            "R-ROSTER-7",
            "promotion_pair",
            "2026-12-05 Day is not a promotion day: use role member, not primary/backup",
            date=SAT,
            shift="day",
            params={"promotion": False, "primary": 1, "backup": 0, "member": 0},
        )
    ]


def test_check_roster_promotion_day_with_headcount_one_is_reported():
    instance = month([agent(1)], [one_day(DAY, promotion=True)])

    assert check_roster(instance, [put(1, role="primary")]) == [
        Violation(
            "R-ROSTER-7",
            "promotion_headcount",
            "2026-12-05 Day is on a promotion day and needs a headcount of at least 2 for an A/B pair, has 1",
            date=SAT,
            shift="day",
            params={"headcount": 1},
        )
    ]


# --- R-ROSTER-3 nights -------------------------------------------------------------------------------------------


def nights_month(agents: list[Agent]) -> Instance:
    return month(agents, [one_day(NIGHT, on=d) for d in (SAT, SUN, SAT2, SUN2)])


def test_check_roster_four_nights_in_a_row_is_reported_once_on_the_fourth():
    instance = nights_month([agent(1)])
    roster = [put(1, "night", d) for d in (SAT, SUN, SAT2, SUN2)]

    assert check_roster(instance, roster) == [
        Violation(
            "R-ROSTER-3",
            "consecutive_nights",
            "2026-12-13: Agent 1 works 4 night shifts in a row, at most 3",
            date=SUN2,
            agent=1,
            params={"nights": 4, "max": 3, "trailing": 0},
        )
    ]


def test_check_roster_trailing_nights_continue_the_run():
    instance = nights_month([agent(1, trailing_nights=3), agent(2)])
    roster = [put(1, "night", SAT), put(2, "night", SUN), put(2, "night", SAT2), put(2, "night", SUN2)]

    assert check_roster(instance, roster) == [
        Violation(
            "R-ROSTER-3",
            "consecutive_nights",
            "2026-12-05: Agent 1 works 4 night shifts in a row, at most 3",
            date=SAT,
            agent=1,
            params={"nights": 4, "max": 3, "trailing": 3},
        )
    ]


def test_check_roster_shadow_nights_count_toward_the_run():
    instance = nights_month([agent(1), agent(2, qualified=False), agent(3)])
    roster = [put(1, "night", d) for d in (SAT, SUN, SAT2)] + [put(3, "night", SUN2)]
    roster += [put(2, "night", d, "shadow") for d in (SAT, SUN, SAT2, SUN2)]

    assert check_roster(instance, roster) == [
        Violation(
            "R-ROSTER-3",
            "consecutive_nights",
            "2026-12-13: Agent 2 works 4 night shifts in a row, at most 3",
            date=SUN2,
            agent=2,
            params={"nights": 4, "max": 3, "trailing": 0},
        )
    ]


# --- R-ROSTER-8 one shift at a time, never on leave ----------------------------------------------------------------


def test_check_roster_overlapping_shifts_are_reported_on_the_later():
    instance = month([agent(1), agent(2)], [one_day(DAY, EVENING)], max_shifts_per_day=2)

    assert check_roster(instance, [put(1, "day"), put(1, "evening"), put(2, "day")]) == [
        Violation(
            "R-ROSTER-8",
            "overlap",
            "2026-12-05 Evening: Agent 1 is already on 2026-12-05 Day at the same time",
            date=SAT,
            shift="evening",
            agent=1,
            params={"other_date": "2026-12-05", "other_shift": "day"},
        ),
    ]


def test_check_roster_night_running_into_next_day_overlaps_early_shift():
    late = Shift("late", "Late", time(22), time(6), night=True)
    early = Shift("early", "Early", time(5), time(9))
    instance = month([agent(1)], [one_day(late, on=SAT), one_day(early, on=SUN)])

    assert check_roster(instance, [put(1, "late", SAT), put(1, "early", SUN)]) == [
        Violation(
            "R-ROSTER-8",
            "overlap",
            "2026-12-06 Early: Agent 1 is already on 2026-12-05 Late at the same time",
            date=SUN,
            shift="early",
            agent=1,
            params={"other_date": "2026-12-05", "other_shift": "late"},
        ),
    ]


def test_check_roster_two_shifts_on_one_date_is_too_many():
    instance = month([agent(1)], [one_day(DAY, NIGHT)])

    assert check_roster(instance, [put(1, "day"), put(1, "night")]) == [
        Violation(
            "R-ROSTER-8",
            "too_many_per_day",
            "2026-12-05: Agent 1 has 2 shifts, at most 1 a day",
            date=SAT,
            agent=1,
            params={"shifts": 2, "max": 1},
        )
    ]


def test_check_roster_on_leave_is_reported():
    instance = month([agent(1, leave=frozenset({SAT}), unavailable=frozenset({SAT}))], [one_day(DAY)])

    assert check_roster(instance, [put(1)]) == [
        Violation("R-ROSTER-8", "on_leave", "2026-12-05 Day: Agent 1 is on leave", date=SAT, shift="day", agent=1)
    ]


def test_check_roster_unavailable_is_reported():
    instance = month([agent(1, unavailable=frozenset({SAT}))], [one_day(DAY)])

    assert check_roster(instance, [put(1)]) == [
        Violation(
            "R-ROSTER-8",
            "unavailable",
            "2026-12-05 Day: Agent 1 declared this date unavailable",
            date=SAT,
            shift="day",
            agent=1,
        )
    ]


# --- unknown references and ordering -----------------------------------------------------------------------------


def test_check_roster_unknown_agent_date_shift_and_role_are_reported():
    instance = month([agent(1)], [one_day(Shift("day", "Day", time(9), time(18), headcount=0))])
    roster = [put(9), put(1, on=SUN), put(1, "brunch"), put(1, role="boss")]

    assert check_roster(instance, roster) == [
        Violation(
            "R-ROSTER-1",
            "unknown",
            "Assignment of agent 1 to 2026-12-05 day (boss): unknown role boss",
            date=SAT,
            shift="day",
            agent=1,
            params={"field": "role", "value": "boss"},
        ),
        Violation(
            "R-ROSTER-1",
            "unknown",
            "Assignment of agent 9 to 2026-12-05 day (member): unknown agent 9",
            date=SAT,
            shift="day",
            agent=9,
            params={"field": "agent", "value": 9},
        ),
        Violation(
            "R-ROSTER-1",
            "unknown",
            "Assignment of agent 1 to 2026-12-05 brunch (member): unknown shift brunch",
            date=SAT,
            shift="brunch",
            agent=1,
            params={"field": "shift", "value": "brunch"},
        ),
        Violation(
            "R-ROSTER-1",
            "unknown",
            "Assignment of agent 1 to 2026-12-06 day (member): unknown date 2026-12-06",
            date=SUN,
            shift="day",
            agent=1,
            params={"field": "date", "value": "2026-12-06"},
        ),
    ]


def test_check_roster_orders_by_date_shift_agent():
    instance = month([agent(1), agent(2)], [one_day(DAY, NIGHT, on=SAT), one_day(DAY, NIGHT, on=SUN)])
    roster = [put(2, "night", SUN), put(1, "day", SUN), put(1, "night", SUN), put(2, "day", SAT), put(2, "night", SAT)]

    violations = check_roster(instance, roster)

    assert [(v.date, v.shift, v.agent, v.code) for v in violations] == [
        (SAT, None, 2, "too_many_per_day"),
        (SUN, None, 1, "too_many_per_day"),
    ]


# --- edit_refusal ------------------------------------------------------------------------------------------------


def test_edit_refusal_free_agent_is_none():
    instance = month([agent(1)], [one_day(DAY, NIGHT)])

    assert edit_refusal(instance, [], 1, SAT, "day") is None


def test_edit_refusal_same_slot_again_is_none():
    instance = month([agent(1)], [one_day(DAY, NIGHT)])

    assert edit_refusal(instance, [put(1, "day")], 1, SAT, "day") is None


def test_edit_refusal_on_leave_gives_on_leave():
    instance = month([agent(1, leave=frozenset({SAT}))], [one_day(DAY)])

    assert edit_refusal(instance, [], 1, SAT, "day") == Violation(
        "R-ROSTER-8", "on_leave", "2026-12-05 Day: Agent 1 is on leave", date=SAT, shift="day", agent=1
    )


def test_edit_refusal_unavailable_gives_unavailable():
    instance = month([agent(1, unavailable=frozenset({SAT}))], [one_day(DAY)])

    assert edit_refusal(instance, [], 1, SAT, "day").code == "unavailable"


def test_edit_refusal_overlapping_shift_gives_overlap():
    instance = month([agent(1)], [one_day(DAY, EVENING)], max_shifts_per_day=2)

    assert edit_refusal(instance, [put(1, "day")], 1, SAT, "evening") == Violation(
        "R-ROSTER-8",
        "overlap",
        "2026-12-05 Evening: Agent 1 is already on 2026-12-05 Day at the same time",
        date=SAT,
        shift="evening",
        agent=1,
        params={"other_date": "2026-12-05", "other_shift": "day"},
    )


def test_edit_refusal_full_day_gives_too_many_per_day():
    instance = month([agent(1)], [one_day(DAY, NIGHT)])

    assert edit_refusal(instance, [put(1, "day")], 1, SAT, "night") == Violation(
        "R-ROSTER-8",
        "too_many_per_day",
        "2026-12-05: Agent 1 has 2 shifts, at most 1 a day",
        date=SAT,
        shift="night",
        agent=1,
        params={"shifts": 2, "max": 1},
    )


def test_edit_refusal_unknown_shift_gives_unknown():
    instance = month([agent(1)], [one_day(DAY)])

    assert edit_refusal(instance, [], 1, SAT, "brunch").params == {"field": "shift", "value": "brunch"}


# --- totals and coverage -----------------------------------------------------------------------------------------


def test_agent_totals_count_duty_night_holiday_and_shadow():
    instance = month(
        [agent(1), agent(2), agent(3, qualified=False), agent(4)],
        [one_day(DAY, NIGHT, on=SAT), one_day(DAY, NIGHT, on=SUN, holiday=True)],
    )
    roster = [
        put(1, "day", SAT),
        put(1, "night", SUN),
        put(2, "night", SAT),
        put(2, "day", SUN),
        put(3, "day", SUN, "shadow"),
        put(9, "day", SAT),
    ]

    assert agent_totals(instance, roster) == {
        1: Totals(duty=2, night=1, holiday=1, shadow=0),
        2: Totals(duty=2, night=1, holiday=1, shadow=0),
        3: Totals(duty=0, night=0, holiday=0, shadow=1),
        4: Totals(),
    }


def test_shift_coverage_counts_distinct_counted_agents():
    instance = month([agent(1), agent(2, qualified=False)], [one_day(DAY, NIGHT)])

    assert shift_coverage(instance, [put(1, "day"), put(1, "day"), put(2, "day", role="shadow")]) == {
        (SAT, "day"): (1, 1),
        (SAT, "night"): (0, 1),
    }


# --- R-ROSTER-4 balance: spreads over every qualified agent --------------------------------------------------------


def test_spreads_compare_agents_whatever_their_skills():
    # Agents 1 and 2 share no skill; balance still compares them (R-ROSTER-4), new hire 3 is left out.
    vip = Shift("vip", "VIP", time(9), time(18), skills=frozenset({"VIP"}))
    refunds = Shift("day", "Day", time(9), time(18), skills=frozenset({"refunds"}))
    agents = [agent(1, skills=frozenset({"VIP"})), agent(2, skills=frozenset({"refunds"})), agent(3, qualified=False)]
    instance = month(agents, [one_day(vip, refunds, on=SAT), one_day(vip, refunds, on=SUN)])

    result = spreads(instance, [put(1, "vip", SAT), put(1, "vip", SUN), put(3, "day", SAT, role="shadow")])

    assert result["duty_spread"] == Spread(value=2, most=2, fewest=0, most_agents=(1,), fewest_agents=(2,))
    assert result["night_spread"] == Spread(value=0, most=0, fewest=0, most_agents=(1, 2), fewest_agents=(1, 2))


def test_spreads_history_adds_the_previous_three_months():
    agents = [agent(1, history=History(duty=10, night=2)), agent(2, history=History(duty=7))]
    instance = month(agents, [one_day(NIGHT, on=SAT), one_day(DAY, on=SUN)])

    result = spreads(instance, [put(2, "night", SAT), put(2, "day", SUN)])

    assert (result["duty_spread"].value, result["history_duty_spread"].value) == (2, 1)
    assert result["history_duty_spread"] == Spread(value=1, most=10, fewest=9, most_agents=(1,), fewest_agents=(2,))
    assert result["history_night_spread"] == Spread(value=1, most=2, fewest=1, most_agents=(1,), fewest_agents=(2,))


def test_spreads_without_qualified_agents_are_zero():
    instance = month([agent(1, qualified=False)], [one_day(DAY)])

    assert spreads(instance, [])["duty_spread"] == Spread()


# --- take_refusal: the one question of every taking of a shift (substitutes, swaps, the marketplace) -------------


REFUND = Shift("day", "Day", time(9), time(18), skills=frozenset({"refund"}))


def test_take_refusal_a_free_skilled_qualified_agent_may_take_it():
    from roster.rules import take_refusal

    instance = month([agent(1, skills=frozenset({"refund"}))], [one_day(REFUND)])
    assert take_refusal(instance, [put(2)], 1, SAT, "day") is None


def test_take_refusal_says_the_first_reason_in_order():
    from roster.rules import take_refusal

    people = [
        agent(1, skills=frozenset({"refund"}), qualified=False),
        agent(2),
        agent(3, skills=frozenset({"refund"}), leave=frozenset({SAT})),
        agent(4, skills=frozenset({"refund"})),
    ]
    instance = month(people, [one_day(REFUND)])
    found = {i: take_refusal(instance, [put(4)], i, SAT, "day") for i in (1, 2, 3, 4)}
    assert {i: v.code if v else None for i, v in found.items()} == {
        1: "unqualified_alone",  # R-ROSTER-6
        2: "missing_skill",  # R-ROSTER-5
        3: "on_leave",  # R-ROSTER-8
        4: "already_on_shift",
    }
    assert found[2].params["missing"] == ["refund"]


def test_take_refusal_a_fourth_night_in_a_row_is_refused():
    from roster.rules import take_refusal

    days = [one_day(NIGHT, on=d) for d in (SAT, SUN, SAT2, SUN2)]
    instance = month([agent(1)], days, max_consecutive_nights=3)
    nights = [put(1, "night", on=d) for d in (SAT, SUN, SAT2)]
    refusal = take_refusal(instance, nights, 1, SUN2, "night")
    assert (refusal.code, refusal.params) == ("consecutive_nights", {"nights": 4, "max": 3})
