"""Reads of duty hours and compensation, each in a fixed number of queries whatever the number of people.

The hours come from what happened: the roster in force (roster.queries.published_assignments), the duty day's
attendance (logbook.queries.attendance), the company holiday calendar (workcalendar.queries) and the team's calendar
overrides (roster.queries.calendar_overrides).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from compensation import rules
from compensation.models import (
    CompensationPolicy,
    CompTimeEntry,
    DutyStatement,
    EntryKind,
    PolicyException,
    StatementLine,
    StatementResponse,
    Treatment,
)
from dutydesk.models import Profile, Role
from dutydesk.months import add_months, month_end
from logbook.queries import attendance as logbook_attendance
from roster.queries import calendar_overrides, published_assignments
from workcalendar import days as company
from workcalendar.queries import calendar_between

DUTY_ROLES = (Role.AGENT, Role.LEAD)
ZERO = rules.ZERO


# --- policies -------------------------------------------------------------------------------------------------


def policy_of(team) -> CompensationPolicy:
    """The team's saved policy, or an unsaved one with the defaults."""
    return CompensationPolicy.objects.filter(team=team).first() or CompensationPolicy(team=team)


def plain_policy(policy: CompensationPolicy) -> rules.Policy:
    return rules.Policy(
        rest_day_treatment=policy.rest_day_treatment,
        rest_day_ratio=Decimal(policy.rest_day_ratio),
        rest_day_multiplier=Decimal(policy.rest_day_multiplier),
        holiday_multiplier=Decimal(policy.holiday_multiplier),
        holiday_comp_time=policy.holiday_comp_time,
        holiday_ratio=Decimal(policy.holiday_ratio),
        expiry_months=policy.expiry_months,
    )


def exception_values(exception: PolicyException | None) -> dict | None:
    if exception is None:
        return None
    return {name: getattr(exception, name) for name in rules.EXCEPTION_FIELDS}


def exceptions_of(team) -> QuerySet[PolicyException]:
    return (
        PolicyException.objects.filter(profile__team=team).select_related("profile", "set_by").order_by("profile__name")
    )


# --- the month's inputs ---------------------------------------------------------------------------------------


@dataclass
class PersonInputs:
    profile_id: int
    name: str
    username: str
    team_id: int
    exception: dict | None = None
    shifts: list[rules.ShiftInput] = field(default_factory=list)


@dataclass
class TeamInputs:
    team_id: int
    policy: rules.Policy
    overrides: dict[date, str]
    people: list[PersonInputs]
    # The company calendar of the month, and of the next day (a night shift on the 31st ends on the 1st).
    calendar: company.Calendar


def month_inputs(team_ids: list[int], month: date) -> dict[int, TeamInputs]:
    """Per team: its policy, calendar overrides, the company calendar, and every person to state (active duty staff
    of the team, and whoever holds one of its shifts this month) with their shifts and attendance. Eight queries (nine
    when a year of the calendar changed since it was last read)."""
    start, end = month, month_end(month)
    policies = {p.team_id: p for p in CompensationPolicy.objects.filter(team_id__in=team_ids)}
    overrides = calendar_overrides(team_ids, start, end)
    days = calendar_between(start, end + timedelta(days=1))
    held = list(
        published_assignments()
        .filter(duty_shift__team_id__in=team_ids, date__range=(start, end))
        .values_list(
            "profile_id",
            "duty_shift__team_id",
            "duty_shift_id",
            "date",
            "duty_shift__shift_type__name",
            "duty_shift__starts_at",
            "duty_shift__ends_at",
            "duty_shift__is_night",
        )
    )
    records = logbook_attendance(team_ids, start, end)
    profile_ids = {row[0] for row in held}
    # The team's duty staff of that month: not someone hired after its last day (a corrected version computed
    # later listed them with zeros, issue #27 point 10) nor someone who had left before it. Whoever held one of its
    # shifts is stated in any case.
    joined_after = Q(hire_date__gt=end)
    left_before = Q(left_on__lt=start)
    people_rows = Profile.objects.filter(
        (Q(team_id__in=team_ids, role__in=DUTY_ROLES, user__is_active=True) & ~joined_after & ~left_before)
        | Q(id__in=profile_ids)
    ).values_list("id", "name", "user__username", "team_id")
    people: dict[tuple[int, int], PersonInputs] = {}
    by_id = {pid: (name, username, team_id) for pid, name, username, team_id in people_rows}
    for pid, (name, username, team_id) in by_id.items():
        if team_id in team_ids:
            people[(team_id, pid)] = PersonInputs(pid, name, username, team_id)
    for pid, team_id, shift_id, day, name, starts, ends, night in held:
        person = people.get((team_id, pid))
        if person is None:  # moved to another team since: stated with the team whose shift it was
            name_, username, _own = by_id[pid]
            person = people[(team_id, pid)] = PersonInputs(pid, name_, username, team_id)
        found = records.get((shift_id, pid))
        person.shifts.append(
            rules.ShiftInput(
                duty_shift_id=shift_id,
                date=day,
                name=name,
                starts=starts,
                ends=ends,
                is_night=night,
                attendance=rules.Attendance(found.signed_in_at, found.signed_out_at, found.away, found.absent)
                if found
                else None,
            )
        )
    exceptions = {
        e.profile_id: exception_values(e)
        for e in PolicyException.objects.filter(profile_id__in=[p.profile_id for p in people.values()])
    }
    result = {}
    for team_id in team_ids:
        members = sorted((p for (t, _pid), p in people.items() if t == team_id), key=lambda p: (p.name, p.profile_id))
        for person in members:
            person.exception = exceptions.get(person.profile_id)
        policy = policies.get(team_id) or CompensationPolicy()
        result[team_id] = TeamInputs(team_id, plain_policy(policy), overrides.get(team_id, {}), members, days)
    return result


# --- the comp-time ledger -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFigures:
    opening: Decimal = ZERO
    earned: Decimal = ZERO  # on duty, with corrections
    granted: Decimal = ZERO  # appraisal rewards
    used: Decimal = ZERO  # positive
    expired: Decimal = ZERO  # positive

    @property
    def balance(self) -> Decimal:
        return self.opening + self.earned + self.granted - self.used - self.expired


def ledger_figures(profile_ids: list[int], start: date, end: date) -> dict[int, LedgerFigures]:
    """Per person: balance before `start`, and what came and went from `start` to `end` (inclusive). One query."""

    def within(*kinds):
        return Sum("hours", filter=Q(kind__in=kinds, on__gte=start, on__lte=end), default=ZERO)

    rows = (
        CompTimeEntry.objects.filter(profile_id__in=profile_ids, on__lte=end)
        .values("profile_id")
        .annotate(
            opening=Sum("hours", filter=Q(on__lt=start), default=ZERO),
            earned=within(EntryKind.EARNED, EntryKind.CORRECTION),
            granted=within(EntryKind.REWARD),
            used=within(EntryKind.USED),
            expired=within(EntryKind.EXPIRED),
        )
        .order_by()
    )
    return {
        row["profile_id"]: LedgerFigures(row["opening"], row["earned"], row["granted"], -row["used"], -row["expired"])
        for row in rows
    }


def balance_of(profile) -> Decimal:
    return CompTimeEntry.objects.filter(profile=profile).aggregate(total=Sum("hours", default=ZERO))["total"]


def balances(profile_ids: list[int]) -> dict[int, Decimal]:
    return dict(
        CompTimeEntry.objects.filter(profile_id__in=profile_ids)
        .values("profile_id")
        .annotate(total=Sum("hours"))
        .order_by()
        .values_list("profile_id", "total")
    )


def ledger_of(profile) -> QuerySet[CompTimeEntry]:
    """A person's ledger, newest first, each line with what it is traced to."""
    return (
        CompTimeEntry.objects.filter(profile=profile)
        .select_related(
            "duty_shift__shift_type", "leave", "reward_score__appraisal", "source", "statement", "created_by"
        )
        .order_by("-on", "-id")
    )


def plain_ledger(profile_id: int) -> tuple[list[rules.Lot], list[rules.Spend], dict]:
    """A person's ledger as plain lots and spends for rules.run_ledger, and the line each lot expires against."""
    lots: dict = {}
    lines: dict = {}
    spends = []
    for line in CompTimeEntry.objects.filter(profile_id=profile_id).order_by("on", "id"):
        if line.kind in (EntryKind.EARNED, EntryKind.CORRECTION):
            key = ("shift", line.duty_shift_id)
        elif line.kind == EntryKind.REWARD:
            key = ("reward", line.reward_score_id)
        else:
            if line.kind == EntryKind.USED:
                spends.append(rules.Spend(-line.hours, line.on))
            continue
        lot = lots.get(key)
        if lot is None:
            lots[key] = rules.Lot(key, line.hours, line.on, line.expires_on)
            lines[key] = line
        else:
            lots[key] = rules.Lot(key, lot.hours + line.hours, lot.on, lot.expires_on)
            if line.kind == EntryKind.EARNED:
                lines[key] = line  # the expiry line points at the earnings rather than a correction
    return list(lots.values()), spends, lines


def already_expired(source_ids: list[int]) -> set[int]:
    return set(
        CompTimeEntry.objects.filter(kind=EntryKind.EXPIRED, source_id__in=source_ids).values_list(
            "source_id", flat=True
        )
    )


def people_with_due_expiry(today: date) -> list[int]:
    """People with earnings or rewards whose expiry date has come and that have not been expired yet."""
    return list(
        CompTimeEntry.objects.filter(
            kind__in=[EntryKind.EARNED, EntryKind.REWARD, EntryKind.CORRECTION],
            expires_on__lte=today,
            expiries__isnull=True,
        )
        .values_list("profile_id", flat=True)
        .distinct()
        .order_by("profile_id")
    )


def expiring_soon(profile, *, today: date, months: int = 1) -> list[CompTimeEntry]:
    """Earnings of the person expiring within `months`, soonest first (shown beside the balance)."""
    return list(
        CompTimeEntry.objects.filter(
            profile=profile,
            kind__in=[EntryKind.EARNED, EntryKind.REWARD],
            expires_on__gt=today,
            expires_on__lte=add_months(today, months),
        )
        .select_related("duty_shift__shift_type")
        .order_by("expires_on", "id")
    )


# --- statements -----------------------------------------------------------------------------------------------


def current_statement(team, month: date) -> DutyStatement | None:
    return (
        DutyStatement.objects.filter(team=team, month=month, is_current=True)
        .select_related("computed_by", "finalised_by")
        .first()
    )


def versions_of(team, month: date) -> QuerySet[DutyStatement]:
    return DutyStatement.objects.filter(team=team, month=month).order_by("-version")


def statement_lines(statement: DutyStatement | None) -> list[StatementLine]:
    if statement is None:
        return []
    return list(statement.lines.select_related("profile__user", "response__resolved_by").order_by("profile__name"))


def line_of(statement: DutyStatement | None, profile) -> StatementLine | None:
    if statement is None:
        return None
    return (
        StatementLine.objects.filter(statement=statement, profile=profile)
        .select_related("response__resolved_by", "statement")
        .first()
    )


def open_disputes(team, month: date) -> QuerySet[StatementResponse]:
    return StatementResponse.objects.filter(
        line__statement__team=team,
        line__statement__month=month,
        line__statement__is_current=True,
        kind="disputed",
        resolved_at__isnull=True,
    )


def months_of(team, *, today: date, count: int = 12) -> list[tuple[date, DutyStatement | None]]:
    """The last `count` months, newest first, each with its current statement (or None)."""
    months = [add_months(today.replace(day=1), -offset) for offset in range(count)]
    current = {s.month: s for s in DutyStatement.objects.filter(team=team, is_current=True, month__in=months)}
    return [(m, current.get(m)) for m in months]


def my_statements(profile, *, count: int = 12) -> list[StatementLine]:
    """The person's lines in current statement versions, newest month first."""
    return list(
        StatementLine.objects.filter(profile=profile, statement__is_current=True)
        .select_related("statement__team", "response")
        .order_by("-statement__month")[:count]
    )


def my_line(profile, month: date) -> StatementLine | None:
    return (
        StatementLine.objects.filter(profile=profile, statement__month=month, statement__is_current=True)
        .select_related("statement__team", "response__resolved_by")
        .order_by("-statement__computed_at")
        .first()
    )


@dataclass(frozen=True)
class TeamSummary:
    team: object
    statement: DutyStatement | None
    people: int = 0
    rest_day_hours: Decimal = ZERO
    holiday_hours: Decimal = ZERO
    overtime_pay_units: Decimal = ZERO
    comp_earned: Decimal = ZERO
    comp_used: Decimal = ZERO
    comp_balance: Decimal = ZERO
    open_disputes: int = 0


def company_month(teams: list, month: date) -> list[TeamSummary]:
    """Every team's month at a glance, for managers (sums of the current statements' lines). Two queries."""
    statements = {s.team_id: s for s in DutyStatement.objects.filter(team__in=teams, month=month, is_current=True)}
    totals = {
        row["statement_id"]: row
        for row in StatementLine.objects.filter(statement__in=statements.values())
        .values("statement_id")
        .annotate(
            people=Count("id"),
            rest_day_hours=Sum("rest_day_hours"),
            holiday_hours=Sum("holiday_hours"),
            overtime_pay_units=Sum("overtime_pay_units"),
            comp_earned=Sum("comp_earned"),
            comp_used=Sum("comp_used"),
            comp_balance=Sum("comp_balance"),
            open_disputes=Count("id", filter=Q(response__kind="disputed", response__resolved_at__isnull=True)),
        )
        .order_by()
    }
    result = []
    for team in teams:
        statement = statements.get(team.pk)
        row = totals.get(statement.pk, {}) if statement else {}
        values = {k: v for k, v in row.items() if k != "statement_id"}
        result.append(TeamSummary(team=team, statement=statement, **values))
    return result


def reward_candidates(team) -> list:
    """R-APP-5: people of the team with an extra reward in a finalised appraisal month, and whether it was already
    granted as comp time (through appraisal.queries, the appraisal's contract)."""
    from appraisal.queries import rewarded_scores

    scores = list(rewarded_scores(team))
    granted = dict(
        CompTimeEntry.objects.filter(kind=EntryKind.REWARD, reward_score__in=scores).values_list(
            "reward_score_id", "hours"
        )
    )
    return [(score, granted.get(score.pk)) for score in scores]


def now_local() -> datetime:
    return timezone.localtime()


def duty_people(team) -> QuerySet[Profile]:
    return Profile.objects.filter(team=team, role__in=DUTY_ROLES, user__is_active=True).order_by("name")


def team_balances(team) -> list[tuple[Profile, Decimal]]:
    people = list(duty_people(team).select_related("user"))
    found = balances([p.pk for p in people])
    return [(p, found.get(p.pk, ZERO)) for p in people]


def comp_time_profiles(team_id: int, profile_ids: list[int]) -> set[int]:
    """Of these people of the team, those whose rest-day duty earns comp time (the team's policy, a person's
    exception winning): what the roster asks (roster.comp_time) when the team leaves such hours out of the
    extended-hours cap (R-LAW-2). Two queries."""
    policy = CompensationPolicy.objects.filter(team_id=team_id).values_list("rest_day_treatment", flat=True).first()
    team_treatment = policy or Treatment.COMP_TIME  # the default policy: comp time 1:1
    own = dict(
        PolicyException.objects.filter(profile_id__in=profile_ids)
        .exclude(rest_day_treatment="")
        .values_list("profile_id", "rest_day_treatment")
    )
    return {pid for pid in profile_ids if own.get(pid, team_treatment) == Treatment.COMP_TIME}
