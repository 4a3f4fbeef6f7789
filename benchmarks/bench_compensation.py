"""The duty statements of a 1,000-agent company month (issue 16, "Done means").

A company of 10 teams × 100 agents in October 2026, the hardest month of the calendar: National Day (10-01..10-03,
statutory), the rest of the break (10-04..10-07, rest days), a 调休 working Saturday (10-10) staffed by some teams,
ordinary weekends; a day shift, a night shift and a shift past midnight; sign-ins early and late, early sign-outs,
time away from the post, absences, forgotten sign-outs and shifts without any record; half the teams on comp time,
half on overtime pay. Computing every team's statement is timed and its SQL counted, and the count is compared with
a 100-agent company (it must not grow with agents). The figures are then checked against a recount that shares
nothing with compensation.rules: minute by minute, with October's calendar written out by hand.
"""

import random
import statistics
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compensation import services
from compensation.models import CompensationPolicy, StatementLine
from dutydesk.models import Profile, Role, Team
from logbook.models import BreakKind, DisciplineKind, DisciplineRecord, Logbook, PostBreak
from roster.models import AssignmentRole, DutyShift, ShiftType
from testdata import publish

MONTH = date(2026, 10, 1)
TEAMS = 10
ZONE = timezone.get_default_timezone()
NOW = datetime(2026, 11, 2, 3, 0, tzinfo=ZONE)
RUNS = 3

# October 2026 by hand (State Council notice): statutory 1-3; the rest of the break, 4-7, are rest days (4 is a
# Sunday); Saturday 10 is a working day; the other Saturdays and Sundays are rest days, and so is Sunday 11-01,
# where the shift past midnight of 10-31 ends.
HOLIDAYS = {(10, 1), (10, 2), (10, 3)}
WORKING_WEEKEND = {(10, 10)}
REST_DAYS = {(10, d) for d in (4, 5, 6, 7, 11, 17, 18, 24, 25, 31)} | {(11, 1)}
DUTY_DATES = sorted(day for month, day in HOLIDAYS | REST_DAYS | WORKING_WEEKEND if month == 10)
SHIFTS = [
    ("day", "白班", clock(9), clock(18), False),
    ("night", "夜班", clock(18), clock(0), True),
    ("late", "跨夜班", clock(22), clock(6), True),
]


def build(agents_per_team: int, tag: str) -> tuple[list[Team], dict]:
    rng = random.Random(f"bench-compensation-{tag}")
    password = make_password("bench")
    teams, truth = [], {}
    for t in range(TEAMS):
        team = Team.objects.create(name=f"基准{tag}组{t:02d}", slug=f"bench-{tag}-{t:02d}")
        teams.append(team)
        if t % 2:
            CompensationPolicy.objects.create(team=team, rest_day_treatment="overtime_pay")
        users = User.objects.bulk_create(
            [User(username=f"b{tag}{t:02d}{n:03d}", password=password) for n in range(agents_per_team + 1)]
        )
        people = Profile.objects.bulk_create(
            [
                Profile(user=u, name=f"客服{t:02d}{n:03d}", role=Role.AGENT, team=team)
                for n, u in enumerate(users[:agents_per_team])
            ]
        )
        kinds = [
            ShiftType.objects.create(team=team, key=key, name=name, start=start, end=end, is_night=night, headcount=1)
            for key, name, start, end, night in SHIFTS
        ]
        # Odd teams staff the working Saturday too; even teams leave it to the weekday team.
        dates = [d for d in DUTY_DATES if t % 2 or (10, d) not in WORKING_WEEKEND]
        shifts = []
        for day in dates:
            for kind in kinds:
                starts, ends = DutyShift.bounds(MONTH.replace(day=day), kind)
                shifts.append(
                    DutyShift(
                        team=team,
                        date=MONTH.replace(day=day),
                        shift_type=kind,
                        starts_at=starts,
                        ends_at=ends,
                        is_night=kind.is_night,
                        headcount=1,
                    )
                )
        shifts = DutyShift.objects.bulk_create(shifts)
        held, books, breaks, absences = [], [], [], []
        for person in people:
            taken = set()
            for shift in rng.sample(shifts, k=min(3, len(shifts))):
                if shift.date in taken:
                    continue
                taken.add(shift.date)
                held.append((person, shift, AssignmentRole.MEMBER))
                record = _attendance(rng, shift)
                truth[(person.pk, shift.pk)] = (shift, record)
                if record["absent"]:
                    absences.append(
                        DisciplineRecord(profile=person, kind=DisciplineKind.ABSENCE, date=shift.date, duty_shift=shift)
                    )
                if record["in"] is not None:
                    books.append(
                        (
                            Logbook(
                                duty_shift=shift,
                                profile=person,
                                team=team,
                                signed_in_at=record["in"],
                                signed_out_at=record["out"],
                            ),
                            record["away"],
                        )
                    )
        publish(team, held, month=MONTH)  # by the system, as the deadline's job would
        DisciplineRecord.objects.bulk_create(absences)
        created = Logbook.objects.bulk_create([book for book, _away in books])
        for book, (_unsaved, away) in zip(created, books, strict=True):
            if away:
                breaks.append(PostBreak(logbook=book, kind=BreakKind.LEFT_POST, started_at=away[0], ended_at=away[1]))
        PostBreak.objects.bulk_create(breaks)
    return teams, truth


def _attendance(rng: random.Random, shift: DutyShift) -> dict:
    start, end = shift.starts_at, shift.ends_at
    roll = rng.random()
    record = {
        "in": start - timedelta(minutes=rng.randrange(10, 25)),
        "out": end + timedelta(minutes=rng.randrange(6)),
        "away": None,
        "absent": False,
    }
    if roll < 0.05:
        return {"in": None, "out": None, "away": None, "absent": True}
    if roll < 0.08:
        return {"in": None, "out": None, "away": None, "absent": False}  # no record at all
    if roll < 0.18:
        record["in"] = start + timedelta(minutes=rng.randrange(1, 50))  # late (R-ATT-2)
    if 0.18 <= roll < 0.24:
        record["out"] = end - timedelta(minutes=rng.randrange(20, 120))  # early leave (R-ATT-4)
    if 0.24 <= roll < 0.30:
        left = start + timedelta(minutes=rng.randrange(60, 200))
        record["away"] = (left, left + timedelta(minutes=rng.randrange(10, 40)))
    if 0.30 <= roll < 0.32:
        record["out"] = None  # forgot to sign out
    return record


def recount(truth: dict, policies: dict) -> dict[int, dict[str, Decimal]]:
    """Minute by minute, with the hand-written calendar: what each person's statement must say."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (profile_id, _shift_id), (shift, record) in truth.items():
        overtime = policies[shift.team_id]
        start, end = shift.starts_at.astimezone(ZONE), shift.ends_at.astimezone(ZONE)
        minutes = defaultdict(int)
        moment = start
        while moment < end:
            if _at_post(moment, start, end, record):
                local = moment.astimezone(ZONE).date()
                key = (local.month, local.day)
                kind = "holiday" if key in HOLIDAYS else "rest" if key in REST_DAYS else "work"
                minutes[kind] += 1
            moment += timedelta(minutes=1)
        hours = {kind: (Decimal(m) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP) for kind, m in minutes.items()}
        rest, holiday = hours.get("rest", Decimal(0)), hours.get("holiday", Decimal(0))
        person = totals[profile_id]
        person["rest"] += rest
        person["holiday"] += holiday
        person["actual"] += rest + holiday + hours.get("work", Decimal(0))
        person["comp"] += Decimal(0) if overtime else rest
        person["units"] += (rest * 2 if overtime else Decimal(0)) + holiday * 3
    return totals


def _at_post(moment, start, end, record) -> bool:
    if record["in"] is None:
        return not record["absent"]  # no record: the planned hours count
    if moment < record["in"] or (record["out"] is not None and moment >= record["out"]):
        return False
    away = record["away"]
    return not (away and away[0] <= moment < away[1])


def compute(teams) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        services.compute_open_statements(month=MONTH, teams=teams, now=NOW)
        seconds = time.perf_counter() - start
    return seconds, len(queries)


def check(teams, truth) -> None:
    policies = {team.pk: CompensationPolicy.objects.filter(team=team).exists() for team in teams}
    expected = recount(truth, policies)
    lines = {line.profile_id: line for line in StatementLine.objects.filter(statement__team__in=teams)}
    assert len(lines) == TEAMS * 100
    for profile_id, want in expected.items():
        line = lines[profile_id]
        got = {
            "rest": line.rest_day_hours,
            "holiday": line.holiday_hours,
            "actual": line.actual_hours,
            "comp": line.comp_earned,
            "units": line.overtime_pay_units,
        }
        assert got == {k: want[k] for k in got}, (profile_id, got, dict(want))


def main() -> None:
    small_teams, _ = build(10, "s")
    _seconds, small_queries = compute(small_teams)
    teams, truth = build(100, "l")
    first, first_queries = compute(teams)
    assert first_queries == small_queries, f"SQL grew with agents: {small_queries} for 100, {first_queries} for 1000"
    check(teams, truth)
    # Everyone who signed out did so 7 minutes earlier: every line and most earnings change.
    Logbook.objects.filter(team__in=teams, signed_out_at__isnull=False).update(
        signed_out_at=F("signed_out_at") - timedelta(minutes=7)
    )
    for record in (r for _shift, r in truth.values() if r["out"] is not None):
        record["out"] -= timedelta(minutes=7)
    again, again_queries = compute(teams)
    check(teams, truth)
    unchanged = statistics.median(compute(teams)[0] for _ in range(RUNS))
    print(f"BENCH duty.statement.agents1000.ms {first * 1000:.0f} ms")
    print(f"BENCH duty.statement.agents1000.queries {first_queries} queries")
    print(f"BENCH duty.statement.agents100.queries {small_queries} queries")
    print(f"BENCH duty.statement.agents1000.recompute_changed.ms {again * 1000:.0f} ms")
    print(f"BENCH duty.statement.agents1000.recompute_changed.queries {again_queries} queries")
    print(f"BENCH duty.statement.agents1000.recompute_same.ms {unchanged * 1000:.0f} ms")
