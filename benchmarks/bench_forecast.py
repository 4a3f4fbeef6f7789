"""Next month's forecast from a year of history (issue 26, "Done when": `BENCH forecast.year.seconds`).

One team, a year of weekends in its logbook (every contact an entry, 09:00-24:00, busier afternoons and evenings,
618 / 双11 / 双12 about twice as busy), and the last three months also imported from the phone system, every hour.
Timed: the whole forecast page's data for January 2027 (history read, merged, baselines, uplift, Erlang C for every
shift), median of RUNS, with its SQL counted. Then every suggestion is recounted by code that shares nothing with
forecast.rules: the history summed again from the rows, Erlang C from the textbook sum of A^k/k! in exact
fractions, and the busiest hour's agents found by trying every count.
"""

import math
import random
import statistics
import time
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from fractions import Fraction

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dutydesk.models import Profile, Role, Team
from dutydesk.months import add_months
from forecast import queries
from forecast.models import ContactVolume, ServiceTarget, VolumeImport
from logbook.models import Entry, EntryKind, Logbook
from roster import services as roster_services
from roster.models import DutyShift, ShiftType

TODAY = date(2026, 12, 1)
MONTH = date(2027, 1, 1)
ZONE = timezone.get_default_timezone()
RUNS = 3
PROFILE = {
    9: 10,
    10: 16,
    11: 18,
    12: 14,
    13: 16,
    14: 20,
    15: 22,
    16: 20,
    17: 16,
    18: 12,
    19: 18,
    20: 22,
    21: 18,
    22: 10,
    23: 5,
}
PROMOTIONS = {(6, 18), (11, 11), (12, 12)}


def build() -> tuple[Team, dict]:
    rng = random.Random("bench-forecast")
    team = Team.objects.create(name="预测基准组", slug="bench-forecast")
    from django.contrib.auth.models import User

    user = User.objects.create(username="bench-forecast-agent")
    agent = Profile.objects.create(user=user, name="基准客服", role=Role.AGENT, team=team)
    ShiftType.objects.create(team=team, key="day", name="白班", start=clock(9), end=clock(18), headcount=2, order=1)
    ShiftType.objects.create(
        team=team, key="night", name="夜班", start=clock(18), end=clock(0), headcount=2, is_night=True, order=2
    )
    ServiceTarget.objects.create(team=team, answered_pct=80, answer_seconds=20, handling_seconds=240)
    first = TODAY - timedelta(days=365)
    for k in range(13):
        roster_services.prepare_month(team, add_months(first.replace(day=1), k))
    truth: dict = defaultdict(dict)  # date -> hour -> (contacts, handling total or None)
    entries = []
    shifts = {(s.date, s.shift_type.key): s for s in DutyShift.objects.filter(team=team).select_related("shift_type")}
    books = {}
    for (day, key), shift in shifts.items():
        if not first <= day < TODAY:
            continue
        books[(day, key)] = Logbook(duty_shift=shift, profile=agent, team=team)
    Logbook.objects.bulk_create(books.values())
    for (day, key), book in books.items():
        factor = 2.0 if (day.month, day.day) in PROMOTIONS else 1.0
        for hour, mean in PROFILE.items():
            if (hour < 18) != (key == "day"):
                continue
            n = max(0, round(rng.gauss(mean * factor, mean * 0.15)))
            truth[day][hour] = (n, None)
            start = datetime.combine(day, clock(hour), tzinfo=ZONE)
            entries += [
                Entry(
                    logbook=book,
                    team=team,
                    author=agent,
                    client_token=uuid.uuid4(),
                    created_at=start + timedelta(seconds=i * 3599 // max(n, 1)),
                    kind=EntryKind.INQUIRY,
                    content="咨询",
                )
                for i in range(n)
            ]
    Entry.objects.bulk_create(entries, batch_size=5000)
    # The last three months, every hour, from the phone system: these dates' figures replace the logbook's.
    imported_from = TODAY - timedelta(days=91)
    record = VolumeImport.objects.create(
        team=team, file_name="bench", rows=0, first_date=imported_from, last_date=TODAY
    )
    rows = []
    day = imported_from
    while day < TODAY:
        truth[day] = {}
        for hour in range(24):
            mean = PROFILE.get(hour, 1) * (1.3 if day.weekday() >= 5 else 0.8)
            mean *= 2.0 if (day.month, day.day) in PROMOTIONS else 1.0
            n, handling = max(0, round(rng.gauss(mean, mean * 0.15))), rng.randint(180, 300)
            truth[day][hour] = (n, n * handling)
            rows.append(
                ContactVolume(team=team, date=day, hour=hour, contacts=n, handling_seconds=handling, source=record)
            )
        day += timedelta(days=1)
    ContactVolume.objects.bulk_create(rows, batch_size=5000)
    return team, {d: hours for d, hours in truth.items() if any(n for n, _ in hours.values())}, len(entries), len(rows)


# --- the recount: shares no code with forecast.rules ------------------------------------------------------------


def textbook_erlang_c(n: int, a: Fraction) -> float:
    if n <= a:
        return 1.0
    term = Fraction(a**n, math.factorial(n)) * Fraction(n) / (n - a)
    total = sum(Fraction(a**k, math.factorial(k)) for k in range(n)) + term
    return float(term / total)


def recount_agents(per_hour: float, handling: int, pct: int, seconds: int) -> int:
    if per_hour <= 0:
        return 0
    a = Fraction(per_hour).limit_denominator(10**6) * handling / 3600
    for n in range(1, 400):
        if n > a and 1 - textbook_erlang_c(n, a) * math.exp(-float(n - a) * seconds / handling) >= pct / 100:
            return n
    return 400


def recount(truth: dict, page: dict) -> int:
    """Suggestions whose agents differ from the recount (0 means every one agrees)."""
    promotion = {d for d in truth if (d.month, d.day) in PROMOTIONS}
    wrong = 0
    for row in page["rows"]:
        s = row["suggestion"]
        same = sorted(d for d in truth if d < TODAY and d not in promotion and d.weekday() == s.shift.date.weekday())
        used = same[-8:]
        known = [(n, t) for d in used for n, t in truth[d].values() if t is not None and n]
        handling = round(sum(t for _, t in known) / sum(n for n, _ in known)) if known else 240
        factor = page["uplift"].factor if s.shift.promotion else 1.0
        hours = range(s.shift.start.hour, 24 if s.shift.end == clock(0) else s.shift.end.hour)
        peak = max(sum(truth[d].get(h, (0, None))[0] for d in used) / len(used) * factor for h in hours)
        agents = max(recount_agents(peak, handling, 80, 20), 2 if s.shift.promotion else 1)
        wrong += agents != s.agents
    return wrong


def main() -> None:
    started = time.perf_counter()
    team, truth, entries, imported = build()
    built_s = time.perf_counter() - started
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            page = queries.month_forecast(team, MONTH, today=TODAY)
            timings.append(time.perf_counter() - begin)
    print(f"BENCH forecast.year.seconds {statistics.median(timings):.3f} s", flush=True)
    print(f"BENCH forecast.year.queries {len(captured.captured_queries)} count", flush=True)
    print(f"BENCH forecast.year.history_days {len(truth)} days", flush=True)
    print(f"BENCH forecast.year.uplift {page['uplift'].factor} ratio", flush=True)
    print(f"BENCH forecast.year.recount_disagreements {recount(truth, page)} shifts", flush=True)
    print(
        f"# forecast bench: {entries} logbook entries, {imported} imported hours, {len(page['rows'])} shifts of "
        f"{MONTH:%Y-%m} suggested; building the data took {built_s:.1f} s",
        flush=True,
    )
