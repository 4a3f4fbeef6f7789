"""Demo contact volume: a year of weekend (and promotion-day) hours for each team, so the forecast page means
something. Shaped like the logbook's days (busy afternoons, a quiet early morning, evenings that tail off), with
618, 双11 and 双12 about twice as busy, imported as the system of a real team would export it (one VolumeImport
named demo). Idempotent: a team that has any imported volume is left alone."""

import random
from datetime import date, timedelta

from dutydesk.models import Team
from forecast.models import ContactVolume, ServiceTarget, VolumeImport
from roster.calendar import PROMOTION_PRESETS

# Mean contacts per hour of an ordinary weekend day, 09:00-23:00 (the demo teams' day and night shifts).
PROFILE = {
    9: 14,
    10: 22,
    11: 26,
    12: 20,
    13: 22,
    14: 28,
    15: 30,
    16: 27,
    17: 22,
    18: 18,
    19: 24,
    20: 30,
    21: 26,
    22: 16,
    23: 8,
}
SCALE = {"team-east": 1.0, "team-south": 0.7}
PROMOTION_UPLIFT = 2.1


def load(*, today: date) -> None:
    for team in Team.objects.filter(slug__in=SCALE):
        if ContactVolume.objects.filter(team=team).exists():
            continue
        ServiceTarget.objects.get_or_create(team=team)
        _year_of_volume(team, today=today, scale=SCALE[team.slug])


def _year_of_volume(team, *, today: date, scale: float) -> None:
    rng = random.Random(f"forecast-{team.slug}")
    first, last = today - timedelta(days=365), today - timedelta(days=1)
    rows = []
    day = first
    while day <= last:
        promotion = (day.month, day.day) in PROMOTION_PRESETS
        if day.weekday() >= 5 or promotion:
            # Sundays a little busier than Saturdays; a slow rise over the year as the shop grows.
            growth = 1 + 0.15 * (day - first).days / 365
            factor = scale * growth * (1.1 if day.weekday() == 6 else 1.0) * (PROMOTION_UPLIFT if promotion else 1.0)
            for hour, mean in PROFILE.items():
                contacts = max(0, round(rng.gauss(mean * factor, mean * factor * 0.12)))
                rows.append((day, hour, contacts, rng.randint(200, 280)))
        day += timedelta(days=1)
    record = VolumeImport.objects.create(
        team=team, file_name="demo", rows=len(rows), first_date=rows[0][0], last_date=rows[-1][0]
    )
    ContactVolume.objects.bulk_create(
        ContactVolume(team=team, date=d, hour=h, contacts=c, handling_seconds=s, source=record) for d, h, c, s in rows
    )
