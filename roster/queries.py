"""Reads of the roster: who holds which shift in the version in force, and the plain data the rules work on."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dutydesk.models import Profile, ProtectionPeriod, Qualification, Role, Team
from dutydesk.months import add_months, month_end, month_start, previous_month
from roster import absences, calendar, claimed, comp_time, feed, rules
from roster import instance as plain
from roster import wishes as wish_rules
from roster.models import (
    Assignment,
    AssignmentRole,
    Availability,
    AvailabilityKind,
    DutyShift,
    GenerationRun,
    Roster,
    RosterVersion,
    ShiftType,
    ShiftWish,
    TeamRosterSettings,
)
from workcalendar import days as company_days
from workcalendar import queries as company_calendar

DUTY_ROLES = (Role.AGENT, Role.LEAD)  # team leads are on duty too (DOMAIN.md: all an agent can)


def published_assignments() -> QuerySet[Assignment]:
    """Assignments of the published version in force of every roster (R-ROSTER-9: the latest version)."""
    return Assignment.objects.filter(version=F("version__roster__published_version")).select_related(
        "duty_shift__shift_type", "profile"
    )


def shifts_of(profile, *, start: date, end: date | None = None) -> QuerySet[Assignment]:
    """A person's published assignments from `start` (inclusive) to `end` (inclusive), in time order."""
    assignments = published_assignments().filter(profile=profile, date__gte=start)
    if end is not None:
        assignments = assignments.filter(date__lte=end)
    return assignments.order_by("duty_shift__starts_at")


def holders(duty_shift: DutyShift) -> QuerySet[Assignment]:
    """Who holds a duty shift in the published version in force (shadows included, with their role)."""
    return published_assignments().filter(duty_shift=duty_shift).order_by("role", "profile__name")


def roster_for(team, month: date) -> Roster | None:
    """The roster of `month` with its team, the team's roster settings (for month_data) and the version in force."""
    return (
        Roster.objects.filter(team=team, month=month_start(month))
        .select_related("team__roster_settings", "published_version")
        .first()
    )


def _calendar_span(month: date) -> tuple[date, date]:
    # The month and the weeks around it: a week's rest day (R-LAW-1) may fall in the month before or after.
    return month_start(month) - timedelta(days=6), month_end(month) + timedelta(days=6)


def _calendar_years(month: date) -> tuple[int, int]:
    first, last = _calendar_span(month)
    return first.year, last.year


def month_calendar(roster: Roster) -> company_days.Calendar:
    """The company calendar (workcalendar.days) of the roster's month and the six days on either side, for the rules
    that ask what a date is. No query for a roster read by roster_with_draft while the years are remembered; one
    (or two, after a change) otherwise."""
    first, last = _calendar_span(roster.month)
    stamps = None
    if hasattr(roster, "calendar_years"):
        stamps = company_calendar.stamps_of(roster.calendar_years, first.year, last.year)
    return company_calendar.calendar_between(first, last, stamps=stamps)


def provisional_year(roster: Roster | None, month: date | None = None) -> int | None:
    """The year of the roster's month (or of `month`) when its holidays are not yet official (R-CAL-1), else None.
    No query for a roster read by roster_with_draft."""
    year = (roster.month if roster is not None else month_start(month)).year
    if roster is not None and hasattr(roster, "calendar_years"):
        provisional = company_calendar.status_in(roster.calendar_years, year) != company_days.OFFICIAL
    else:
        provisional = bool(company_calendar.provisional_years([year]))
    return year if provisional else None


def draft_of(roster: Roster) -> RosterVersion | None:
    return roster.versions.filter(published_at__isnull=True).first()


def settings_for(team) -> TeamRosterSettings:
    return TeamRosterSettings.objects.get_or_create(team=team)[0]


def availability_deadline(team, month: date) -> date:
    """The last day the team's people declare availability for `month` (its settings, rules.availability_deadline)."""
    settings = settings_for(team)
    return rules.availability_deadline(
        month, publish_days_ahead=settings.publish_days_ahead, closes_days=settings.availability_closes_days
    )


def wish_window_of(team, month: date, *, today: date) -> dict:
    """The wish window of `month` (issue 26): opens, closes, state ("early", "open", "closed"), the team's N
    wished days off and its wish weight."""
    settings = settings_for(team)
    opens, closes = wish_rules.wish_window(
        month, opens_day=settings.wish_window_opens_day, closes_day=settings.wish_window_closes_day
    )
    state = wish_rules.window_state(
        month, today, opens_day=settings.wish_window_opens_day, closes_day=settings.wish_window_closes_day
    )
    return {"opens": opens, "closes": closes, "state": state, "days_off": settings.wish_days_off}


def shift_wishes_of(profile, month: date) -> dict[int, str]:
    """{shift type id: "prefer" | "avoid"} the person marked for `month`."""
    return dict(
        ShiftWish.objects.filter(profile=profile, month=month_start(month)).values_list("shift_type_id", "kind")
    )


def wish_outcomes_for(team, month: date) -> tuple[plain.Instance, list] | None:
    """The wished days off of `month` against the roster in force (None before it is published): the plain month
    and roster.wishes.wish_outcomes."""
    roster = roster_for(team, month)
    if roster is None or not roster.published_version_id:
        return None
    instance, assignments = month_data(roster, roster.published_version_id)
    return instance, wish_rules.wish_outcomes(instance, assignments)


def wish_days(team, start: date, end: date) -> list[tuple[int, date, bool]]:
    """(profile id, date, granted) for every wished day off (issue 26) from `start` to `end` in months whose roster
    is published: granted when the person holds no shift that date in the version in force. Two queries."""
    published = Roster.objects.filter(
        team=team, month__gte=month_start(start), month__lte=end, published_version__isnull=False
    ).values("month")
    wished = list(
        Availability.objects.filter(
            profile__team=team,
            kind=AvailabilityKind.WISH_OFF,
            date__range=(start, end),
        )
        .annotate(month=TruncMonth("date"))
        .filter(month__in=Subquery(published))
        .values_list("profile_id", "date")
    )
    worked = set(
        published_assignments()
        .filter(version__roster__team=team, date__in=sorted({day for _pid, day in wished}))
        .values_list("profile_id", "date")
    )
    return [(pid, day, (pid, day) not in worked) for pid, day in wished]


def _staying(on: date) -> Q:
    # A leaver's account is closed once they have gone; until then (left_on still ahead) they are on duty.
    return Q(left_on__isnull=True, user__is_active=True) | Q(left_on__gt=on)


def duty_staff(team, *, on: date | None = None) -> QuerySet[Profile]:
    """The team's duty staff who have not left by `on` (default today): from the date they leave, a person is not
    offered for drafts, swaps or substitutes."""
    return (
        Profile.objects.filter(_staying(on or timezone.localdate()), team=team, role__in=DUTY_ROLES)
        .prefetch_related("skills")
        .order_by("name")
    )


def month_staff(roster: Roster) -> QuerySet[Profile]:
    """Duty staff of a roster's month: who had not left by its first day, and leavers who still hold a shift in
    one of its versions (shown, so that a revision can give the shift to someone else)."""
    holding = Assignment.objects.filter(version__roster=roster).values("profile_id")
    return (
        Profile.objects.filter(
            _staying(roster.month) | Q(left_on__isnull=False, pk__in=holding), team=roster.team_id, role__in=DUTY_ROLES
        )
        .prefetch_related("skills")
        .order_by("name")
    )


def leaver_shifts(version: RosterVersion | None) -> list[Assignment]:
    """Shifts of a version held by people on or after the date they leave: flagged for a revision."""
    if version is None:
        return []
    return list(
        version.assignments.filter(profile__left_on__isnull=False, date__gte=F("profile__left_on"))
        .select_related("profile", "duty_shift__shift_type")
        .order_by("date", "duty_shift__starts_at", "profile__name")
    )


def shifts_by_id(ids) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(pk__in=ids).select_related("shift_type").order_by("starts_at")


def shifts_starting(team, start: datetime, end: datetime) -> QuerySet[DutyShift]:
    """The team's duty shifts that start between `start` and `end` (inclusive), in time order."""
    return (
        DutyShift.objects.filter(team=team, starts_at__range=(start, end))
        .select_related("shift_type")
        .order_by("starts_at")
    )


def shifts_on(team, days) -> QuerySet[DutyShift]:
    """The team's duty shifts on these dates, with their shift types, in time order."""
    return DutyShift.objects.filter(team=team, date__in=days).select_related("shift_type").order_by("starts_at")


def months_with_shifts(team, *, since: date) -> list[date]:
    """The months (their first days) that hold duty shifts of the team from `since` on, in order."""
    days = DutyShift.objects.filter(team=team, date__gte=since).values_list("date", flat=True).distinct()
    return sorted({month_start(day) for day in days})


def month_shifts(roster: Roster) -> QuerySet[DutyShift]:
    """The month's laid-out duty shifts (those a new draft or a generation fills)."""
    return (
        DutyShift.objects.filter(
            team=roster.team_id, date__range=(roster.month, month_end(roster.month)), laid_out=True
        )
        .select_related("shift_type")
        .prefetch_related("shift_type__required_skills")
        .order_by("date", "starts_at")
    )


def roster_with_draft(team: Team, month: date) -> Roster | None:
    """The roster of `month` as the draft page and its cell edits read it, in one query: the version in force, the
    team's roster settings (for month_data), `draft_id` (None without a draft) and `latest_run` (the latest
    generation run, None before the first).

    The draft grid must cost a fixed, small number of queries (issue 14: at most 8 for the whole request), so what
    would be four more reads (the draft, the settings, the latest run, the status of the month's year in the company
    calendar: `provisional_year`) comes back with the roster row. Written out (see _ROSTER_SQL): the ORM's statement
    with its four subqueries cost 2-3 ms to compile on every view of the grid, more than it takes to run (issue 22
    item 8). `team` is the Team the rows belong to (the request's); it becomes the roster's.
    """
    first = month_start(month)
    years = company_calendar.years_annotation(*_calendar_years(month))
    with connection.cursor() as cursor:
        cursor.execute(
            _ROSTER_SQL.format(years=years.sql),
            [first, month_end(first), *years.params, team.pk, first],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    roster = _instance(Roster, _ROSTER_FIELDS, values)
    version = _instance(RosterVersion, _VERSION_FIELDS, values)
    team_settings = _instance(TeamRosterSettings, _SETTINGS_FIELDS, values)
    roster.draft_id, run, kept, roster.calendar_years = (next(values), *map(_json, values))
    Roster.team.field.set_cached_value(roster, team)
    Roster.published_version.field.set_cached_value(roster, version)
    if team_settings is not None:
        Team.roster_settings.related.set_cached_value(team, team_settings)
    roster.latest_run = (
        None
        if run is None
        else GenerationRun.from_db(
            "default", [f.attname for f in _RUN_FIELDS], [f.to_python(run[f.attname]) for f in _RUN_FIELDS]
        )
    )
    roster.kept_shifts = _kept_by_name((row["name"], date.fromisoformat(row["day"])) for row in kept)
    return roster


def _instance(model, fields, values):
    """The next len(fields) values of a row as an instance of `model` (None when its key is NULL: a LEFT JOIN found
    none), each value converted from the database as the ORM converts it."""
    row = [next(values) for _ in fields]
    if row[0] is None:
        return None
    converted = []
    for field, value in zip(fields, row, strict=True):
        for converter in connection.ops.get_db_converters(field) + field.get_db_converters(connection):
            value = converter(value, field, connection)
        converted.append(value)
    return model.from_db("default", [f.attname for f in fields], converted)


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _primary_key_first(model) -> list:
    fields = model._meta.concrete_fields
    return [model._meta.pk, *(f for f in fields if not f.primary_key)]


def _columns(alias: str, fields) -> str:
    return ", ".join(f'{alias}."{f.column}"' for f in fields)


_ROSTER_FIELDS = _primary_key_first(Roster)
_VERSION_FIELDS = _primary_key_first(RosterVersion)
_SETTINGS_FIELDS = _primary_key_first(TeamRosterSettings)

_RUN_FIELDS = GenerationRun._meta.concrete_fields
# The roster's latest generation run as one JSON object (its columns by name). Written out: the ORM's JSONObject of
# thirteen columns cost a millisecond to compile on every view of the draft (issue 14).
_LATEST_RUN = RawSQL(
    f"SELECT to_jsonb(run) FROM {GenerationRun._meta.db_table} run WHERE run.roster_id = {Roster._meta.db_table}.id"
    " ORDER BY run.created_at DESC, run.id DESC LIMIT 1",
    (),
    output_field=JSONField(),
)

# roster_with_draft's statement: the roster row, its version in force and the team's settings (LEFT JOINs: either
# may be missing), the draft's id, the latest run (_LATEST_RUN), the shifts whose type the settings no longer have
# but a published version staffs (_kept, as JSON), and the company calendar's years around the month
# (workcalendar.queries.years_annotation). Tests: roster/tests/test_month_data.py (the same roster as the ORM reads).
_ROSTER_SQL = (
    f"SELECT {_columns(Roster._meta.db_table, _ROSTER_FIELDS)}, {_columns('v', _VERSION_FIELDS)},"
    f" {_columns('st', _SETTINGS_FIELDS)},"
    f" (SELECT d.id FROM {RosterVersion._meta.db_table} d WHERE d.roster_id = {Roster._meta.db_table}.id"
    " AND d.published_at IS NULL LIMIT 1),"
    f" ({_LATEST_RUN.sql}),"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('name', t.name, 'day', s.date) ORDER BY s.date, s.id), '[]')"
    f" FROM {DutyShift._meta.db_table} s JOIN {ShiftType._meta.db_table} t ON t.id = s.shift_type_id"
    f" WHERE s.team_id = {Roster._meta.db_table}.team_id AND s.date BETWEEN %s AND %s AND NOT t.active"
    f" AND EXISTS (SELECT 1 FROM {Assignment._meta.db_table} a JOIN {RosterVersion._meta.db_table} p"
    " ON p.id = a.version_id WHERE a.duty_shift_id = s.id AND p.published_at IS NOT NULL)),"
    " ({years})"
    f" FROM {Roster._meta.db_table}"
    f" LEFT JOIN {RosterVersion._meta.db_table} v ON v.id = {Roster._meta.db_table}.published_version_id"
    f" LEFT JOIN {TeamRosterSettings._meta.db_table} st ON st.team_id = {Roster._meta.db_table}.team_id"
    f" WHERE {Roster._meta.db_table}.team_id = %s AND {Roster._meta.db_table}.month = %s"
)


def solver_instance(roster: Roster, *, seed: int = 0, leave: dict[int, set[date]] | None = None) -> plain.Instance:
    """The month as plain data for roster.solver and roster.rules, in a fixed number of queries (see month_data).

    `leave` maps profile ids to dates of approved leave (R-ROSTER-8); the leave app passes it in.
    """
    return month_data(roster, seed=seed, leave=leave)[0]


def month_data(
    roster: Roster,
    version_id: int | None = None,
    *,
    seed: int = 0,
    leave: dict[int, set[date]] | None = None,
) -> tuple[plain.Instance, list[plain.Assignment]]:
    """The month as plain data (agents, duty days, settings) and the assignments of version `version_id` (none
    when None), in 2 queries for a roster read by roster_with_draft while the company calendar's years are
    remembered; one more for the team's settings and one for the calendar's years otherwise.

    One query for the agents with everything the rules know of each (skills, wishes, leave, history), one for the
    duty shifts with their required skills and who holds them in the version: the query count never grows with
    agents or days.
    """
    settings = _settings_of(roster)
    last_day = month_end(roster.month)
    skill_names: dict[str, str] = {}  # messages name skills as people know them (VIP专线, not vip)
    days, assignments = _plain_days(roster, version_id, last_day, skill_names)
    law_span = _law_span(roster.month, settings)
    agents = _plain_agents(roster, settings, last_day, leave, skill_names, [d.date for d in days], law_span)
    if not settings.count_comp_time_hours:
        # R-LAW-2: the team leaves comp-time hours out of the cap; compensation says whose rest days earn comp time.
        earning = comp_time.comp_time_people(roster.team_id, [a.id for a in agents])
        agents = tuple(dataclasses.replace(a, comp_time=True) if a.id in earning else a for a in agents)
    instance = plain.Instance(
        month=f"{roster.month:%Y-%m}",
        agents=agents,
        days=days,
        skill_names=tuple(sorted(skill_names.items())),
        settings=plain.Settings(
            max_consecutive_nights=settings.max_consecutive_nights,
            max_shifts_per_day=1,  # the database allows one shift per person per date (R-ROSTER-8)
            time_limit_s=float(settings.solver_time_limit_s),
            seed=seed,
            wish_weight=settings.wish_weight,
        ),
        working_time=_working_time(roster, settings, law_span, days, agents),
    )
    return instance, assignments


@dataclasses.dataclass(frozen=True)
class _LawSpan:
    """The dates the working-time law looks at for a month: the weeks touching it (and the Monday after, where a
    Sunday night ends), and the settlement period (comprehensive hours). Other months' shifts are read over both."""

    first: date  # the Monday of the month's first week
    last: date  # the Monday after the month's last week
    period_start: date
    period_end: date
    period_months: int

    @property
    def shifts_from(self) -> date:
        return min(self.first, self.period_start)

    @property
    def shifts_until(self) -> date:
        return max(self.last, self.period_end)


def _law_span(month: date, settings: TeamRosterSettings) -> _LawSpan:
    start, end = month_start(month), month_end(month)
    months = settings.settlement_months if settings.working_time_system == plain.SYSTEM_COMPREHENSIVE else 1
    # A settlement period of whole calendar months counted from January (a quarter: January-March ...).
    period_start = start.replace(month=(start.month - 1) // months * months + 1)
    period_end = month_end(add_months(period_start, months - 1))
    return _LawSpan(
        first=start - timedelta(days=start.weekday()),
        last=end + timedelta(days=7 - end.weekday()),
        period_start=period_start,
        period_end=period_end,
        period_months=months,
    )


def _working_time(
    roster: Roster,
    settings: TeamRosterSettings,
    span: _LawSpan,
    days: tuple[plain.DutyDay, ...],
    agents: tuple[plain.Agent, ...],
) -> plain.WorkingTime:
    """The team's working-time rules for the month as plain data (R-LAW-1, -2): the kind of every date they look
    at, here and only here, asked of the company calendar (workcalendar.days.kind_of with the team's regular week:
    its 调休上班 days added, its holidays and holiday breaks taken out). No query for a roster read by
    roster_with_draft while the calendar's years are remembered; one otherwise."""
    dates = {span.first + timedelta(days=i) for i in range((span.last - span.first).days + 1)}
    for agent in agents:
        for other in agent.other_shifts:
            dates.update((other.date, other.date + timedelta(days=1)))
    first, last = min(dates), max(dates)
    stamps = None
    if hasattr(roster, "calendar_years"):
        stamps = company_calendar.stamps_of(roster.calendar_years, *_calendar_years(roster.month))
    company = company_calendar.calendar_between(first, last, stamps=stamps)
    # A duty day the team marked as a holiday (R-ROSTER-1 override) is a holiday; a holiday break's other days
    # (which the duty day also flags) are rest days, as duty-hours statements count them (compensation.rules).
    marked = {d.date for d in days if d.holiday and not company_days.is_holiday_break(company, d.date)}
    regular = frozenset(settings.regular_weekdays)
    law_kind = {
        company_days.HOLIDAY: plain.HOLIDAY,
        company_days.REST: plain.REST_DAY,
        company_days.WORKDAY: plain.WORKDAY,
    }
    kinds = [
        (day, plain.HOLIDAY if day in marked else law_kind[company_days.kind_of(company, day, week=regular)])
        for day in sorted(dates)
    ]
    comprehensive = settings.working_time_system == plain.SYSTEM_COMPREHENSIVE
    return plain.WorkingTime(
        system=settings.working_time_system,
        days=tuple(kinds),
        cap_hours=settings.extended_hours_cap,
        period_start=span.period_start if comprehensive else None,
        period_end=span.period_end if comprehensive else None,
        period_months=span.period_months,
        count_comp_time=settings.count_comp_time_hours,
    )


def _settings_of(roster: Roster) -> TeamRosterSettings:
    # Read with the roster by roster_with_draft (select_related); otherwise one query, creating the defaults.
    if Roster.team.is_cached(roster) and Team.roster_settings.is_cached(roster.team):
        try:
            return roster.team.roster_settings
        except TeamRosterSettings.DoesNotExist:
            pass
    return TeamRosterSettings.objects.get_or_create(team_id=roster.team_id)[0]


def _plain_agents(
    roster: Roster,
    settings: TeamRosterSettings,
    last_day: date,
    leave: dict[int, set[date]] | None,
    skill_names: dict[str, str],
    duty_dates: list[date],
    law_span: _LawSpan,
) -> tuple[plain.Agent, ...]:
    """The duty staff as plain agents, in one query (see _AGENTS_SQL): each with their skills, wishes, approved
    leave and their published shifts of earlier months, counted in the database. Adds the names of their skills
    to `skill_names` (code -> name)."""
    previous, history_from = previous_month(roster.month), add_months(roster.month, -3)
    # Who is on duty and what counts as approved leave are defined once, by these querysets; the statement around
    # them only gathers, per agent, what the rules need.
    staff_sql, staff_params = month_staff(roster).order_by().values("id").query.sql_with_params()
    leave_sql, leave_params = absences.approved_sql(roster.team_id, roster.month, last_day)
    params = [  # in the order the statement names them
        *staff_params,  # staff
        roster.month,  # published: the versions in force of the months before
        roster.month,
        history_from,
        AssignmentRole.SHADOW,  # earlier
        *leave_params,  # leave
        roster.team_id,
        previous,
        roster.month,  # last month's duty dates
        roster.month,
        last_day,  # wishes
        history_from,
        AssignmentRole.SHADOW,
        history_from,
        AssignmentRole.SHADOW,  # counts
        history_from,
        AssignmentRole.SHADOW,
        AssignmentRole.SHADOW,
        previous,
        law_span.first,  # protection periods touching the month's weeks (R-LAW-4)
        law_span.last,
        roster.month,  # other months' shifts the working-time law counts (R-LAW-1, -2)
        law_span.shifts_from,
        law_span.shifts_until,
        roster.month,
        last_day,
        roster.month,  # shift wishes of the month
        AvailabilityKind.WISH_OFF,  # wished days off refused last month
        previous,
        roster.month,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_AGENTS_SQL.format(staff=staff_sql, leave=leave_sql, **_TABLES), params)
        rows = cursor.fetchall()
    agents = []
    last_month_days: list[date] | None = None  # the same for every row: sorted once
    for (
        agent_id,
        name,
        qualification,
        qualified_on,
        left_on,
        skill_codes,
        names,
        wish_kinds,
        wish_days,
        leave_days,
        duty,
        night,
        holiday,
        shadows,
        last_nights,
        last_days,
        protected_from,
        protected_until,
        protected_kinds,
        other_dates,
        other_starts,
        other_ends,
        other_nights,
        prefer_shifts,
        avoid_shifts,
        refused_last_month,
    ) in rows:
        # Most people have no wishes, skills of note, protection or other months' shifts: their empty values are
        # shared rather than built 200 times (issue 22 item 8: this loop was a tenth of the grid's first view).
        if skill_codes:
            skill_names.update(zip(skill_codes, names, strict=True))
        unavailable = preferred = prefer_off = days_off = _NONE
        if wish_kinds:
            wished: dict[str, set[date]] = defaultdict(set)
            for kind, day in zip(wish_kinds, wish_days, strict=True):
                wished[kind].add(day)
            unavailable = frozenset(wished[AvailabilityKind.UNAVAILABLE])
            preferred = frozenset(wished[AvailabilityKind.PREFERRED])
            prefer_off = frozenset(wished[AvailabilityKind.PREFER_OFF])
            days_off = frozenset(wished[AvailabilityKind.WISH_OFF])
        if last_month_days is None:
            last_month_days = sorted(last_days or ())
        # R-ROSTER-6: a pass counts from the roster month it names (Profile.qualified_for, people.services).
        qualified = qualification == Qualification.QUALIFIED and (qualified_on is None or qualified_on <= last_day)
        if left_on is not None:
            # From the date a person leaves, they cannot work (their shifts after it show as problems to revise).
            unavailable = unavailable | {day for day in duty_dates if day >= left_on}
        agents.append(
            plain.Agent(
                id=agent_id,
                name=name,
                skills=frozenset(skill_codes) if skill_codes else _NONE,
                qualified=qualified,
                unavailable=unavailable,
                leave=(frozenset(leave_days) if leave_days else _NONE)
                if leave is None
                else frozenset(leave.get(agent_id, ())),
                preferred=preferred,
                prefer_off=prefer_off,
                history=plain.History(duty or 0, night or 0, holiday or 0),
                trailing_nights=_trailing_nights(set(last_nights), last_month_days) if last_nights else 0,
                shadow_shifts_needed=max(settings.shadow_shifts_required - (shadows or 0), 0) if not qualified else 0,
                protections=tuple(
                    plain.Protection(start, end, kind)
                    for start, end, kind in zip(protected_from, protected_until, protected_kinds, strict=True)
                )
                if protected_from
                else (),
                other_shifts=tuple(
                    plain.OtherShift(day, start, end, night)
                    for day, start, end, night in zip(other_dates, other_starts, other_ends, other_nights, strict=True)
                )
                if other_dates
                else (),
                wishes=plain.Wishes(
                    days_off=days_off,
                    prefer_shifts=frozenset(prefer_shifts) if prefer_shifts else _NONE,
                    avoid_shifts=frozenset(avoid_shifts) if avoid_shifts else _NONE,
                    priority=wish_rules.priority(refused_last_month or 0),
                ),
            )
        )
    return tuple(agents)


_NONE: frozenset = frozenset()

_TABLES = {
    "profile": Profile._meta.db_table,
    "profile_skills": Profile.skills.through._meta.db_table,
    "skill": Profile.skills.field.related_model._meta.db_table,
    "availability": Availability._meta.db_table,
    "assignment": Assignment._meta.db_table,
    "duty_shift": DutyShift._meta.db_table,
    "roster": Roster._meta.db_table,
    "shift_type": ShiftType._meta.db_table,
    "shift_skills": ShiftType.required_skills.through._meta.db_table,
    "protection": ProtectionPeriod._meta.db_table,
    "shift_wish": ShiftWish._meta.db_table,
}

# The agents of a month, set-based: each per-agent fact is gathered once for the whole staff and joined, rather
# than looked up agent by agent (200 agents: 2 ms in the database instead of 5, and no ORM expression tree to
# compile on every page, issue 14). Earlier months: R-ROSTER-4 counts the duty, night and holiday shifts of the 3
# months before in the versions in force; R-ROSTER-3 continues last month's nights; R-ROSTER-6 counts every shadow
# shift a new hire has done since they last started shadowing (a failed check starts the count again).
# Tests: roster/tests/test_month_data.py.
_AGENTS_SQL = """
WITH staff (id) AS ({staff}),
published AS (
    SELECT published_version_id FROM {roster} WHERE month < %s AND published_version_id IS NOT NULL
),
earlier AS (
    SELECT a.profile_id, a.date, a.role, s.is_night, s.is_holiday, pp.shadowing_since
    FROM {assignment} a JOIN {duty_shift} s ON s.id = a.duty_shift_id JOIN {profile} pp ON pp.id = a.profile_id
    WHERE a.profile_id IN (SELECT id FROM staff) AND a.version_id IN (SELECT published_version_id FROM published)
      AND a.date < %s AND (a.date >= %s OR a.role = %s)
),
leave (profile_id, day) AS ({leave})
SELECT p.id, p.name, p.qualification, p.qualified_on, p.left_on, skills.codes, skills.names, wishes.kinds,
       wishes.days, leave_days.days,
       counts.duty, counts.night, counts.holiday, counts.shadows, counts.last_nights,
       (SELECT array_agg(DISTINCT d.date) FROM {duty_shift} d WHERE d.team_id = %s AND d.date >= %s AND d.date < %s),
       protection.starts, protection.ends, protection.kinds,
       other.dates, other.starts, other.ends, other.nights,
       kinds.prefer, kinds.avoid, refused.days
FROM {profile} p
LEFT JOIN (
    SELECT ps.profile_id, array_agg(k.code) AS codes, array_agg(k.name) AS names
    FROM {profile_skills} ps JOIN {skill} k ON k.id = ps.skill_id
    WHERE ps.profile_id IN (SELECT id FROM staff) GROUP BY ps.profile_id
) skills ON skills.profile_id = p.id
LEFT JOIN (
    SELECT w.profile_id, array_agg(w.kind) AS kinds, array_agg(w.date) AS days FROM {availability} w
    WHERE w.profile_id IN (SELECT id FROM staff) AND w.date BETWEEN %s AND %s GROUP BY w.profile_id
) wishes ON wishes.profile_id = p.id
LEFT JOIN (SELECT profile_id, array_agg(day) AS days FROM leave GROUP BY profile_id) leave_days
    ON leave_days.profile_id = p.id
LEFT JOIN (
    SELECT profile_id,
           count(*) FILTER (WHERE date >= %s AND role <> %s) AS duty,
           count(*) FILTER (WHERE date >= %s AND role <> %s AND is_night) AS night,
           count(*) FILTER (WHERE date >= %s AND role <> %s AND is_holiday) AS holiday,
           count(*) FILTER (WHERE role = %s AND (shadowing_since IS NULL OR date >= shadowing_since)) AS shadows,
           array_agg(date) FILTER (WHERE is_night AND date >= %s) AS last_nights
    FROM earlier GROUP BY profile_id
) counts ON counts.profile_id = p.id
LEFT JOIN (
    SELECT pp.profile_id, array_agg(pp.starts_on ORDER BY pp.starts_on, pp.id) AS starts,
           array_agg(pp.ends_on ORDER BY pp.starts_on, pp.id) AS ends,
           array_agg(pp.kind ORDER BY pp.starts_on, pp.id) AS kinds
    FROM {protection} pp
    WHERE pp.profile_id IN (SELECT id FROM staff) AND pp.ends_on >= %s AND pp.starts_on <= %s
    GROUP BY pp.profile_id
) protection ON protection.profile_id = p.id
LEFT JOIN (
    SELECT a.profile_id, array_agg(s.date ORDER BY s.starts_at) AS dates, array_agg(t.start ORDER BY s.starts_at)
           AS starts, array_agg(t."end" ORDER BY s.starts_at) AS ends, array_agg(s.is_night ORDER BY s.starts_at)
           AS nights
    FROM {assignment} a JOIN {duty_shift} s ON s.id = a.duty_shift_id JOIN {shift_type} t ON t.id = s.shift_type_id
    WHERE a.profile_id IN (SELECT id FROM staff)
      AND a.version_id IN (
          SELECT published_version_id FROM {roster} WHERE month <> %s AND published_version_id IS NOT NULL
      )
      AND a.date BETWEEN %s AND %s AND NOT a.date BETWEEN %s AND %s
    GROUP BY a.profile_id
) other ON other.profile_id = p.id
LEFT JOIN (
    SELECT sw.profile_id, array_agg(t.key) FILTER (WHERE sw.kind = 'prefer') AS prefer,
           array_agg(t.key) FILTER (WHERE sw.kind = 'avoid') AS avoid
    FROM {shift_wish} sw JOIN {shift_type} t ON t.id = sw.shift_type_id
    WHERE sw.profile_id IN (SELECT id FROM staff) AND sw.month = %s GROUP BY sw.profile_id
) kinds ON kinds.profile_id = p.id
LEFT JOIN (
    SELECT w.profile_id, count(*) AS days FROM {availability} w
    WHERE w.profile_id IN (SELECT id FROM staff) AND w.kind = %s AND w.date >= %s AND w.date < %s
      AND EXISTS (SELECT 1 FROM earlier e WHERE e.profile_id = w.profile_id AND e.date = w.date)
    GROUP BY w.profile_id
) refused ON refused.profile_id = p.id
WHERE p.id IN (SELECT id FROM staff)
ORDER BY p.name, p.id
"""


def _trailing_nights(nights: set[date], days: list[date]) -> int:
    """Night shifts in a row at the end of the previous month's roster (R-ROSTER-3 across months)."""
    run = 0
    for day in reversed(days):
        if day not in nights:
            break
        run += 1
    return run


def _plain_days(
    roster: Roster,
    version_id: int | None,
    last_day: date,
    skill_names: dict[str, str],
) -> tuple[tuple[plain.DutyDay, ...], list[plain.Assignment]]:
    """The month's duty days and shifts, and who holds each shift in version `version_id`, in one query (see
    _DAYS_SQL). Adds the names of the skills the shifts require to `skill_names`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _DAYS_SQL.format(**_TABLES), [version_id, version_id, roster.team_id, roster.month, last_day, version_id]
        )
        rows = cursor.fetchall()
    days: dict[date, list[plain.Shift]] = defaultdict(list)
    flags: dict[date, tuple[bool, bool]] = {}
    assignments = []
    for (
        day,
        holiday,
        promotion,
        night,
        headcount,
        key,
        name,
        start,
        end,
        skill_codes,
        skill_labels,
        holder_ids,
        holder_roles,
    ) in rows:
        flags.setdefault(day, (holiday, promotion))
        skill_names.update(zip(skill_codes, skill_labels, strict=True))
        days[day].append(
            plain.Shift(
                key=key,
                name=name,
                start=start,
                end=end,
                night=night,
                headcount=headcount,
                skills=frozenset(skill_codes),
            )
        )
        assignments += [
            plain.Assignment(agent=agent_id, date=day, shift=key, role=role)
            for agent_id, role in zip(holder_ids, holder_roles, strict=True)
        ]
    duty_days = tuple(
        plain.DutyDay(date=day, holiday=flags[day][0], promotion=flags[day][1], shifts=tuple(shifts))
        for day, shifts in sorted(days.items())
    )
    return duty_days, assignments


# The month's duty shifts with their shift types, required skills and holders in one version (none when the version
# is NULL), in the order the grid shows them; a shift no longer laid out only where the version holds it. Written
# out rather than built with the ORM: the page runs it on every view and cell edit, and compiling the equivalent
# queryset cost as much as running it (issue 14).
_DAYS_SQL = """
SELECT s.date, s.is_holiday, s.is_promotion, s.is_night, s.headcount, t.key, t.name, t.start, t."end",
       ARRAY(SELECT k.code FROM {shift_skills} r JOIN {skill} k ON k.id = r.skill_id
             WHERE r.shifttype_id = s.shift_type_id ORDER BY r.id),
       ARRAY(SELECT k.name FROM {shift_skills} r JOIN {skill} k ON k.id = r.skill_id
             WHERE r.shifttype_id = s.shift_type_id ORDER BY r.id),
       ARRAY(SELECT a.profile_id FROM {assignment} a WHERE a.version_id = %s AND a.duty_shift_id = s.id ORDER BY a.id),
       ARRAY(SELECT a.role FROM {assignment} a WHERE a.version_id = %s AND a.duty_shift_id = s.id ORDER BY a.id)
FROM {duty_shift} s JOIN {shift_type} t ON t.id = s.shift_type_id
WHERE s.team_id = %s AND s.date BETWEEN %s AND %s
  AND (s.laid_out OR EXISTS (SELECT 1 FROM {assignment} a WHERE a.version_id = %s AND a.duty_shift_id = s.id))
ORDER BY s.date, s.starts_at, s.id
"""


def plain_assignments(version: RosterVersion, *, profile_id: int | None = None) -> list[plain.Assignment]:
    """The assignments of `version` as plain data (only `profile_id`'s when given)."""
    rows = version.assignments.all() if profile_id is None else version.assignments.filter(profile_id=profile_id)
    return [
        plain.Assignment(agent=agent_id, date=day, shift=key, role=role)
        for agent_id, day, key, role in rows.order_by().values_list(
            "profile_id", "date", "duty_shift__shift_type__key", "role"
        )
    ]


def approved_leave_dates(team, start: date, end: date) -> dict[int, set[date]]:
    """Dates of approved leave per profile (R-ROSTER-8), so generation and edits keep people off their leave.

    Asked of the source the leave app registers (roster.absences), so the roster imports no leave code."""
    return absences.approved_dates(team, start, end)


def unconfirmed(version: RosterVersion) -> list[Profile]:
    """The team's duty staff who have not confirmed having seen `version` (the supervisor chases them)."""
    from roster.models import RosterAcknowledgement

    confirmed = RosterAcknowledgement.objects.filter(version=version).values("profile_id")
    return list(
        Profile.objects.filter(team=version.roster.team_id, role__in=DUTY_ROLES, user__is_active=True)
        .exclude(id__in=confirmed)
        .order_by("name")
    )


def has_confirmed(version: RosterVersion, profile) -> bool:
    from roster.models import RosterAcknowledgement

    return RosterAcknowledgement.objects.filter(version=version, profile=profile).exists()


def upcoming_with_teammates(profile, *, start: date, limit: int | None = None) -> list[tuple[Assignment, list]]:
    """A person's next published shifts, each with the others on the same shift; two queries whatever the count."""
    mine = list(shifts_of(profile, start=start)[:limit] if limit else shifts_of(profile, start=start))
    others: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        published_assignments()
        .filter(duty_shift__in=[m.duty_shift_id for m in mine])
        .exclude(profile=profile)
        .order_by("role", "profile__name")
    ):
        others[a.duty_shift_id].append(a)
    return [(m, others[m.duty_shift_id]) for m in mine]


def latest_generation(roster: Roster):
    return GenerationRun.objects.filter(roster=roster).order_by("-created_at").first()


def published_versions(roster: Roster) -> QuerySet[RosterVersion]:
    return (
        roster.versions.filter(published_at__isnull=False)
        .select_related("created_by__profile", "published_by__profile")
        .order_by("-number")
    )


def kept_shifts(roster: Roster) -> list[dict]:
    """Shifts of the month whose shift type the team made inactive but a published version still uses: they stay
    (R-ROSTER-9 keeps what was published), and the draft page says so. Read with the roster by roster_with_draft;
    otherwise one query."""
    if hasattr(roster, "kept_shifts"):
        return roster.kept_shifts
    return _kept_by_name(_kept(roster.team_id, roster.month).values_list("shift_type__name", "date"))


def _kept(team, month: date) -> QuerySet[DutyShift]:
    published = Assignment.objects.filter(duty_shift=OuterRef("pk"), version__published_at__isnull=False)
    return (
        DutyShift.objects.filter(
            team=team, date__range=(month_start(month), month_end(month)), shift_type__active=False
        )
        .filter(Exists(published))
        .order_by("date")
    )


def _kept_by_name(rows) -> list[dict]:
    kept: dict[str, list[date]] = defaultdict(list)
    for name, day in rows:
        kept[name].append(day)
    return [{"name": name, "dates": [f"{d:%m-%d}" for d in days]} for name, days in kept.items()]


def fairness_rows(team, month: date) -> list:
    """Per duty-staff member of `team`: duty, night, holiday and promotion-day shifts in the published rosters,
    shifts given and taken in recorded swaps, and approved leave days, over the 1, 3, 6 and 12 months ending with
    `month` (roster.fairness), wished days off granted and refused (issue 26) and shifts claimed in the marketplace
    (issue 24). Seven queries whatever the team's size."""
    from roster.fairness import PERIODS, AgentRow

    staff = list(
        Profile.objects.filter(team=team, role__in=DUTY_ROLES, user__is_active=True)
        .only("id", "name", "qualification")
        .order_by("name")
    )
    rows = {p.id: AgentRow(p.id, p.name, p.qualification == Qualification.QUALIFIED) for p in staff}
    starts = {months: add_months(month, -(months - 1)) for months in PERIODS}
    end = month_end(month)
    kinds = {
        "duty": Q(),
        "night": Q(duty_shift__is_night=True),
        "holiday": Q(duty_shift__is_holiday=True),
        "promotion": Q(duty_shift__is_promotion=True),
    }
    counts = {
        f"{kind}_{months}": Count("id", filter=condition & Q(date__gte=starts[months]))
        for kind, condition in kinds.items()
        for months in PERIODS
    }
    for found in (
        published_assignments()
        .filter(profile_id__in=list(rows), date__range=(starts[max(PERIODS)], end))
        .exclude(role=AssignmentRole.SHADOW)
        .values("profile_id")
        .annotate(**counts)
        .order_by()
    ):
        row = rows[found["profile_id"]]
        for kind in kinds:
            for months in PERIODS:
                row.values[(kind, months)] = found[f"{kind}_{months}"]
    leave, swaps = absences.history(team, starts[max(PERIODS)], end)

    def add(profile_id: int, metric: str, day: date | None) -> None:
        if profile_id in rows and day is not None:
            for months in PERIODS:
                if starts[months] <= day <= end:
                    key = (metric, months)
                    rows[profile_id].values[key] = rows[profile_id].values.get(key, 0) + 1

    for profile_id, day in leave:
        add(profile_id, "leave", day)
    for profile_id, day, granted in wish_days(team, starts[max(PERIODS)], end):
        add(profile_id, "wishes_granted" if granted else "wishes_refused", day)
    for requester, colleague, given, taken in swaps:
        # R-SWAP-1: the requester gives a shift to the colleague and takes theirs (if any) in return.
        add(requester, "given", given)
        add(colleague, "taken", given)
        add(requester, "taken", taken)
        add(colleague, "given", taken)
    # Issue 24: shifts taken in the shift marketplace, as the app that keeps it says (roster.claimed).
    for profile_id, day in claimed.history(team, starts[max(PERIODS)], end):
        add(profile_id, "claimed", day)
    return list(rows.values())


def fairness_protection(team, month: date) -> tuple[dict[int, frozenset[date]], dict[int, list]]:
    """For the fairness report (R-LAW-4): per period of roster.fairness.PERIODS ending with `month`, the team's duty
    dates in it; and the protection periods of its duty staff touching the 12 months, per person. Two queries."""
    from roster.fairness import PERIODS

    end = month_end(month)
    first = add_months(month, -(max(PERIODS) - 1))
    dates = set(
        DutyShift.objects.filter(team=team, date__range=(first, end))
        .order_by()
        .values_list("date", flat=True)
        .distinct()
    )
    by_period = {months: frozenset(d for d in dates if d >= add_months(month, -(months - 1))) for months in PERIODS}
    periods: dict[int, list] = {}
    for period in ProtectionPeriod.objects.filter(
        profile__team=team, profile__role__in=DUTY_ROLES, starts_on__lte=end, ends_on__gte=first
    ).order_by("starts_on"):
        periods.setdefault(period.profile_id, []).append(period)
    return by_period, periods


def calendar_overrides(team_ids: list[int], start: date, end: date) -> dict[int, dict[date, str]]:
    """Per team, its calendar overrides (R-ROSTER-1) dated [start, end]: date → kind. One query."""
    from roster.models import CalendarOverride

    result: dict[int, dict[date, str]] = defaultdict(dict)
    for team_id, day, kind in CalendarOverride.objects.filter(
        team_id__in=team_ids, date__range=(start, end)
    ).values_list("team_id", "date", "kind"):
        result[team_id][day] = kind
    return result


def skill_gaps(shift_type, skills, *, today: date) -> list[tuple]:
    """R-ROSTER-5 before a shift's required skills change: its published shifts from `today` on, each with the people
    counted on it (shadows do not count) who lack one of `skills`, and the skills they lack, by name.
    [(duty shift, [(profile, [skill name, ...]), ...]), ...] in time order; two queries."""
    wanted = {skill.pk: skill.name for skill in skills}
    by_shift: dict[int, tuple] = {}
    rows = (
        published_assignments()
        .filter(duty_shift__shift_type=shift_type, date__gte=today)
        .exclude(role=AssignmentRole.SHADOW)
        .prefetch_related("profile__skills")
        .order_by("duty_shift__starts_at", "profile__name")
    )
    for assignment in rows:
        held = {skill.pk for skill in assignment.profile.skills.all()}
        missing = [name for pk, name in sorted(wanted.items(), key=lambda item: item[1]) if pk not in held]
        if missing:
            by_shift.setdefault(assignment.duty_shift_id, (assignment.duty_shift, []))[1].append(
                (assignment.profile, missing)
            )
    return list(by_shift.values())


# --- Page data (views assemble no ORM queries; issue 12) ---------------------------------------------------------


def duty_days(team, month: date) -> list:
    """The month's duty days (roster.calendar.CalendarDay) from the company calendar, the team's settings and its
    calendar corrections (R-ROSTER-1, R-ROSTER-2): the one definition prepare_month, the availability form and its
    overview share."""
    settings = settings_for(team)
    overrides = calendar_overrides([team.pk], month_start(month), month_end(month)).get(team.pk, {})
    return calendar.duty_days(
        month_start(month),
        company_calendar.calendar_between(month_start(month), month_end(month)),
        duty_weekdays=settings.duty_weekdays,
        holidays_are_duty_days=settings.holidays_are_duty_days,
        workdays_are_not_duty_days=settings.workdays_are_not_duty_days,
        preset_promotion_days=settings.preset_promotion_days,
        overrides=overrides,
    )


def rosters_to_confirm(profile: Profile, *, today: date) -> list[Roster]:
    """The person's team's published rosters from this month on whose version in force they have not confirmed."""
    if not profile.team_id:
        return []
    from roster.models import RosterAcknowledgement

    confirmed = RosterAcknowledgement.objects.filter(profile=profile).values("version_id")
    return list(
        Roster.objects.filter(team=profile.team_id, month__gte=month_start(today), published_version__isnull=False)
        .exclude(published_version__in=confirmed)
        .select_related("team", "published_version")
        .order_by("month")
    )


def feed_owner(token: str) -> Profile | None:
    """Whose calendar feed the secret `token` opens (None when no feed has it)."""
    from roster.models import CalendarFeed

    entry = CalendarFeed.objects.select_related("profile").filter(token=token).first()
    return entry.profile if entry is not None else None


def teammates_on(shift_ids, *, besides: Profile) -> dict[int, list[str]]:
    """Per duty shift id, the names of the others holding it in the versions in force, by name."""
    teammates: dict[int, list[str]] = {}
    for shift_id, name in (
        published_assignments()
        .filter(duty_shift__in=list(shift_ids))
        .exclude(profile=besides)
        .order_by("profile__name")
        .values_list("duty_shift_id", "profile__name")
    ):
        teammates.setdefault(shift_id, []).append(name)
    return teammates


def declared_availability(profiles, days) -> QuerySet[Availability]:
    """What `profiles` declared for `days` (R-ROSTER-8 wishes)."""
    return Availability.objects.filter(profile__in=profiles, date__in=list(days))


def headcount_overrides(team, month: date) -> dict[tuple[date, int], int]:
    """{(date, shift type id): headcount} the team set for single dates of `month` (R-ROSTER-1)."""
    from roster.models import HeadcountOverride

    rows = HeadcountOverride.objects.filter(team=team, date__range=(month_start(month), month_end(month)))
    return {(day, kind): n for day, kind, n in rows.values_list("date", "shift_type_id", "headcount")}


def planned_shifts(team, month: date) -> list[dict]:
    """Every shift of the month's duty days as it is or would be laid out (R-ROSTER-1): date, shift type, times,
    night / promotion / holiday, and the headcount the team set (the duty shift's, once the month is prepared).
    A fixed number of queries, whatever the month."""
    month = month_start(month)
    kinds = list(ShiftType.objects.filter(team=team, active=True).order_by("order", "start"))
    dated = headcount_overrides(team, month)
    laid_out = {
        (day, kind): n
        for day, kind, n in DutyShift.objects.filter(team=team, date__range=(month, month_end(month))).values_list(
            "date", "shift_type_id", "headcount"
        )
    }
    planned = []
    for day in duty_days(team, month):
        for kind in kinds:
            usual = dated.get((day.date, kind.id), kind.headcount)
            headcount = laid_out.get((day.date, kind.id), max(usual, 2) if day.promotion else usual)
            planned.append(
                {
                    "date": day.date,
                    "shift_type_id": kind.id,
                    "name": kind.name,
                    "start": kind.start,
                    "end": kind.end,
                    "night": kind.is_night,
                    "promotion": day.promotion,
                    "holiday": day.holiday,
                    "headcount": headcount,
                }
            )
    return planned


def promotion_dates(team, start: date, end: date) -> set[date]:
    """Dates from `start` to `end` the team staffed as promotion days (R-ROSTER-7), from its duty shifts."""
    return set(
        DutyShift.objects.filter(team=team, date__range=(start, end), is_promotion=True)
        .values_list("date", flat=True)
        .distinct()
    )


def is_published(team, month: date) -> bool:
    return Roster.objects.filter(team=team, month=month_start(month), published_version__isnull=False).exists()


def shift_types_of(team) -> QuerySet[ShiftType]:
    return ShiftType.objects.filter(team=team).prefetch_related("required_skills")


def coming_overrides(team, *, today: date, limit: int = 60) -> list:
    """The team's calendar corrections from this month on, the first `limit` of them."""
    from roster.models import CalendarOverride

    return list(CalendarOverride.objects.filter(team=team, date__gte=month_start(today))[:limit])


# --- the company calendar's changes (R-CAL-2) --------------------------------------------------------------------


def calendar_impact(roster: Roster) -> calendar.MonthImpact:
    """How the roster's month differs from what the company calendar now makes of it (R-CAL-2): duty days to add or
    drop, holiday shifts, and the pay class of the shifts held in the version in force that changed since it was
    published. Compared with the published version when there is one, else with the draft. About ten queries."""
    month, last = roster.month, month_end(roster.month)
    shown = roster.published_version_id or draft_of(roster)
    shown_id = shown.pk if isinstance(shown, RosterVersion) else shown
    wanted = duty_days(roster.team, month)
    laid_out = [
        calendar.LaidOutDay(day, holiday, held)
        for day, holiday, held in DutyShift.objects.filter(
            team=roster.team_id, date__range=(month, last), laid_out=True
        )
        .values("date", "is_holiday")
        .annotate(held=Count("assignments", filter=Q(assignments__version_id=shown_id)))
        .values_list("date", "is_holiday", "held")
        .order_by("date")
    ]
    merged: dict[date, calendar.LaidOutDay] = {}
    for day in laid_out:
        known = merged.get(day.date)
        merged[day.date] = calendar.LaidOutDay(
            day.date, day.holiday or (known.holiday if known else False), day.held + (known.held if known else 0)
        )
    held = []
    published_at = None
    if roster.published_version_id:
        published_at = RosterVersion.objects.filter(pk=roster.published_version_id).values_list(
            "published_at", flat=True
        )[0]
        held = [
            calendar.HeldShift(day, name, people)
            for day, name, people in Assignment.objects.filter(version_id=roster.published_version_id)
            .values("date", "duty_shift__shift_type__name")
            .annotate(people=Count("id"))
            .values_list("date", "duty_shift__shift_type__name", "people")
            .order_by("date", "duty_shift__shift_type__name")
        ]
    after = company_calendar.calendar_between(month, last)
    changes = {
        on: c for on, c in company_calendar.changes_since(month.year, published_at).items() if month <= on <= last
    }
    before = company_days.replaced(after, {on: c.before for on, c in changes.items()})
    overrides = calendar_overrides([roster.team_id], month, last).get(roster.team_id, {})
    return calendar.month_impact(
        month,
        wanted=wanted,
        laid_out=list(merged.values()),
        held=held if published_at else [],
        before=before,
        after=after,
        overrides=overrides,
    )


def calendar_impacts(team) -> list[tuple[Roster, calendar.MonthImpact]]:
    """The team's published rosters that a change of the company calendar made after their version in force touches,
    each with what changed (the page a supervisor's notice opens)."""
    latest = company_calendar.latest_changes()
    found = []
    rosters = (
        Roster.objects.filter(team=team, published_version__isnull=False)
        .select_related("team", "published_version")
        .order_by("month")
    )
    for roster in rosters:
        changed_at = latest.get(roster.month.year)
        if changed_at is None or changed_at <= roster.published_version.published_at:
            continue
        impact = calendar_impact(roster)
        if not impact.empty:
            found.append((roster, impact))
    return found


def calendar_changed_since_publication(roster: Roster | None) -> bool:
    """Whether the company calendar of the roster's month changed after its version in force was published. One
    query; the month page then links to what changed."""
    if roster is None or roster.published_version is None:
        return False
    return bool(
        _month_dates(
            company_calendar.changes_since(roster.month.year, roster.published_version.published_at), roster.month
        )
    )


def _month_dates(changes: dict, month: date) -> list[date]:
    return [on for on in changes if month_start(on) == month]


# --- who may take a shift (swaps, substitutes, the marketplace) -------------------------------------------------


@dataclasses.dataclass
class MonthInForce:
    roster: Roster
    instance: plain.Instance
    assignments: list[plain.Assignment]


class MonthsInForce:
    """The published month of a team as plain data, one per (team, month), built on first use (month_data: two
    queries with the roster row): what a page that judges many shifts reads, in a number of queries that does not
    grow with the shifts or the people."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, date], MonthInForce | None] = {}

    def get(self, team_id: int, day: date) -> MonthInForce | None:
        key = (team_id, month_start(day))
        if key not in self._cache:
            roster = roster_for(team_id, key[1])
            if roster is None or roster.published_version_id is None:
                self._cache[key] = None
            else:
                self._cache[key] = MonthInForce(roster, *month_data(roster, roster.published_version_id))
        return self._cache[key]


def take_refusals(
    duty_shift: DutyShift,
    profile_ids,
    *,
    leaving: int | None = None,
    set_aside: tuple[tuple[int, DutyShift], ...] = (),
    months: MonthsInForce | None = None,
) -> dict[int, plain.Violation | None]:
    """For each of `profile_ids`: why they may not take a place on `duty_shift` in the roster in force
    (roster.rules.take_refusal), or None. `leaving`: the holder who hands the place over (off it first);
    `set_aside`: (person, shift) places given up in the same change (the other half of an exchange), so a same-day
    exchange is not two shifts at once. Someone outside the month's staff is refused as unknown. Empty when the
    month is not published."""
    state = (months or MonthsInForce()).get(duty_shift.team_id, duty_shift.date)
    if state is None:
        return {}
    key = duty_shift.shift_type.key
    off = {(pid, s.date, s.shift_type.key) for pid, s in set_aside}
    if leaving is not None:
        off.add((leaving, duty_shift.date, key))
    rest = [a for a in state.assignments if (a.agent, a.date, a.shift) not in off]
    return {pid: rules.take_refusal(state.instance, rest, pid, duty_shift.date, key) for pid in profile_ids}


def version_assignment_rows(version: RosterVersion) -> list[dict]:
    """Every assignment of one version as plain rows (shift, its times and type, role, person), in time order: the
    public API's roster month, read in one query without building four model objects per row."""
    return list(
        version.assignments.order_by("duty_shift__starts_at", "role", "profile__name", "pk").values(
            "duty_shift_id",
            "date",
            "duty_shift__shift_type__key",
            "duty_shift__starts_at",
            "duty_shift__ends_at",
            "role",
            "profile_id",
            "profile__name",
        )
    )


def feed_history(profile, *, start: date) -> dict[int, feed.Entry]:
    """Per duty shift the person held in any published version from `start` on: its UID's sequence and whether it
    is cancelled in the version in force (roster.feed.entries, per roster). Two queries, whatever the history."""
    rows = list(
        Assignment.objects.filter(profile=profile, date__gte=start, version__published_at__isnull=False)
        .order_by()
        .values_list("version__roster_id", "version__number", "duty_shift_id", "role")
    )
    rosters = {roster_id for roster_id, *_ in rows}
    numbers: dict[int, list[int]] = {}
    for roster_id, number in (
        RosterVersion.objects.filter(roster__in=rosters, published_at__isnull=False)
        .order_by("roster_id", "number")
        .values_list("roster_id", "number")
    ):
        numbers.setdefault(roster_id, []).append(number)
    held: dict[tuple[int, int], dict[int, str]] = {}
    for roster_id, number, shift_id, role in rows:
        held.setdefault((roster_id, number), {})[shift_id] = role
    found: dict[int, feed.Entry] = {}
    for roster_id, versions in numbers.items():
        found.update(feed.entries([held.get((roster_id, number), {}) for number in versions]))
    return found
