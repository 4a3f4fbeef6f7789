"""Reads of the roster: who holds which shift in the version in force, and the plain data the rules work on."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dutydesk.models import Profile, Qualification, Role
from dutydesk.months import add_months, month_end, month_start, previous_month
from roster import instance as plain
from roster import rules
from roster.models import (
    Assignment,
    AssignmentRole,
    Availability,
    AvailabilityKind,
    DutyShift,
    Roster,
    RosterVersion,
    TeamRosterSettings,
)
from roster.requests.queries import leave_dates

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
    return (Roster.objects.filter(team=team, month=month_start(month)).select_related("team", "published_version")
            .first())


def draft_of(roster: Roster) -> RosterVersion | None:
    return roster.versions.filter(published_at__isnull=True).first()


def settings_for(team) -> TeamRosterSettings:
    return TeamRosterSettings.objects.get_or_create(team=team)[0]


def availability_deadline(team, month: date) -> date:
    """The last day the team's people declare availability for `month` (its settings, rules.availability_deadline)."""
    settings = settings_for(team)
    return rules.availability_deadline(month, publish_days_ahead=settings.publish_days_ahead,
                                       closes_days=settings.availability_closes_days)


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
        Profile.objects.filter(_staying(roster.month) | Q(left_on__isnull=False, pk__in=holding),
                               team=roster.team_id, role__in=DUTY_ROLES)
        .prefetch_related("skills")
        .order_by("name")
    )


def leaver_shifts(version: RosterVersion | None) -> list[Assignment]:
    """Shifts of a version held by people on or after the date they leave: flagged for a revision."""
    if version is None:
        return []
    return list(
        version.assignments.filter(profile__left_on__isnull=False, date__gte=F("profile__left_on"))
        .select_related("profile", "duty_shift__shift_type").order_by("date", "duty_shift__starts_at", "profile__name")
    )


def shifts_by_id(ids) -> QuerySet[DutyShift]:
    return DutyShift.objects.filter(pk__in=ids).select_related("shift_type").order_by("starts_at")


def shifts_starting(team, start: datetime, end: datetime) -> QuerySet[DutyShift]:
    """The team's duty shifts that start between `start` and `end` (inclusive), in time order."""
    return (DutyShift.objects.filter(team=team, starts_at__range=(start, end)).select_related("shift_type")
            .order_by("starts_at"))


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


def solver_instance(roster: Roster, *, seed: int = 0, leave: dict[int, set[date]] | None = None) -> plain.Instance:
    """The month as plain data for roster.solver and roster.rules, in a fixed number of queries.

    `leave` maps profile ids to dates of approved leave (R-ROSTER-8); the leave app passes it in.
    """
    settings = settings_for(roster.team)
    staff = list(month_staff(roster))
    shifts = list(month_shifts(roster))
    last_day = month_end(roster.month)
    leave = leave if leave is not None else approved_leave_dates(roster.team, roster.month, last_day)

    wishes: dict[int, dict[str, set[date]]] = defaultdict(lambda: defaultdict(set))
    for profile_id, day, kind in Availability.objects.filter(
        profile__in=staff, date__range=(roster.month, last_day)
    ).values_list("profile_id", "date", "kind"):
        wishes[profile_id][kind].add(day)

    history = _history(roster, [p.id for p in staff])
    trailing = _trailing_nights(roster, [p.id for p in staff])
    # R-ROSTER-6: a pass counts from the roster month it names (people.services.qualification).
    qualified = {p.id for p in staff if p.qualified_for(last_day)}
    shadows_done = _shadow_shifts_done(roster, [p.id for p in staff if p.id not in qualified])
    # From the date a person leaves, they cannot work (their shifts after it show as problems to revise).
    gone = {p.id: frozenset(s.date for s in shifts if s.date >= p.left_on) for p in staff if p.left_on}

    agents = tuple(
        plain.Agent(
            id=p.id,
            name=p.name,
            skills=frozenset(s.code for s in p.skills.all()),
            qualified=p.id in qualified,
            unavailable=frozenset(wishes[p.id][AvailabilityKind.UNAVAILABLE]) | gone.get(p.id, frozenset()),
            leave=frozenset(leave.get(p.id, ())),
            preferred=frozenset(wishes[p.id][AvailabilityKind.PREFERRED]),
            prefer_off=frozenset(wishes[p.id][AvailabilityKind.PREFER_OFF]),
            history=history.get(p.id, plain.History()),
            trailing_nights=trailing.get(p.id, 0),
            shadow_shifts_needed=(
                max(settings.shadow_shifts_required - shadows_done.get(p.id, 0), 0) if p.id not in qualified else 0
            ),
        )
        for p in staff
    )
    days: dict[date, list[DutyShift]] = defaultdict(list)
    for shift in shifts:
        days[shift.date].append(shift)
    duty_days = tuple(
        plain.DutyDay(
            date=day,
            holiday=day_shifts[0].is_holiday,
            promotion=day_shifts[0].is_promotion,
            shifts=tuple(_plain_shift(s) for s in day_shifts),
        )
        for day, day_shifts in sorted(days.items())
    )
    skills = {s.code: s.name for p in staff for s in p.skills.all()}
    skills.update({s.code: s.name for shift in shifts for s in shift.shift_type.required_skills.all()})
    return plain.Instance(
        month=f"{roster.month:%Y-%m}",
        agents=agents,
        days=duty_days,
        skill_names=tuple(sorted(skills.items())),
        settings=plain.Settings(
            max_consecutive_nights=settings.max_consecutive_nights,
            max_shifts_per_day=1,  # the database allows one shift per person per date (R-ROSTER-8)
            time_limit_s=float(settings.solver_time_limit_s),
            seed=seed,
        ),
    )


def _plain_shift(shift: DutyShift) -> plain.Shift:
    kind = shift.shift_type
    return plain.Shift(
        key=kind.key, name=kind.name, start=kind.start, end=kind.end, night=shift.is_night,
        headcount=shift.headcount, skills=frozenset(s.code for s in kind.required_skills.all()),
    )


def plain_assignments(version: RosterVersion) -> list[plain.Assignment]:
    return [
        plain.Assignment(agent=profile_id, date=day, shift=key, role=role)
        for profile_id, day, key, role in version.assignments.values_list(
            "profile_id", "date", "duty_shift__shift_type__key", "role"
        )
    ]


def approved_leave_dates(team, start: date, end: date) -> dict[int, set[date]]:
    """Dates of approved leave per profile (R-ROSTER-8), so generation and edits keep people off their leave.

    The leave package's one read the roster uses; it reads requests only, so the imports run one way (the package's
    roster-facing reads, roster.requests.coverage, build on this module)."""
    return leave_dates(team, start, end)


def _history(roster: Roster, profile_ids: list[int]) -> dict[int, plain.History]:
    """Duty, night and holiday shifts in the published rosters of the 3 months before (R-ROSTER-4)."""
    start = add_months(roster.month, -3)
    rows = (
        published_assignments()
        .filter(profile_id__in=profile_ids, date__gte=start, date__lt=roster.month)
        .exclude(role=AssignmentRole.SHADOW)
        .values("profile_id")
        .annotate(
            duty=Count("id"),
            night=Count("id", filter=Q(duty_shift__is_night=True)),
            holiday=Count("id", filter=Q(duty_shift__is_holiday=True)),
        )
    )
    return {r["profile_id"]: plain.History(r["duty"], r["night"], r["holiday"]) for r in rows}


def _trailing_nights(roster: Roster, profile_ids: list[int]) -> dict[int, int]:
    """Night shifts in a row at the end of the previous month's roster (R-ROSTER-3 across months)."""
    previous = previous_month(roster.month)
    days = sorted(set(
        DutyShift.objects.filter(team=roster.team_id, date__gte=previous, date__lt=roster.month)
        .values_list("date", flat=True)
    ))
    nights: dict[int, set[date]] = defaultdict(set)
    for profile_id, day in (
        published_assignments()
        .filter(profile_id__in=profile_ids, date__gte=previous, date__lt=roster.month, duty_shift__is_night=True)
        .values_list("profile_id", "date")
    ):
        nights[profile_id].add(day)
    trailing = {}
    for profile_id, worked in nights.items():
        run = 0
        for day in reversed(days):
            if day not in worked:
                break
            run += 1
        trailing[profile_id] = run
    return trailing


def _shadow_shifts_done(roster: Roster, profile_ids: list[int]) -> dict[int, int]:
    rows = (
        published_assignments()
        .filter(profile_id__in=profile_ids, role=AssignmentRole.SHADOW, date__lt=roster.month)
        # R-ROSTER-6: after a failed check the count starts again.
        .filter(Q(profile__shadowing_since__isnull=True) | Q(date__gte=F("profile__shadowing_since")))
        .values("profile_id")
        .annotate(n=Count("id"))
    )
    return {r["profile_id"]: r["n"] for r in rows}


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
    from roster.models import GenerationRun

    return GenerationRun.objects.filter(roster=roster).order_by("-created_at").first()


def published_versions(roster: Roster) -> QuerySet[RosterVersion]:
    return (
        roster.versions.filter(published_at__isnull=False)
        .select_related("created_by__profile", "published_by__profile")
        .order_by("-number")
    )


def kept_shifts(roster: Roster) -> list[dict]:
    """Shifts of the month whose shift type the team made inactive but a published version still uses: they stay
    (R-ROSTER-9 keeps what was published), and the draft page says so. One query."""
    kept: dict[str, list[date]] = defaultdict(list)
    for name, day in (
        DutyShift.objects.filter(team=roster.team_id, date__range=(roster.month, month_end(roster.month)),
                                 shift_type__active=False, assignments__version__published_at__isnull=False)
        .distinct().order_by("date").values_list("shift_type__name", "date")
    ):
        kept[name].append(day)
    return [{"name": name, "dates": [f"{d:%m-%d}" for d in days]} for name, days in kept.items()]


def fairness_rows(team, month: date) -> list:
    """Per duty-staff member of `team`: duty, night, holiday and promotion-day shifts in the published rosters,
    shifts given and taken in recorded swaps, and approved leave days, over the 1, 3, 6 and 12 months ending with
    `month` (roster.fairness). Four queries whatever the team's size."""
    from roster.fairness import PERIODS, AgentRow
    from roster.requests.queries import request_history

    staff = list(
        Profile.objects.filter(team=team, role__in=DUTY_ROLES, user__is_active=True)
        .only("id", "name", "qualification").order_by("name")
    )
    rows = {p.id: AgentRow(p.id, p.name, p.qualification == Qualification.QUALIFIED) for p in staff}
    starts = {months: add_months(month, -(months - 1)) for months in PERIODS}
    end = month_end(month)
    kinds = {"duty": Q(), "night": Q(duty_shift__is_night=True), "holiday": Q(duty_shift__is_holiday=True),
             "promotion": Q(duty_shift__is_promotion=True)}
    counts = {f"{kind}_{months}": Count("id", filter=condition & Q(date__gte=starts[months]))
              for kind, condition in kinds.items() for months in PERIODS}
    for found in (
        published_assignments().filter(profile_id__in=list(rows), date__range=(starts[max(PERIODS)], end))
        .exclude(role=AssignmentRole.SHADOW).values("profile_id").annotate(**counts).order_by()
    ):
        row = rows[found["profile_id"]]
        for kind in kinds:
            for months in PERIODS:
                row.values[(kind, months)] = found[f"{kind}_{months}"]
    leave, swaps = request_history(team, starts[max(PERIODS)], end)

    def add(profile_id: int, metric: str, day: date | None) -> None:
        if profile_id in rows and day is not None:
            for months in PERIODS:
                if starts[months] <= day <= end:
                    key = (metric, months)
                    rows[profile_id].values[key] = rows[profile_id].values.get(key, 0) + 1

    for profile_id, day in leave:
        add(profile_id, "leave", day)
    for requester, colleague, given, taken in swaps:
        # R-SWAP-1: the requester gives a shift to the colleague and takes theirs (if any) in return.
        add(requester, "given", given)
        add(colleague, "taken", given)
        add(requester, "taken", taken)
        add(colleague, "given", taken)
    return list(rows.values())


def calendar_overrides(team_ids: list[int], start: date, end: date) -> dict[int, dict[date, str]]:
    """Per team, its calendar overrides (R-ROSTER-1) dated [start, end]: date → kind. One query."""
    from roster.models import CalendarOverride

    result: dict[int, dict[date, str]] = defaultdict(dict)
    for team_id, day, kind in CalendarOverride.objects.filter(team_id__in=team_ids, date__range=(start, end)) \
            .values_list("team_id", "date", "kind"):
        result[team_id][day] = kind
    return result


def skill_gaps(shift_type, skills, *, today: date) -> list[tuple]:
    """R-ROSTER-5 before a shift's required skills change: its published shifts from `today` on, each with the people
    counted on it (shadows do not count) who lack one of `skills`, and the skills they lack, by name.
    [(duty shift, [(profile, [skill name, ...]), ...]), ...] in time order; two queries."""
    wanted = {skill.pk: skill.name for skill in skills}
    by_shift: dict[int, tuple] = {}
    rows = (published_assignments().filter(duty_shift__shift_type=shift_type, date__gte=today)
            .exclude(role=AssignmentRole.SHADOW).prefetch_related("profile__skills")
            .order_by("duty_shift__starts_at", "profile__name"))
    for assignment in rows:
        held = {skill.pk for skill in assignment.profile.skills.all()}
        missing = [name for pk, name in sorted(wanted.items(), key=lambda item: item[1]) if pk not in held]
        if missing:
            by_shift.setdefault(assignment.duty_shift_id, (assignment.duty_shift, []))[1].append(
                (assignment.profile, missing))
    return list(by_shift.values())
