"""Computing, finalising and correcting a month; the comp-time ledger; policies, exceptions, rewards. On the real
database, with explicit clocks: October 2026 holds National Day (10-01..10-03) and a 调休 working Saturday (10-10)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from appraisal.models import AgentScore, AppraisalStatus, MonthlyAppraisal, ScoreStatus
from compensation import queries, services
from compensation.models import (
    CompensationPolicy,
    CompTimeEntry,
    DutyStatement,
    EntryKind,
    ResponseKind,
    StatementLine,
    StatementResponse,
)
from compensation.tests.factories import absent, earned, holiday_override
from dutydesk.models import Role
from testdata import at, duty_shift, make_person, publish, worked

D = Decimal
pytestmark = pytest.mark.usefixtures("english")  # messages asserted in the source language
OCTOBER = date(2026, 10, 1)
AFTER_OCTOBER = at(date(2026, 11, 2), 10)  # the month is over, computed after its end
DURING_OCTOBER = at(date(2026, 10, 20), 12)


def entries(profile, kind=None):
    rows = CompTimeEntry.objects.filter(profile=profile)
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((e.kind, e.hours, e.on) for e in rows)


def line(statement, profile) -> StatementLine:
    return StatementLine.objects.get(statement=statement, profile=profile)


@pytest.fixture
def october(team, agent, lead, supervisor):
    """The agent works Saturday 10-17 (rest day), 10-01 (holiday), 10-10 (working Saturday); the lead 10-24."""
    shifts = {day: duty_shift(team, date(2026, 10, day)) for day in (1, 10, 17, 24)}
    publish(
        team,
        [
            (agent.profile, shifts[1]),
            (agent.profile, shifts[10]),
            (agent.profile, shifts[17]),
            (lead.profile, shifts[24]),
        ],
        by=supervisor,
    )
    for day in (1, 10, 17):
        worked(shifts[day], agent.profile)
    return shifts


def test_compute_states_hours_and_writes_earned_comp_time(team, agent, lead, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    mine = line(statement, agent.profile)
    # 10-17 rest day 9 h → 9 h comp time (1:1); 10-01 holiday 9 h → 27 pay units (× 3.0); 10-10 workday 9 h.
    assert (
        mine.shifts,
        mine.planned_hours,
        mine.actual_hours,
        mine.rest_day_hours,
        mine.holiday_hours,
        mine.workday_hours,
        mine.overtime_pay_units,
        mine.comp_earned,
        mine.comp_balance,
    ) == (3, D("27.00"), D("27.00"), D("9.00"), D("9.00"), D("9.00"), D("27.00"), D("9.00"), D("9.00"))
    assert entries(agent.profile) == [("earned", D("9.00"), date(2026, 10, 17))]
    assert CompTimeEntry.objects.get(profile=agent.profile).expires_on == date(2027, 4, 17)
    # The lead's Saturday has no attendance record: planned hours counted and flagged.
    theirs = line(statement, lead.profile)
    assert (theirs.rest_day_hours, theirs.unrecorded, theirs.comp_earned) == (D("9.00"), 1, D("9.00"))


def test_compute_again_changes_nothing_and_follows_corrected_attendance(team, agent, october):
    services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    assert DutyStatement.objects.filter(team=team, month=OCTOBER).count() == 1
    assert entries(agent.profile) == [("earned", D("9.00"), date(2026, 10, 17))]
    # The sign-in of 10-17 was in fact 09:30: 8.50 h, the earned line follows while the month is open.
    logbook = october[17].logbooks.get()
    logbook.signed_in_at, logbook.late_minutes, logbook.late_explanation = at(date(2026, 10, 17), 9, 30), 30, "堵车"
    logbook.save()
    services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    assert entries(agent.profile) == [("earned", D("8.50"), date(2026, 10, 17))]
    assert line(statement, agent.profile).comp_balance == D("8.50")


def test_absence_earns_nothing_and_a_shift_to_come_earns_nothing_yet(team, agent, october):
    absent(october[17], agent.profile)
    october[17].logbooks.all().delete()
    statement = services.compute_statement(team=team, month=OCTOBER, now=DURING_OCTOBER)
    mine = line(statement, agent.profile)
    assert (mine.absences, mine.rest_day_hours, mine.comp_earned, mine.planned_hours) == (
        1,
        D("0.00"),
        D("0.00"),
        D("27.00"),
    )
    assert entries(agent.profile) == []


def test_team_override_makes_a_saturday_a_holiday(team, agent, october):
    holiday_override(team, date(2026, 10, 17))
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    mine = line(statement, agent.profile)
    assert (mine.holiday_hours, mine.rest_day_hours, mine.overtime_pay_units, mine.comp_earned) == (
        D("18.00"),
        D("0.00"),
        D("54.00"),
        D("0.00"),
    )


def test_policy_overtime_pay_and_holiday_comp_time(team, agent, supervisor, october):
    services.update_policy(
        team=team,
        actor=supervisor.profile,
        values={
            "rest_day_treatment": "overtime_pay",
            "rest_day_multiplier": D("2.5"),
            "holiday_comp_time": True,
            "holiday_ratio": D("1.00"),
        },
    )
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    mine = line(statement, agent.profile)
    # rest day 9 × 2.5 = 22.5 units; holiday 9 × 3 = 27 units and 9 h comp time.
    assert (mine.overtime_pay_units, mine.comp_earned, mine.rest_day_multiplier) == (D("49.50"), D("9.00"), D("2.50"))
    assert entries(agent.profile) == [("earned", D("9.00"), date(2026, 10, 1))]
    assert statement.policy["rest_day_treatment"] == "overtime_pay"


def test_personal_exception_applies_to_that_person_only(team, agent, lead, supervisor, october):
    services.set_exception(
        profile=agent.profile,
        actor=supervisor.profile,
        values={"rest_day_treatment": "overtime_pay"},
        reason="本人申请加班费",
    )
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    assert (line(statement, agent.profile).comp_earned, line(statement, agent.profile).has_exception) == (
        D("0.00"),
        True,
    )
    assert line(statement, lead.profile).comp_earned == D("9.00")


@pytest.mark.parametrize(
    "values",
    [
        {"rest_day_ratio": D("0")},
        {"rest_day_ratio": D("-0.5")},
        {"holiday_ratio": D("0")},
        {"rest_day_multiplier": D("1.5")},
    ],
)
def test_policy_bad_value_refused_and_nothing_changes(team, supervisor, values):
    services.update_policy(team=team, actor=supervisor.profile, values={"rest_day_ratio": D("1.5")})
    with pytest.raises(services.CompensationError):
        services.update_policy(team=team, actor=supervisor.profile, values={"expiry_months": 3, **values})
    policy = CompensationPolicy.objects.get(team=team)
    assert (policy.rest_day_ratio, policy.expiry_months) == (D("1.50"), 6)


def test_database_refuses_a_ratio_of_zero_too(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompensationPolicy.objects.create(team=team, rest_day_ratio=0)


def test_exception_needs_a_reason_and_a_value(agent, supervisor):
    with pytest.raises(services.CompensationError, match="why"):
        services.set_exception(
            profile=agent.profile, actor=supervisor.profile, values={"rest_day_ratio": D("2")}, reason=" "
        )
    with pytest.raises(services.CompensationError, match="at least one"):
        services.set_exception(profile=agent.profile, actor=supervisor.profile, values={}, reason="说明")
    with pytest.raises(services.CompensationError, match="more than 0"):
        services.set_exception(
            profile=agent.profile, actor=supervisor.profile, values={"rest_day_ratio": D("0")}, reason="说明"
        )


# --- finalising and correcting ---------------------------------------------------------------------------------


def test_finalise_refused_before_month_end_and_when_computed_too_early(team, supervisor, october):
    early = services.compute_statement(team=team, month=OCTOBER, now=DURING_OCTOBER)
    with pytest.raises(services.CompensationError, match="not over"):
        services.finalise_statement(early, actor=supervisor.profile, today=date(2026, 10, 31))
    with pytest.raises(services.CompensationError, match="computed before the month ended"):
        services.finalise_statement(early, actor=supervisor.profile, today=date(2026, 11, 2))
    assert DutyStatement.objects.get(pk=early.pk).status == "open"


def test_dispute_blocks_finalising_until_the_lead_resolves_it(team, agent, lead, supervisor, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    response = services.respond_to_statement(
        line(statement, agent.profile), agent=agent.profile, kind=ResponseKind.DISPUTED, comment="10-17 我18:30才走"
    )
    with pytest.raises(services.CompensationError, match="1 disputes"):
        services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    with pytest.raises(services.CompensationError, match="not the person disputing"):
        services.resolve_dispute(response, actor=agent.profile, resolution="自己解决")
    services.resolve_dispute(response, actor=lead.profile, resolution="签退时间以系统为准，超出班次不计")
    with pytest.raises(services.CompensationError, match="already resolved by 李娜"):
        services.resolve_dispute(response, actor=lead.profile, resolution="再次")
    services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    assert DutyStatement.objects.get(pk=statement.pk).is_finalised


def test_the_services_allow_only_whom_the_object_rules_name(team, other_team, agent, lead, supervisor, october):
    """Issue #28 item 2: compensation.permissions decides, in the service as on the page."""
    other_lead = make_person(Role.LEAD, other_team, username="other-lead").profile
    other_supervisor = make_person(Role.SUPERVISOR, other_team, username="other-supervisor").profile
    for stranger in (lead.profile, other_supervisor):
        with pytest.raises(services.CompensationError, match="Only a supervisor of the team computes"):
            services.compute_statement(team=team, month=OCTOBER, actor=stranger, now=AFTER_OCTOBER)
    assert not DutyStatement.objects.exists()
    statement = services.compute_statement(team=team, month=OCTOBER, actor=supervisor.profile, now=AFTER_OCTOBER)
    response = services.respond_to_statement(
        line(statement, lead.profile), agent=lead.profile, kind=ResponseKind.DISPUTED, comment="10-24 少算"
    )
    for stranger in (lead.profile, other_lead, other_supervisor):  # the lead disputing, other teams' leaders
        with pytest.raises(services.CompensationError, match="not the person disputing"):
            services.resolve_dispute(response, actor=stranger, resolution="x")
    assert StatementResponse.objects.get(pk=response.pk).resolved_at is None
    services.resolve_dispute(response, actor=supervisor.profile, resolution="已核对")
    for stranger in (lead.profile, other_supervisor):
        with pytest.raises(services.CompensationError, match="Only a supervisor of the team"):
            services.finalise_statement(statement, actor=stranger, today=date(2026, 11, 3))
    assert not DutyStatement.objects.get(pk=statement.pk).is_finalised
    services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    with pytest.raises(services.CompensationError, match="Only a supervisor of the team"):
        services.correct_statement(team=team, month=OCTOBER, actor=lead.profile, reason="漏记")
    assert DutyStatement.objects.count() == 1


def test_finalised_month_is_frozen(team, agent, supervisor, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    absent(october[17], agent.profile)
    october[17].logbooks.all().delete()
    with pytest.raises(services.CompensationError, match="finalised"):
        services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    with pytest.raises(services.CompensationError, match="finalised"):
        services.respond_to_statement(line(statement, agent.profile), agent=agent.profile, kind="confirmed")
    assert services.compute_open_statements(month=OCTOBER, teams=[team], now=AFTER_OCTOBER) == []
    assert line(statement, agent.profile).comp_earned == D("9.00")
    assert entries(agent.profile) == [("earned", D("9.00"), date(2026, 10, 17))]
    # Finalising twice (a double click) is harmless.
    assert services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3)).is_finalised


def test_correction_is_a_new_version_with_a_reason_and_a_traced_ledger_line(team, agent, supervisor, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    with pytest.raises(services.CompensationError, match="why"):
        services.correct_statement(team=team, month=OCTOBER, actor=supervisor.profile, reason="")
    logbook = october[17].logbooks.get()
    logbook.signed_out_at = at(date(2026, 10, 17), 14)  # left at 14:00: 5 h, not 9
    logbook.save()
    corrected = services.correct_statement(
        team=team, month=OCTOBER, actor=supervisor.profile, reason="10-17 签退记录更正为14:00", now=AFTER_OCTOBER
    )
    assert (corrected.version, corrected.is_current, corrected.status) == (2, True, "open")
    assert DutyStatement.objects.get(pk=statement.pk).is_current is False
    assert line(statement, agent.profile).comp_earned == D("9.00")  # the finalised version keeps its figures
    assert line(corrected, agent.profile).comp_earned == D("5.00")
    assert entries(agent.profile) == [
        ("correction", D("-4.00"), date(2026, 10, 17)),
        ("earned", D("9.00"), date(2026, 10, 17)),
    ]
    assert CompTimeEntry.objects.get(kind=EntryKind.CORRECTION).statement == corrected


def test_confirmation_is_reset_when_the_figures_change(team, agent, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    services.respond_to_statement(line(statement, agent.profile), agent=agent.profile, kind="confirmed")
    with pytest.raises(services.CompensationError, match="already answered"):
        services.respond_to_statement(line(statement, agent.profile), agent=agent.profile, kind="confirmed")
    services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    assert StatementResponse.objects.count() == 1  # same figures: the confirmation stands
    october[17].logbooks.update(signed_out_at=at(date(2026, 10, 17), 17))
    services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    assert StatementResponse.objects.count() == 0


def test_only_the_person_answers_for_their_month(team, agent, lead, october):
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    with pytest.raises(services.CompensationError, match="Only the person"):
        services.respond_to_statement(line(statement, agent.profile), agent=lead.profile, kind="confirmed")
    with pytest.raises(services.CompensationError, match="what you dispute"):
        services.respond_to_statement(line(statement, agent.profile), agent=agent.profile, kind="disputed")


# --- the ledger ----------------------------------------------------------------------------------------------


def test_statement_balance_adds_up_from_the_ledger(team, agent, october):
    # An older earning (09-05, 4 h) opens the month; the 9 h of 10-17 come in.
    old = duty_shift(team, date(2026, 9, 5))
    earned(agent.profile, old, 4)
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    mine = line(statement, agent.profile)
    assert (mine.comp_opening, mine.comp_earned, mine.comp_used, mine.comp_balance) == (
        D("4.00"),
        D("9.00"),
        D("0.00"),
        D("13.00"),
    )
    assert queries.balance_of(agent.profile) == D("13.00")


def test_expiry_writes_what_was_not_taken_once(team, agent):
    spring = duty_shift(team, date(2026, 3, 7))
    summer = duty_shift(team, date(2026, 6, 6))
    earned(agent.profile, spring, 9, expires_on=date(2026, 9, 7))
    earned(agent.profile, summer, 9, expires_on=date(2026, 12, 6))
    assert services.expire_comp_time(today=date(2026, 9, 6)) == 0
    assert services.expire_comp_time(today=date(2026, 9, 7)) == 1
    assert services.expire_comp_time(today=date(2026, 9, 8)) == 0  # the nightly job running again
    assert entries(agent.profile, EntryKind.EXPIRED) == [("expired", D("-9.00"), date(2026, 9, 7))]
    assert queries.balance_of(agent.profile) == D("9.00")
    assert services.available_comp_time(agent.profile, today=date(2026, 12, 6)) == D("0.00")


def test_reward_granted_as_comp_time_once(team, agent, manager):
    appraisal = MonthlyAppraisal.objects.create(
        team=team, month=date(2026, 9, 1), status=AppraisalStatus.FINALISED, finalised_at=AFTER_OCTOBER
    )
    score = AgentScore.objects.create(
        appraisal=appraisal, profile=agent.profile, status=ScoreStatus.NO_DUTY, reward_flag=True, excellent_streak=3
    )
    services.grant_reward(score, actor=manager.profile, hours=D("8"))
    with pytest.raises(services.CompensationError, match="already granted"):
        services.grant_reward(score, actor=manager.profile, hours=D("8"))
    assert [(k, h) for k, h, _on in entries(agent.profile)] == [("reward", D("8.00"))]
    plain = AgentScore.objects.create(
        appraisal=appraisal, profile=make_person(Role.AGENT, team).profile, status=ScoreStatus.NO_DUTY
    )
    with pytest.raises(services.CompensationError, match="Only an extra reward"):
        services.grant_reward(plain, actor=manager.profile, hours=D("8"))


def test_company_month_sums_every_team(team, other_team, agent, october):
    services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    summaries = queries.company_month([team, other_team], OCTOBER)
    assert [(s.team, s.people, s.rest_day_hours, s.holiday_hours) for s in summaries] == [
        (team, 2, D("18.00"), D("9.00")),
        (other_team, 0, D("0"), D("0")),
    ]


def test_compute_queries_do_not_grow_with_people(team, supervisor, django_assert_max_num_queries):
    def month_with(count: int, month: date):
        people = [make_person(Role.AGENT, team).profile for _ in range(count)]
        shifts = [duty_shift(team, month + timedelta(days=offset)) for offset in (2, 3, 9)]
        publish(team, [(p, s) for p in people for s in shifts], by=supervisor)
        for profile in people:
            for shift in shifts:
                worked(shift, profile)
        return month

    small = month_with(2, date(2026, 5, 1))
    with django_assert_max_num_queries(40) as few:
        services.compute_statement(team=team, month=small, now=AFTER_OCTOBER)
    large = month_with(30, date(2026, 8, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        services.compute_statement(team=team, month=large, now=AFTER_OCTOBER)


def test_corrected_month_leaves_out_people_hired_after_it(team, agent, supervisor, october):
    # Issue #27 point 10: a correction computed in December listed November's new hires in October with zeros.
    newcomer = make_person(Role.AGENT, team, username="newcomer", name="新同事").profile
    newcomer.hire_date = date(2026, 11, 16)
    newcomer.save(update_fields=["hire_date"])
    earlier = make_person(Role.AGENT, team, username="earlier", name="老同事").profile
    earlier.hire_date = date(2026, 10, 31)
    earlier.save(update_fields=["hire_date"])
    statement = services.compute_statement(team=team, month=OCTOBER, now=AFTER_OCTOBER)
    services.finalise_statement(statement, actor=supervisor.profile, today=date(2026, 11, 3))
    corrected = services.correct_statement(
        team=team, month=OCTOBER, actor=supervisor.profile, reason="补录", now=AFTER_OCTOBER
    )
    names = set(corrected.lines.values_list("profile__name", flat=True))
    assert "新同事" not in names and "老同事" in names and agent.profile.name in names
