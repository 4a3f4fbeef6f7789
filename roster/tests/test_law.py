"""roster.law (R-LAW-1, -2, -4): tiny months on plain data, every verdict asserted whole; no database, no solver."""

from datetime import date, time, timedelta

import pytest

from roster import law
from roster.instance import (
    HOLIDAY,
    NURSING,
    PREGNANCY,
    REST_DAY,
    SYSTEM_COMPREHENSIVE,
    SYSTEM_FLEXIBLE,
    WORKDAY,
    Agent,
    Assignment,
    DutyDay,
    Instance,
    InstanceError,
    OtherShift,
    Protection,
    Settings,
    Shift,
    Violation,
    WorkingTime,
)
from roster.rules import check_roster, spreads

# June 2026: Monday 06-01; weekends 06-06/07, 06-13/14, 06-20/21, 06-27/28; 06-19 (Friday) a statutory holiday.
SAT, SUN = date(2026, 6, 6), date(2026, 6, 7)
SAT2, SUN2 = date(2026, 6, 13), date(2026, 6, 14)
HOLIDAY_FRI = date(2026, 6, 19)
DAY = Shift("day", "白班", time(9), time(18))  # 9 h
NIGHT = Shift("night", "夜班", time(18), time(0), night=True)  # 6 h
LATE = Shift("late", "晚班", time(14), time(23))  # unmarked, but overlaps 22:00-06:00
EARLY = Shift("early", "早班", time(8), time(16))


def june_kinds(*, holidays=(HOLIDAY_FRI,), workdays=()) -> tuple[tuple[date, str], ...]:
    first = date(2026, 6, 1)
    kinds = []
    for i in range(-7, 37):
        day = first + timedelta(days=i)
        if day in holidays:
            kind = HOLIDAY
        elif day in workdays or day.weekday() < 5:
            kind = WORKDAY
        else:
            kind = REST_DAY
        kinds.append((day, kind))
    return tuple(kinds)


def month(agents, dates, *, shifts=(DAY, NIGHT), **working_time) -> Instance:
    working_time.setdefault("days", june_kinds())
    return Instance(
        "2026-06",
        tuple(agents),
        tuple(DutyDay(d, holiday=d == HOLIDAY_FRI, shifts=shifts) for d in sorted(dates)),
        Settings(),
        working_time=WorkingTime(**working_time),
    )


def agent(agent_id: int, **fields) -> Agent:
    fields.setdefault("name", f"客服{agent_id}")
    return Agent(id=agent_id, **fields)


def put(agent_id: int, on: date, shift: str = "day", role: str = "member") -> Assignment:
    return Assignment(agent_id, on, shift, role)


def law_only(instance, assignments) -> list[Violation]:
    return [v for v in check_roster(instance, assignments) if v.code in law.CODES]


# --- R-LAW-1 rest day ------------------------------------------------------------------------------------------


def test_saturday_and_sunday_of_one_week_leave_no_rest_day():
    instance = month([agent(1), agent(2)], [SAT, SUN])

    assert law_only(instance, [put(1, SAT), put(1, SUN, "night")]) == [
        Violation(
            "R-LAW-1",
            "no_rest_day",
            "2026-06-07 夜班: 客服1 has no rest day in the week 2026-06-01..2026-06-07",
            date=SUN,
            shift="night",
            agent=1,
            params={"week_start": "2026-06-01", "week_end": "2026-06-07", "dates": ["2026-06-06", "2026-06-07"]},
        )
    ]


def test_one_day_of_each_weekend_keeps_the_rest_day():
    instance = month([agent(1)], [SAT, SUN, SAT2, SUN2])

    assert law_only(instance, [put(1, SAT), put(1, SUN2)]) == []


def test_approved_leave_on_sunday_leaves_it_a_rest_day():
    # Leave is not duty (R-ROSTER-8 keeps the person off the shift): Sunday stays free, so the week has its rest day.
    instance = month([agent(1, leave=frozenset({SUN})), agent(2)], [SAT, SUN])

    assert law_only(instance, [put(1, SAT), put(2, SUN)]) == []


def test_adjusted_working_sunday_leaves_saturday_the_only_rest_day():
    # 调休上班 on Sunday 06-07: Saturday is the week's one rest day, so Saturday duty alone takes it.
    instance = month([agent(1)], [SAT], days=june_kinds(workdays=(SUN,)))

    assert [v.code for v in law_only(instance, [put(1, SAT)])] == ["no_rest_day"]


def test_a_holiday_friday_gives_the_week_a_third_rest_date():
    week = [HOLIDAY_FRI, date(2026, 6, 20), date(2026, 6, 21)]
    instance = month([agent(1)], week)

    assert law_only(instance, [put(1, HOLIDAY_FRI), put(1, week[1])]) == []
    assert [v.code for v in law_only(instance, [put(1, d) for d in week])] == ["no_rest_day"]


def test_a_night_past_midnight_belongs_to_its_date():
    # Saturday 22:00 to Sunday 06:00 is Saturday's shift on the roster: Sunday stays the week's rest date (more than
    # 24 h free since Friday evening); a Sunday shift as well leaves none.
    overnight = Shift("overnight", "通宵班", time(22), time(6), night=True)
    instance = month([agent(1)], [SAT, SUN], shifts=(DAY, overnight))

    assert law_only(instance, [put(1, SAT, "overnight")]) == []
    assert [v.code for v in law_only(instance, [put(1, SAT, "overnight"), put(1, SUN)])] == ["no_rest_day"]


def test_the_week_into_the_next_month_counts_its_published_saturday():
    # Week 06-29..07-05: July's roster already has Saturday 07-04, so only Sunday 07-05 is left to rest.
    july = (OtherShift(date(2026, 7, 4), time(9), time(18)),)
    terms = law.Terms(month([agent(1, other_shifts=july)], [SAT]))
    last_week = terms.agent(terms.instance.agents[0]).weeks[-1]

    assert (last_week.monday, last_week.open) == (date(2026, 6, 29), frozenset({date(2026, 7, 5)}))


def february(agents, dates) -> Instance:
    # Saturday 2026-01-31 is January's, Sunday 02-01 February's: one week, two rosters.
    first = date(2026, 1, 26)
    kinds = tuple(
        (first + timedelta(days=i), WORKDAY if (first + timedelta(days=i)).weekday() < 5 else REST_DAY)
        for i in range(42)
    )
    return Instance(
        "2026-02",
        tuple(agents),
        tuple(DutyDay(d, shifts=(DAY,)) for d in dates),
        working_time=WorkingTime(days=kinds),
    )


def test_a_week_across_two_months_counts_the_other_months_roster():
    sunday = date(2026, 2, 1)
    january = (OtherShift(date(2026, 1, 31), time(9), time(18)),)
    instance = february([agent(1, other_shifts=january), agent(2)], [sunday])

    # January's roster put 客服1 on Saturday: February may not take the week's last rest day.
    assert [(v.code, v.agent) for v in law_only(instance, [put(1, sunday)])] == [("no_rest_day", 1)]
    assert law_only(instance, [put(2, sunday)]) == []
    assert law.claim_refusal(instance, [], 1, sunday, "day").code == "no_rest_day"


def test_a_week_another_month_alone_took_is_not_this_months_problem():
    # January's roster holds both days of the week 01-26..02-01 (the Sunday as an "other" shift only because the
    # test says so); February adds nothing to that week, so the problem is January's to answer for.
    january = (OtherShift(date(2026, 1, 31), time(9), time(18)),)
    instance = february([agent(1, other_shifts=january)], [date(2026, 2, 1), date(2026, 2, 7)])

    assert law_only(instance, [put(1, date(2026, 2, 7))]) == []


def test_the_rest_day_rule_is_the_standard_systems_only():
    for system in (SYSTEM_COMPREHENSIVE, SYSTEM_FLEXIBLE):
        instance = month([agent(1)], [SAT, SUN], system=system)

        assert law_only(instance, [put(1, SAT), put(1, SUN)]) == []


# --- R-LAW-2 extended hours ------------------------------------------------------------------------------------


def test_more_than_36_hours_of_rest_day_duty_in_a_month_is_refused():
    # Four day shifts (36 h) are within the cap; a night on Sunday 06-07 takes the month to 42 h. The problem is
    # dated on the shift that takes the running total past the cap, in time order: 06-27.
    last = date(2026, 6, 27)
    instance = month([agent(1)], [SAT, SUN, SAT2, date(2026, 6, 20), last])
    four = [put(1, SAT), put(1, SAT2), put(1, date(2026, 6, 20)), put(1, last)]

    assert law_only(instance, four) == []
    assert law_only(instance, [*four, put(1, SUN, "night")]) == [
        Violation(
            "R-LAW-1",
            "no_rest_day",
            "2026-06-07 夜班: 客服1 has no rest day in the week 2026-06-01..2026-06-07",
            date=SUN,
            shift="night",
            agent=1,
            params={"week_start": "2026-06-01", "week_end": "2026-06-07", "dates": ["2026-06-06", "2026-06-07"]},
        ),
        Violation(
            "R-LAW-2",
            "extended_hours",
            "2026-06-27 白班: 客服1 reaches 42 h of rest-day and holiday duty in 2026-06, more than 36 h",
            date=last,
            shift="day",
            agent=1,
            params={
                "hours": "42",
                "cap": "36",
                "monthly_cap": 36,
                "period": False,
                "period_start": "2026-06-01",
                "period_end": "2026-06-30",
            },
        ),
    ]


def test_a_lower_team_cap_and_comp_time_left_out():
    instance = month([agent(1, comp_time=True), agent(2)], [SAT, SAT2], cap_hours=10, count_comp_time=False)
    roster = [put(1, SAT), put(1, SAT2), put(2, SAT), put(2, SAT2)]

    # 客服1's rest-day hours are compensated with comp time and the team leaves them out; 客服2's 18 h count.
    assert [(v.code, v.agent) for v in law_only(instance, roster)] == [("extended_hours", 2)]


def test_holiday_hours_count_even_when_comp_time_is_left_out():
    instance = month([agent(1, comp_time=True)], [HOLIDAY_FRI], cap_hours=8, count_comp_time=False)

    assert [v.code for v in law_only(instance, [put(1, HOLIDAY_FRI)])] == ["extended_hours"]


def test_working_day_duty_is_not_extended_hours():
    thursday = date(2026, 6, 18)
    instance = month([agent(1)], [thursday], cap_hours=0)

    assert law_only(instance, [put(1, thursday)]) == []


def test_comprehensive_hours_count_the_settlement_period():
    # A quarter (April-June): 3 x 10 h allowed; April and May already hold 27 h, so June's 9 h pass it.
    earlier = tuple(OtherShift(date(2026, 4, d), time(9), time(18)) for d in (4, 11)) + (
        OtherShift(date(2026, 5, 9), time(9), time(18)),
    )
    instance = month(
        [agent(1, other_shifts=earlier)],
        [SAT],
        system=SYSTEM_COMPREHENSIVE,
        cap_hours=10,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        period_months=3,
        days=june_kinds() + ((date(2026, 4, 4), REST_DAY), (date(2026, 4, 11), REST_DAY), (date(2026, 5, 9), REST_DAY)),
    )

    [problem] = law_only(instance, [put(1, SAT)])
    assert (problem.code, problem.params["hours"], problem.params["cap"], problem.params["period"]) == (
        "extended_hours",
        "36",
        "30",
        True,
    )


def test_flexible_hours_have_no_cap():
    instance = month([agent(1)], [SAT, SAT2], system=SYSTEM_FLEXIBLE, cap_hours=1)

    assert law_only(instance, [put(1, SAT), put(1, SAT2)]) == []


# --- R-LAW-4 protected people ----------------------------------------------------------------------------------


PREGNANT = (Protection(date(2026, 6, 1), date(2026, 8, 31), PREGNANCY),)


def test_a_protected_person_may_work_no_night_and_no_rest_day_duty():
    thursday = date(2026, 6, 18)
    instance = month([agent(1, protections=PREGNANT)], [SAT, thursday])

    assert law_only(instance, [put(1, SAT)]) == [
        Violation(
            "R-LAW-4",
            "protected_extended",
            "2026-06-06 白班: 客服1 is in a protection period and may not work rest-day or holiday duty "
            "(extended hours)",
            date=SAT,
            shift="day",
            agent=1,
            params={"kind": "pregnancy", "article": 6, "start": "2026-06-01", "end": "2026-08-31"},
        )
    ]
    assert [v.code for v in law_only(instance, [put(1, thursday, "night")])] == ["protected_night"]
    # A working-day day shift is neither: allowed.
    assert law_only(instance, [put(1, thursday)]) == []


def test_an_unmarked_shift_overlapping_22_to_6_is_a_night_shift():
    thursday = date(2026, 6, 18)
    nursing = (Protection(thursday, thursday, NURSING),)
    instance = month([agent(1, protections=nursing)], [thursday], shifts=(LATE, EARLY))

    assert [(v.code, v.params["article"]) for v in law_only(instance, [put(1, thursday, "late")])] == [
        ("protected_night", 9)
    ]
    assert law_only(instance, [put(1, thursday, "early")]) == []


def test_outside_the_period_the_person_works_as_anyone():
    ended = (Protection(date(2026, 5, 1), date(2026, 6, 6), NURSING),)
    instance = month([agent(1, protections=ended)], [SAT, SAT2])

    assert [v.date for v in law_only(instance, [put(1, SAT), put(1, SAT2, "night")])] == [SAT]


def test_shadows_are_at_work_for_the_law():
    instance = month([agent(1, qualified=False, shadow_shifts_needed=2), agent(2), agent(3)], [SAT, SUN])
    roster = [put(2, SAT), put(1, SAT, role="shadow"), put(3, SUN), put(1, SUN, role="shadow")]

    assert [(v.code, v.agent) for v in law_only(instance, roster)] == [("no_rest_day", 1)]


# --- one function for every caller -------------------------------------------------------------------------------


def test_claim_refusal_says_what_one_more_shift_would_break():
    instance = month([agent(1), agent(2, protections=PREGNANT)], [SAT, SUN])

    assert law.claim_refusal(instance, [put(1, SAT)], 1, SUN, "day").code == "no_rest_day"
    assert law.claim_refusal(instance, [put(1, SAT)], 1, SAT, "night") is None  # replaces the same date's shift
    assert law.claim_refusal(instance, [], 2, SUN, "night").code == "protected_night"
    assert law.claim_refusal(instance, [], 1, SUN, "night") is None


def test_claims_answer_every_question_as_claim_refusal_does():
    # The shortfall explanation asks Claims (one state for the roster) what claim_refusal answers one at a time:
    # every person, date and shift of a month where the rest day, the 36 h cap and a protection period all bite.
    dates = [SAT, SUN, SAT2, SUN2, HOLIDAY_FRI]
    instance = month(
        [agent(1), agent(2, protections=PREGNANT), agent(3), agent(4, comp_time=True)], dates, cap_hours=18
    )
    roster = [put(1, SAT), put(1, SAT2, "night"), put(3, SAT), put(3, SUN2), put(3, HOLIDAY_FRI), put(4, SUN)]
    claims = law.Claims(instance, roster)

    asked = [(a.id, d, key) for a in instance.agents for d in dates for key in ("day", "night")]
    assert [claims.refusal(*q) for q in asked] == [law.claim_refusal(instance, roster, *q) for q in asked]
    # What the shortfall explanation counts: the same codes, without their sentences.
    assert [claims.refusal_code(*q) for q in asked] == [
        getattr(law.claim_refusal(instance, roster, *q), "code", None) for q in asked
    ]
    assert {getattr(law.claim_refusal(instance, roster, *q), "code", None) for q in asked} >= {
        None,
        "no_rest_day",
        "extended_hours",
        "protected_night",
    }


def test_someone_protected_all_month_is_left_out_of_the_balance():
    thursday = date(2026, 6, 18)
    late = (Protection(SUN, date(2026, 9, 1), NURSING),)
    instance = month(
        [agent(1, protections=PREGNANT), agent(2), agent(3), agent(4, protections=late)], [SAT, SUN, thursday]
    )
    roster = [put(2, SAT), put(3, SUN), put(1, thursday), put(4, SAT)]

    # 客服1 is protected on every duty day (even if the working Thursday's day shift is open to them); 客服4 only
    # from Sunday on, so they stay in the balance.
    assert law.excluded(instance) == {1: PREGNANT[0]}
    assert spreads(instance, roster)["duty_spread"].value == 0


def test_capacity_is_an_upper_bound_under_every_rule():
    instance = month([agent(1), agent(2, protections=PREGNANT)], [SAT, SUN, SAT2, SUN2, date(2026, 6, 18)])
    slots = [(d.date, s.key) for d in instance.days for s in d.shifts]

    # 客服1: one date a weekend (2) plus the working Thursday (1). 客服2: the Thursday's day shift only.
    assert law.capacity(instance, instance.agents[0], slots, 1) == 3
    assert law.capacity(instance, instance.agents[1], slots, 1) == 1


def test_without_working_time_nothing_is_checked():
    instance = Instance("2026-06", (agent(1, protections=PREGNANT),), (DutyDay(SAT, shifts=(NIGHT,)),))

    assert law.labour_violations(instance, [put(1, SAT, "night")]) == []


def test_working_time_round_trips_through_json_and_refuses_a_period_ending_first():
    instance = month([agent(1, protections=PREGNANT, comp_time=True)], [SAT], cap_hours=20)

    assert Instance.from_json(instance.to_json()) == instance
    data = instance.to_json()
    data["agents"][0]["protections"][0]["end"] = "2026-05-01"
    with pytest.raises(InstanceError, match="the end is before the start"):
        Instance.from_json(data)


# --- the generator keeps the law, and says where it makes a month impossible -----------------------------------


def test_generation_keeps_the_law_and_names_the_rule_where_the_month_is_short():
    from roster.solver import solve

    # Five people for a weekend of 3 places a day: one date of the weekend each leaves one place empty, and the
    # sixth person is protected.
    wide = (Shift("day", "白班", time(9), time(18), headcount=2), Shift("night", "夜班", time(18), time(0), True, 1))
    protected = agent(4, protections=PREGNANT)
    instance = month([agent(i) for i in (1, 2, 3, 5, 6)] + [protected], [SAT, SUN], shifts=wide)
    instance = Instance(
        instance.month,
        instance.agents,
        instance.days,
        Settings(time_limit_s=3, workers=1),
        working_time=instance.working_time,
    )

    result = solve(instance)

    assert [v for v in result.violations if v.code in law.CODES] == []
    assert not [a for a in result.assignments if a.agent == 4]  # protected: no weekend duty at all
    worked = {}
    for a in result.assignments:
        worked.setdefault(a.agent, set()).add(a.date)
    assert all(len(dates) == 1 for dates in worked.values())  # one date of the weekend each (R-LAW-1)
    [short] = [v for v in result.violations if v.code == "under_headcount"]
    assert (short.params["reason"], short.params["short"]) == ("law", 1)
    # Said as the rule keeps them off: the other day's people would lose their rest day, the protected one may not.
    assert (short.params["law_rest"], short.params["law_protected"]) == (3, 1)  # the other day's three


def test_readers_who_may_not_know_see_no_protection_in_the_problems():
    from django.utils import translation

    from roster.messages import describe

    wide = (Shift("day", "白班", time(9), time(18), headcount=2),)
    instance = month([agent(1), agent(2), agent(4, protections=PREGNANT)], [SAT, SUN], shifts=wide)
    roster = [put(1, SUN), put(2, SUN), put(4, SAT)]  # Saturday: 1 and 2 would lose their rest day; 4 protected
    problems = check_roster(instance, roster)
    [short] = [v for v in problems if v.code == "under_headcount" and v.date == SAT]
    assert (short.params["reason"], short.params["law_rest"], short.params["law_protected"]) == ("law", 2, 0)
    assert [v.code for v in problems if v.code in law.PRIVATE_CODES] == [law.PROTECTED_EXTENDED]
    # Without 4 on Saturday, the shift is short by two and the protected person is one of the reasons.
    problems = check_roster(instance, roster[:2])
    [short] = [v for v in problems if v.code == "under_headcount" and v.date == SAT]
    assert (short.params["law_rest"], short.params["law_protected"]) == (2, 1)

    shown = law.without_protection(check_roster(instance, roster[:2]) + check_roster(instance, roster))
    assert [v for v in shown if v.code in law.PRIVATE_CODES] == []
    public = [v for v in shown if v.code == "under_headcount" and v.params.get("reason") == "law_public"]
    assert public and all("law_protected" not in v.params and "protection" not in v.message for v in public)
    assert public[0].params["others"] == 1 + public[0].params["elsewhere"] + public[0].params["nights"]
    with translation.override("zh-hans"):
        text = describe(public[0], instance)
    assert "保护" not in text and "其他原因" in text, text


def test_take_refusal_asks_the_law_and_the_reason_names_no_protection():
    # Issue 24: the marketplace, swaps and substitutes ask roster.rules.take_refusal, which ends with the law; a
    # teammate reads the working-time rules, never the protection period (R-LAW-4).
    from django.utils import translation

    from roster.messages import take_reason
    from roster.rules import take_refusal

    thursday = date(2026, 6, 18)
    instance = month([agent(1, protections=PREGNANT)], [SAT, thursday])
    refusal = take_refusal(instance, [], 1, thursday, "night")
    assert refusal.code == "protected_night"
    with translation.override("en"):
        assert take_reason(refusal, instance) == "Cannot take this shift under the working-time rules."
