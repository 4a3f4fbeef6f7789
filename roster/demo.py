"""Demo rosters: the last three months and this month published, next month a draft (team-east, awaiting its
publish deadline) or published (team-south), with availability declared for next month. Idempotent.

The working-time law shapes every month (R-LAW-1, -2, -4): nobody holds both days of a weekend (Monday to Friday is
their regular work), nobody passes 36 h of rest-day and holiday duty, and each team has one person in a
protection period (team-east: pregnant from the 7th month; team-south: nursing a baby under one year), who gets no
night and no weekend or holiday duty and is left out of the balance while the period covers the month. A duty day
that is its week's only rest date (a 调休 week with a working Sunday) cannot be staffed lawfully: the demo marks it
"no duty", as a supervisor would. Next month one person in each team would like to work both days of a weekend (to
earn comp time) and gets one of them: the rest-day rule shapes that month's roster where the grid shows it.
"""

import random
from datetime import date, time, timedelta

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, ProtectionKind, ProtectionPeriod, Role, Skill, Team
from dutydesk.months import add_months, month_end, month_start, months_back
from roster import instance as plain
from roster import queries, services
from roster.models import Availability, AvailabilityKind, CalendarOverride, DayKind, ShiftType, ShiftWish

# R-LAW-4: one protected person a team (username, kind, months before this month it began, months after next).
PROTECTED = {
    "team-east": ("agent03", ProtectionKind.PREGNANCY, 2, 2),
    "team-south": ("agent23", ProtectionKind.NURSING, 5, 7),
}
# R-LAW-1: one person a team would like to work both days of one weekend of next month (Availability "preferred").
BOTH_DAYS = {"team-east": "agent07", "team-south": "agent27"}
BOTH_DAYS_NOTE = "想周六周日都值班，多攒调休"


def load(*, today: date) -> None:
    this_month = month_start(today)
    next_month = add_months(this_month, 1)
    for team in Team.objects.filter(slug__in=["team-east", "team-south"]).order_by("slug"):
        _shift_types(team)
        settings = queries.settings_for(team)
        settings.solver_time_limit_s = 3  # the demo loads quickly; the default stays 10 s
        settings.save(update_fields=["solver_time_limit_s"])
        _availability(team, next_month)
        if team.slug == "team-east":
            CalendarOverride.objects.update_or_create(
                team=team,
                date=next_month + timedelta(days=(4 - next_month.weekday()) % 7),
                defaults={"kind": DayKind.PROMOTION, "note": "年终大促预热"},
            )
        _protection(team, this_month)
        for month in [*months_back(this_month, 4), next_month]:
            if _no_lawful_duty(team, month):
                services.prepare_month(team, month)  # the month's duty days laid out again without them
            roster = services.prepare_month(team, month)
            if roster.published_version_id or (month == next_month and queries.draft_of(roster)):
                continue
            if queries.draft_of(roster) is None:
                _wishes(team, month)  # before generating, as the wish window closes before the roster is made
                services.generate_draft(roster, actor=None, seed=month.month)
            if month == next_month and team.slug == "team-east":
                continue  # left as a draft for the supervisor to review and publish
            services.publish_roster(roster, actor=None, expected_revision=None, accept_provisional=True)
        _acknowledgements(team, [this_month, next_month])
    settings_reset()


def _protection(team: Team, this_month: date) -> None:
    username, kind, before, after = PROTECTED[team.slug]
    person = Profile.objects.filter(user__username=username, team=team).first()
    supervisor = Profile.objects.filter(team=team, role=Role.SUPERVISOR).first()
    if person is None or supervisor is None or person.protection_periods.exists():
        return
    period = ProtectionPeriod.objects.create(
        profile=person,
        kind=kind,
        starts_on=add_months(this_month, -before) + timedelta(days=9),
        ends_on=month_end(add_months(this_month, 1 + after)),
        recorded_by=supervisor,
    )
    # In the history as people.services.protection records it (the roster may not import people/).
    record(
        "people.protection",
        actor=supervisor,
        target=period,
        team=team,
        after=snapshot(period, ("kind", "starts_on", "ends_on")),
        refs=[refs.person(person)],
    )


def _no_lawful_duty(team: Team, month: date) -> bool:
    """Mark "no duty" the duty days nobody may take under standard hours (R-LAW-1): the only rest date of a week
    whose other days are all working days (a 调休 week). True if it marked any."""
    roster = services.prepare_month(team, month)
    instance = queries.solver_instance(roster)
    kinds = instance.working_time.kinds if instance.working_time else {}
    marked = False
    for day in instance.days:
        monday = day.date - timedelta(days=day.date.weekday())
        rest = [d for d in (monday + timedelta(days=i) for i in range(7)) if kinds.get(d) != plain.WORKDAY]
        if rest == [day.date]:
            _override, created = CalendarOverride.objects.get_or_create(
                team=team,
                date=day.date,
                defaults={"kind": DayKind.NO_DUTY, "note": "调休周仅此一天休息，不安排值班"},
            )
            marked = marked or created
    return marked


def _shift_types(team: Team) -> None:
    # R-ROSTER-1 default: one day shift 09:00-18:00 and one night shift 18:00-24:00.
    day, _ = ShiftType.objects.update_or_create(
        team=team,
        key="day",
        defaults={"name": "白班", "start": time(9), "end": time(18), "is_night": False, "headcount": 3, "order": 1},
    )
    night, _ = ShiftType.objects.update_or_create(
        team=team,
        key="night",
        defaults={"name": "夜班", "start": time(18), "end": time(0), "is_night": True, "headcount": 2, "order": 2},
    )
    refund = Skill.objects.get(code="refund")  # made with the demo people (dutydesk/demo.py)
    day.required_skills.set([refund])
    night.required_skills.set([refund])


def _acknowledgements(team, months) -> None:
    """Most of the team has confirmed the published rosters; a few have not, so the supervisor sees who."""
    staff = list(queries.duty_staff(team))
    for month in months:
        roster = queries.roster_for(team, month)
        if roster is None or roster.published_version is None:
            continue
        for profile in staff[: len(staff) - 4]:
            services.acknowledge_roster(roster.published_version, profile=profile)


def settings_reset() -> None:
    from roster.models import TeamRosterSettings

    TeamRosterSettings.objects.filter(team__slug__in=["team-east", "team-south"]).update(solver_time_limit_s=10)


def _availability(team, month: date) -> None:
    rng = random.Random(f"{team.slug}{month}")
    days = [d.date for d in queries.duty_days(team, month)]
    staff = list(queries.duty_staff(team))
    keen = next((p for p in staff if p.user_id == _user_id(BOTH_DAYS[team.slug])), None)
    weekend = _both_days_weekend(team, month)
    if keen is not None and weekend:
        for day in weekend:
            Availability.objects.get_or_create(
                profile=keen, date=day, defaults={"kind": AvailabilityKind.PREFERRED, "note": BOTH_DAYS_NOTE}
            )
    staff = [p for p in staff if p != keen]
    for profile in rng.sample(staff, k=min(8, len(staff))):
        day = rng.choice(days)
        kind = rng.choice([AvailabilityKind.UNAVAILABLE, AvailabilityKind.PREFERRED, AvailabilityKind.PREFER_OFF])
        note = {"unavailable": "家里有事", "preferred": "想多值班", "prefer_off": "尽量调开"}[kind]
        Availability.objects.get_or_create(profile=profile, date=day, defaults={"kind": kind, "note": note})


def _user_id(username: str) -> int | None:
    return Profile.objects.filter(user__username=username).values_list("user_id", flat=True).first()


def _both_days_weekend(team: Team, month: date) -> tuple[date, date] | None:
    """The first weekend of `month` whose Saturday and Sunday are both duty days and the only rest dates of their
    week (R-LAW-1: whoever works one of them may not work the other), or None."""
    roster = services.prepare_month(team, month)
    instance = queries.solver_instance(roster)
    if instance.working_time is None:
        return None
    duty = {d.date for d in instance.days}
    for saturday in sorted(d for d in duty if d.weekday() == 5):
        sunday = saturday + timedelta(days=1)
        week = [saturday - timedelta(days=5 - i) for i in range(7)]
        rest = [d for d in week if instance.working_time.kind(d) != plain.WORKDAY]
        if sunday in duty and rest == [saturday, sunday]:
            return saturday, sunday
    return None


def _wishes(team, month: date) -> None:
    """Issue 26: a dozen people wish two days off (预排休), two would rather not work nights."""
    rng = random.Random(f"wishes{team.slug}{month}")
    days = [d.date for d in queries.duty_days(team, month)]
    staff = [p for p in queries.duty_staff(team) if p.is_qualified]
    if len(days) < 2:
        return
    for profile in rng.sample(staff, k=min(12, len(staff))):
        for day in rng.sample(days, 2):
            Availability.objects.get_or_create(
                profile=profile, date=day, defaults={"kind": AvailabilityKind.WISH_OFF, "note": "预排休"}
            )
    night = ShiftType.objects.get(team=team, key="night")
    for profile in rng.sample(staff, k=min(2, len(staff))):
        ShiftWish.objects.get_or_create(profile=profile, month=month, shift_type=night, defaults={"kind": "avoid"})
