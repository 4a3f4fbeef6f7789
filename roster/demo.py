"""Demo rosters: the last three months and this month published, next month a draft (team-east, awaiting its
publish deadline) or published (team-south), with availability declared for next month. Idempotent."""

import random
from datetime import date, time, timedelta

from dutydesk.models import Skill, Team
from dutydesk.months import add_months, month_start, months_back
from roster import queries, services
from roster.models import Availability, AvailabilityKind, CalendarOverride, DayKind, ShiftType, ShiftWish


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
        for month in [*months_back(this_month, 4), next_month]:
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
    for profile in rng.sample(staff, k=min(8, len(staff))):
        day = rng.choice(days)
        kind = rng.choice([AvailabilityKind.UNAVAILABLE, AvailabilityKind.PREFERRED, AvailabilityKind.PREFER_OFF])
        note = {"unavailable": "家里有事", "preferred": "想多值班", "prefer_off": "尽量调开"}[kind]
        Availability.objects.get_or_create(profile=profile, date=day, defaults={"kind": kind, "note": note})


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
