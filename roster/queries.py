"""Reads of the roster: who holds which shift in the version in force, and the plain data the rules work on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, F, Func, IntegerField, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject

from dutydesk.models import Profile, Qualification, Role, Team
from dutydesk.months import add_months, month_end, month_start, previous_month
from roster import instance as plain
from roster import rules
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
    TeamRosterSettings,
)
from roster.requests.queries import approved_leave, leave_dates

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
    return (Roster.objects.filter(team=team, month=month_start(month))
            .select_related("team__roster_settings", "published_version").first())


def draft_of(roster: Roster) -> RosterVersion | None:
    return roster.versions.filter(published_at__isnull=True).first()


def settings_for(team) -> TeamRosterSettings:
    return TeamRosterSettings.objects.get_or_create(team=team)[0]


def availability_deadline(team, month: date) -> date:
    """The last day the team's people declare availability for `month` (its settings, rules.availability_deadline)."""
    settings = settings_for(team)
    return rules.availability_deadline(month, publish_days_ahead=settings.publish_days_ahead,
                                       closes_days=settings.availability_closes_days)


def duty_staff(team) -> QuerySet[Profile]:
    return (
        Profile.objects.filter(team=team, role__in=DUTY_ROLES, user__is_active=True)
        .prefetch_related("skills")
        .order_by("name")
    )


def shifts_by_id(ids) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(pk__in=ids).select_related("shift_type").order_by("starts_at")


def shifts_starting(team, start: datetime, end: datetime) -> QuerySet[DutyShift]:
    """The team's duty shifts that start between `start` and `end` (inclusive), in time order."""
    return (DutyShift.objects.filter(team=team, starts_at__range=(start, end)).select_related("shift_type")
            .order_by("starts_at"))


def shifts_on(team, days) -> QuerySet[DutyShift]:
    """The team's duty shifts on these dates, with their shift types, in time order."""
    return DutyShift.objects.filter(team=team, date__in=days).select_related("shift_type").order_by("starts_at")


def months_with_shifts(team, *, since: date) -> list[date]:
    """The months (their first days) that hold duty shifts of the team from `since` on, in order."""
    days = DutyShift.objects.filter(team=team, date__gte=since).values_list("date", flat=True).distinct()
    return sorted({month_start(day) for day in days})


def month_shifts(roster: Roster) -> QuerySet[DutyShift]:
    return (
        DutyShift.objects.filter(team=roster.team_id, date__range=(roster.month, month_end(roster.month)))
        .select_related("shift_type")
        .prefetch_related("shift_type__required_skills")
        .order_by("date", "starts_at")
    )


def roster_with_draft(team, month: date) -> Roster | None:
    """The roster of `month` as the draft page and its cell edits read it, in one query: the version in force, the
    team's roster settings (for month_data), `draft_id` (None without a draft) and `latest_run` (the latest
    generation run, None before the first).

    The draft grid must cost a fixed, small number of queries (issue 14: at most 8 for the whole request), so what
    would be three more reads (the draft, the settings, the latest run) comes back with the roster row.
    """
    runs = GenerationRun.objects.filter(roster=OuterRef("pk")).order_by("-created_at")
    drafts = RosterVersion.objects.filter(roster=OuterRef("pk"), published_at__isnull=True)
    roster = (
        Roster.objects.filter(team=team, month=month_start(month))
        .select_related("published_version", "team__roster_settings")
        .annotate(draft_id=Subquery(drafts.values("pk")[:1]),
                  run=Subquery(runs.values(json=JSONObject(**{f.attname: f.attname for f in _RUN_FIELDS}))[:1],
                               output_field=JSONField()))
        .first()
    )
    if roster is not None:
        run = roster.run
        roster.latest_run = None if run is None else GenerationRun.from_db(
            "default", [f.attname for f in _RUN_FIELDS], [f.to_python(run[f.attname]) for f in _RUN_FIELDS]
        )
    return roster


_RUN_FIELDS = GenerationRun._meta.concrete_fields


def solver_instance(roster: Roster, *, seed: int = 0, leave: dict[int, set[date]] | None = None) -> plain.Instance:
    """The month as plain data for roster.solver and roster.rules, in a fixed number of queries (see month_data).

    `leave` maps profile ids to dates of approved leave (R-ROSTER-8); the leave app passes it in.
    """
    return month_data(roster, seed=seed, leave=leave)[0]


def month_data(
    roster: Roster, version_id: int | None = None, *, seed: int = 0, leave: dict[int, set[date]] | None = None,
) -> tuple[plain.Instance, list[plain.Assignment]]:
    """The month as plain data (agents, duty days, settings) and the assignments of version `version_id` (none
    when None), in 2 queries, 3 when `roster` was not read with its team's settings (roster_with_draft).

    One query for the agents with everything the rules know of each (skills, wishes, leave, history), one for the
    duty shifts with their required skills and who holds them in the version: the query count never grows with
    agents or days.
    """
    settings = _settings_of(roster)
    last_day = month_end(roster.month)
    agents = _plain_agents(roster, settings, last_day, leave)
    days, assignments = _plain_days(roster, version_id, last_day)
    instance = plain.Instance(
        month=f"{roster.month:%Y-%m}",
        agents=agents,
        days=days,
        settings=plain.Settings(
            max_consecutive_nights=settings.max_consecutive_nights,
            max_shifts_per_day=1,  # the database allows one shift per person per date (R-ROSTER-8)
            time_limit_s=float(settings.solver_time_limit_s),
            seed=seed,
        ),
    )
    return instance, assignments


def _settings_of(roster: Roster) -> TeamRosterSettings:
    # Read with the roster by roster_with_draft (select_related); otherwise one query, creating the defaults.
    if Roster.team.is_cached(roster) and Team.roster_settings.is_cached(roster.team):
        try:
            return roster.team.roster_settings
        except TeamRosterSettings.DoesNotExist:
            pass
    return TeamRosterSettings.objects.get_or_create(team_id=roster.team_id)[0]


def _plain_agents(
    roster: Roster, settings: TeamRosterSettings, last_day: date, leave: dict[int, set[date]] | None,
) -> tuple[plain.Agent, ...]:
    """The duty staff as plain agents, in one query: each row carries its skills, wishes, approved leave and its
    published shifts of earlier months as subqueries (an index lookup each), counted here."""
    agent = OuterRef("pk")
    previous = previous_month(roster.month)
    history_from = add_months(roster.month, -3)
    wishes = Availability.objects.filter(profile=agent, date__range=(roster.month, last_day))
    # Published shifts of earlier months: R-ROSTER-4 counts those of the 3 months before, R-ROSTER-3 last month's
    # nights, R-ROSTER-6 every shadow shift a new hire has done. The versions in force of earlier months are found
    # once (a hashed subquery) rather than joined for every shift.
    published = Roster.objects.filter(month__lt=roster.month, published_version__isnull=False)
    earlier = Assignment.objects.filter(
        profile=agent, date__lt=roster.month, version__in=published.values("published_version"),
    ).order_by()
    counted = Q(date__gte=history_from) & ~Q(role=AssignmentRole.SHADOW)
    counts = Func(  # [duty, night, holiday, shadow] shifts, one array per agent
        Count("pk", filter=counted),
        Count("pk", filter=counted & Q(duty_shift__is_night=True)),
        Count("pk", filter=counted & Q(duty_shift__is_holiday=True)),
        Count("pk", filter=Q(role=AssignmentRole.SHADOW)),
        function="ARRAY", template="%(function)s[%(expressions)s]", output_field=ArrayField(IntegerField()),
    )
    # Last month's night shifts, found once (a hashed subquery) rather than joined for every assignment.
    nights = DutyShift.objects.filter(is_night=True, date__gte=previous, date__lt=roster.month).values("pk")
    rows = (
        duty_staff(roster.team_id)
        .prefetch_related(None)
        .annotate(
            skill_codes=ArraySubquery(Profile.skills.through.objects.filter(profile=agent).values("skill__code")),
            wishes=_json_rows(wishes, kind="kind", date="date"),
            earlier=Subquery(earlier.values("profile").annotate(counts=counts).values("counts")),
            last_month_nights=ArraySubquery(earlier.filter(date__gte=previous, duty_shift__in=nights).values("date")),
            # Last month's duty dates, the same for every row: the database computes it once.
            last_month_days=ArraySubquery(
                DutyShift.objects.filter(team=roster.team_id, date__gte=previous, date__lt=roster.month)
                .order_by("date").values("date").distinct()
            ),
        )
    )
    if leave is None:
        rows = rows.annotate(leave_days=ArraySubquery(
            approved_leave(roster.team_id, roster.month, last_day).filter(profile=agent).order_by()
            .values("duty_shift__date")
        ))
    fields = ["id", "name", "qualification", "skill_codes", "wishes", "earlier", "last_month_nights",
              "last_month_days"]
    agents = []
    for p in rows.values(*fields, *(["leave_days"] if leave is None else [])):
        wished: dict[str, set[date]] = defaultdict(set)
        for wish in p["wishes"] or ():
            wished[wish["kind"]].add(date.fromisoformat(wish["date"]))
        duty, night, holiday, shadows = p["earlier"] or (0, 0, 0, 0)
        new_hire = p["qualification"] == Qualification.NEW_HIRE
        agents.append(plain.Agent(
            id=p["id"],
            name=p["name"],
            skills=frozenset(p["skill_codes"]),
            qualified=not new_hire,
            unavailable=frozenset(wished[AvailabilityKind.UNAVAILABLE]),
            leave=frozenset(p["leave_days"] if leave is None else leave.get(p["id"], ())),
            preferred=frozenset(wished[AvailabilityKind.PREFERRED]),
            prefer_off=frozenset(wished[AvailabilityKind.PREFER_OFF]),
            history=plain.History(duty, night, holiday),
            trailing_nights=_trailing_nights(set(p["last_month_nights"]), sorted(p["last_month_days"])),
            shadow_shifts_needed=max(settings.shadow_shifts_required - shadows, 0) if new_hire else 0,
        ))
    return tuple(agents)


def _json_rows(rows: QuerySet, **fields: str) -> Subquery:
    """`rows`, filtered through OuterRef on one agent, as one JSON list of {name: field} objects."""
    return Subquery(
        rows.order_by().values("profile").annotate(json=JSONBAgg(JSONObject(**fields))).values("json"),
        output_field=JSONField(),
    )


def _trailing_nights(nights: set[date], days: list[date]) -> int:
    """Night shifts in a row at the end of the previous month's roster (R-ROSTER-3 across months)."""
    run = 0
    for day in reversed(days):
        if day not in nights:
            break
        run += 1
    return run


def _plain_days(
    roster: Roster, version_id: int | None, last_day: date,
) -> tuple[tuple[plain.DutyDay, ...], list[plain.Assignment]]:
    """The month's duty days and shifts, and who holds each shift in version `version_id`, in one query."""
    shift = OuterRef("pk")
    rows = (
        DutyShift.objects.filter(team=roster.team_id, date__range=(roster.month, last_day))
        .order_by("date", "starts_at")
        .annotate(skill_codes=ArraySubquery(
            ShiftType.required_skills.through.objects.filter(shifttype=OuterRef("shift_type")).values("skill__code")
        ))
    )
    if version_id is not None:
        held = Assignment.objects.filter(version_id=version_id, duty_shift=shift).order_by("pk")
        rows = rows.annotate(holder_ids=ArraySubquery(held.values("profile_id")),
                             holder_roles=ArraySubquery(held.values("role")))
    rows = rows.values(
        "date", "is_holiday", "is_promotion", "is_night", "headcount", "skill_codes", "shift_type__key",
        "shift_type__name", "shift_type__start", "shift_type__end",
        *(("holder_ids", "holder_roles") if version_id is not None else ()),
    )
    days: dict[date, list[dict]] = defaultdict(list)
    assignments = []
    for row in rows:
        days[row["date"]].append(row)
        assignments += [
            plain.Assignment(agent=agent_id, date=row["date"], shift=row["shift_type__key"], role=role)
            for agent_id, role in zip(row.get("holder_ids", ()), row.get("holder_roles", ()), strict=True)
        ]
    duty_days = tuple(
        plain.DutyDay(
            date=day,
            holiday=day_rows[0]["is_holiday"],
            promotion=day_rows[0]["is_promotion"],
            shifts=tuple(
                plain.Shift(key=r["shift_type__key"], name=r["shift_type__name"], start=r["shift_type__start"],
                            end=r["shift_type__end"], night=r["is_night"], headcount=r["headcount"],
                            skills=frozenset(r["skill_codes"]))
                for r in day_rows
            ),
        )
        for day, day_rows in sorted(days.items())
    )
    return duty_days, assignments


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

    The leave package's one read the roster uses; it reads requests only, so the imports run one way (the package's
    roster-facing reads, roster.requests.coverage, build on this module)."""
    return leave_dates(team, start, end)


def unconfirmed(version: RosterVersion) -> list[Profile]:
    """The team's duty staff who have not confirmed having seen `version` (the supervisor chases them)."""
    from roster.models import RosterAcknowledgement

    confirmed = RosterAcknowledgement.objects.filter(version=version).values("profile_id")
    return list(
        Profile.objects.filter(team=version.roster.team_id, role__in=DUTY_ROLES, user__is_active=True)
        .exclude(id__in=confirmed).order_by("name")
    )


def has_confirmed(version: RosterVersion, profile) -> bool:
    from roster.models import RosterAcknowledgement

    return RosterAcknowledgement.objects.filter(version=version, profile=profile).exists()


def upcoming_with_teammates(profile, *, start: date, limit: int | None = None) -> list[tuple[Assignment, list]]:
    """A person's next published shifts, each with the others on the same shift; two queries whatever the count."""
    mine = list(shifts_of(profile, start=start)[:limit] if limit else shifts_of(profile, start=start))
    others: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        published_assignments().filter(duty_shift__in=[m.duty_shift_id for m in mine])
        .exclude(profile=profile).order_by("role", "profile__name")
    ):
        others[a.duty_shift_id].append(a)
    return [(m, others[m.duty_shift_id]) for m in mine]


def latest_generation(roster: Roster):
    return GenerationRun.objects.filter(roster=roster).order_by("-created_at").first()


def published_versions(roster: Roster) -> QuerySet[RosterVersion]:
    return roster.versions.filter(published_at__isnull=False).select_related("created_by__profile").order_by("-number")


def calendar_overrides(team_ids: list[int], start: date, end: date) -> dict[int, dict[date, str]]:
    """Per team, its calendar overrides (R-ROSTER-1) dated [start, end]: date → kind. One query."""
    from roster.models import CalendarOverride

    result: dict[int, dict[date, str]] = defaultdict(dict)
    for team_id, day, kind in CalendarOverride.objects.filter(team_id__in=team_ids, date__range=(start, end)) \
            .values_list("team_id", "date", "kind"):
        result[team_id][day] = kind
    return result
