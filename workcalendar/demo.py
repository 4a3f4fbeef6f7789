"""Demo calendar: this year and next stored as the holidays package has them (the migration seeded them already on
a fresh database), so that in December 2026 the settings page says 2027 is not yet official. Idempotent: a year
already stored is left as it is."""

from datetime import date

from workcalendar import services
from workcalendar.models import CalendarYear


def load(*, today: date) -> None:
    missing = [y for y in (today.year, today.year + 1) if not CalendarYear.objects.filter(year=y).exists()]
    if missing:
        services.seed_years(missing)
