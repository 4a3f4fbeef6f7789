"""roster.queries.month_data: the month as the rules and the solver see it, read in a fixed number of queries.

Every figure below is worked out by hand from the rows this test writes: who is on duty, their skills and wishes,
approved leave only, the versions in force of the 3 months before (R-ROSTER-4), last month's nights in a row
(R-ROSTER-3) and the shadow shifts a new hire has done (R-ROSTER-6).
"""

from datetime import date, time

import pytest

from dutydesk.models import Role, Skill
from roster import instance as plain
from roster import law, queries
from roster.models import Assignment, AvailabilityKind, DutyShift, Roster, RosterVersion, ShiftType
from testdata import MONTH, WEEKENDS, approved_leave, laid_out_month, make_person, publish, rejected_leave

pytestmark = pytest.mark.django_db
W = WEEKENDS


def shift(team, day: date, key: str, *, holiday: bool = False) -> DutyShift:
    kind = ShiftType.objects.get(team=team, key=key)
    starts, ends = DutyShift.bounds(day, kind)
    return DutyShift.objects.get_or_create(
        team=team,
        date=day,
        shift_type=kind,
        defaults={
            "starts_at": starts,
            "ends_at": ends,
            "is_night": kind.is_night,
            "is_holiday": holiday,
            "headcount": kind.headcount,
        },
    )[0]


def draft(team, month: date, holdings, *, by) -> RosterVersion:
    """The month's draft holding [(profile, shift, role)] (published versions: testdata.publish)."""
    roster, _ = Roster.objects.get_or_create(team=team, month=month)
    made = RosterVersion.objects.create(roster=roster, created_by=by)
    Assignment.objects.bulk_create(
        Assignment(version=made, duty_shift=s, profile=p, date=s.date, role=role) for p, s, role in holdings
    )
    return made


@pytest.fixture
def march(team, other_team, agent, lead, supervisor):
    roster = laid_out_month(team)  # March 2027: day and night on each of the 8 weekend dates
    by = supervisor
    zhang, li = agent.profile, lead.profile
    xiao = make_person(Role.AGENT, team, name="小王", qualified=False).profile
    gone = make_person(Role.LEAD, team, name="离职").profile  # a lead who decided leave before leaving
    make_person(Role.AGENT, other_team, name="外组")
    zhang.skills.set(
        [Skill.objects.create(code="vip", name="VIP专线"), Skill.objects.create(code="refund", name="退款")]
    )

    # February, in force (version 2): 张伟 on the nights of 02-21, 02-27, 02-28; 李娜 on the night of 02-27.
    feb = [date(2027, 2, d) for d in (20, 21, 27, 28)]
    for day in feb:
        shift(team, day, "day")
    publish(team, [(zhang, shift(team, feb[0], "day"), "member")], by=by)  # replaced: not counted
    publish(
        team,
        [(zhang, shift(team, d, "night"), "member") for d in feb[1:]] + [(li, shift(team, feb[2], "day"), "member")],
        by=by,
    )
    # January: 张伟 on the New Year holiday's day shift; 小王 shadows once. A January draft does not count.
    publish(
        team,
        [
            (zhang, shift(team, date(2027, 1, 1), "day", holiday=True), "member"),
            (xiao, shift(team, date(2027, 1, 2), "day"), "shadow"),
        ],
        by=by,
    )
    draft(team, date(2027, 1, 1), [(zhang, shift(team, date(2027, 1, 9), "day"), "member")], by=by)
    # November 2026 is more than 3 months before March: not counted.
    publish(team, [(zhang, shift(team, date(2026, 11, 7), "day"), "member")], by=by)

    zhang.availability.create(date=W[1], kind=AvailabilityKind.UNAVAILABLE)
    zhang.availability.create(date=W[2], kind=AvailabilityKind.PREFERRED)
    li.availability.create(date=W[3], kind=AvailabilityKind.PREFER_OFF)
    zhang.availability.create(date=date(2027, 4, 3), kind=AvailabilityKind.UNAVAILABLE)  # another month
    # March in force with both on W[0]'s day shift: 李娜's leave approved (by the lead 离职, then the supervisor),
    # 张伟's rejected by 李娜; then 离职 leaves (an inactive account).
    first = shift(team, W[0], "day")
    publish(team, [(li, first, "member"), (zhang, first, "member")], by=by)
    approved_leave(li, [first], lead=gone, supervisor=by, kind="annual", reason="家事")
    rejected_leave(zhang, [first], by=li, kind="annual")
    gone.user.is_active = False
    gone.user.save()

    in_progress = draft(
        team,
        MONTH,
        [(zhang, shift(team, W[0], "night"), "member"), (xiao, shift(team, W[0], "day"), "shadow")],
        by=by,
    )
    roster.refresh_from_db()
    return roster, in_progress, {"张伟": zhang.pk, "李娜": li.pk, "小王": xiao.pk}


def test_month_data_gathers_what_the_rules_need_of_each_agent(march):
    roster, draft, ids = march
    instance, assignments = queries.month_data(roster, draft.pk)
    agents = {a.name: a for a in instance.agents}
    assert sorted(agents) == ["小王", "张伟", "李娜"]  # not the inactive one, not another team's agent
    assert agents["张伟"] == plain.Agent(
        id=ids["张伟"],
        name="张伟",
        skills=frozenset({"vip", "refund"}),
        qualified=True,
        unavailable=frozenset({W[1]}),
        preferred=frozenset({W[2]}),
        leave=frozenset(),
        history=plain.History(duty=4, night=3, holiday=1),
        trailing_nights=3,
    )
    assert agents["李娜"] == plain.Agent(
        id=ids["李娜"],
        name="李娜",
        leave=frozenset({W[0]}),
        prefer_off=frozenset({W[3]}),
        history=plain.History(duty=1, night=0, holiday=0),
        trailing_nights=0,
    )
    # R-ROSTER-6: 2 shadow shifts before working alone, 1 done; a shadow shift is not a duty in the balance.
    assert agents["小王"] == plain.Agent(id=ids["小王"], name="小王", qualified=False, shadow_shifts_needed=1)
    assert [d.date for d in instance.days] == W and all(
        [s.key for s in d.shifts] == ["day", "night"] for d in instance.days
    )
    assert sorted((a.agent, a.date, a.shift, a.role) for a in assignments) == sorted(
        [(ids["张伟"], W[0], "night", "member"), (ids["小王"], W[0], "day", "shadow")]
    )


def test_month_data_reads_a_fixed_number_of_queries(march, team, django_assert_num_queries):
    roster, draft, _ids = march
    queries.month_data(roster, None)  # the company calendar's year, remembered by its stamp from then on
    with django_assert_num_queries(3):  # the roster row with its settings, the agents, the shifts with holders
        found = queries.roster_with_draft(team, MONTH)
        instance, assignments = queries.month_data(found, found.draft_id)
    assert (found.draft_id, len(instance.agents), len(assignments)) == (draft.pk, 3, 2)
    plain_roster = Roster.objects.get(pk=roster.pk)
    # A roster read without its settings and the calendar's stamps: one query each more.
    with django_assert_num_queries(4):
        queries.month_data(plain_roster, None)
    assert queries.month_data(roster, None)[1] == []


def test_month_data_takes_the_leave_it_is_given_instead_of_reading_it(march):
    roster, _draft, ids = march
    # The leave app asks what the month would be with other leave: the approved leave is not read then.
    agents = {a.name: a for a in queries.solver_instance(roster, leave={ids["张伟"]: {W[5]}}).agents}
    assert (agents["张伟"].leave, agents["李娜"].leave) == (frozenset({W[5]}), frozenset())


def test_month_data_gives_the_working_time_law_what_it_counts(team, supervisor, agent):
    """R-LAW-1, -2, -4 as plain data: the team's system and cap, the kind of every date of the weeks touching the
    month, protection periods touching them, and the other months' shifts in force in those weeks. August 2027
    starts on a Sunday, so its first week is July's: Saturday 07-31 on July's published roster counts."""
    from dutydesk.models import ProtectionKind, ProtectionPeriod

    august, zhang = date(2027, 8, 1), agent.profile
    settings = queries.settings_for(team)
    settings.extended_hours_cap, settings.count_comp_time_hours = 30, True
    settings.save()
    laid_out_month(team, august)
    publish(team, [(zhang, shift(team, date(2027, 7, 31), "night"), "member")], by=supervisor)
    draft(team, date(2027, 7, 1), [(zhang, shift(team, date(2027, 7, 24), "day"), "member")], by=supervisor)
    ProtectionPeriod.objects.create(
        profile=zhang,
        kind=ProtectionKind.NURSING,
        starts_on=date(2027, 8, 20),
        ends_on=date(2028, 6, 1),
        recorded_by=supervisor.profile,
    )
    ProtectionPeriod.objects.create(
        profile=zhang,
        kind=ProtectionKind.PREGNANCY,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 6, 1),
        recorded_by=supervisor.profile,
    )

    instance = queries.solver_instance(Roster.objects.get(team=team, month=august))
    found = instance.agents_by_id[zhang.pk]

    # Only the version in force (the July draft is not), only the week touching August; the period ending in June
    # does not touch August.
    assert found.other_shifts == (plain.OtherShift(date(2027, 7, 31), time(18), time(0), True),)
    assert found.protections == (plain.Protection(date(2027, 8, 20), date(2028, 6, 1), "nursing"),)
    working_time = instance.working_time
    assert (working_time.system, working_time.cap_hours, working_time.period_start) == ("standard", 30, None)
    kinds = working_time.kinds
    assert min(kinds) == date(2027, 7, 26) and max(kinds) >= date(2027, 9, 6)
    assert [kinds[date(2027, 7, 30)], kinds[date(2027, 7, 31)], kinds[august]] == ["workday", "rest_day", "rest_day"]
    # 张伟 holds July's Saturday: August's Sunday is the week's last rest date.
    assert law.claim_refusal(instance, [], zhang.pk, august, "day").code == "no_rest_day"


def test_month_data_settles_comprehensive_hours_over_the_teams_period(team, supervisor):
    settings = queries.settings_for(team)
    settings.working_time_system, settings.settlement_months = "comprehensive", 3
    settings.save()
    instance = queries.solver_instance(laid_out_month(team, date(2027, 8, 1)))

    assert (instance.working_time.period_start, instance.working_time.period_end) == (
        date(2027, 7, 1),
        date(2027, 9, 30),
    )
    assert instance.working_time.period_months == 3
