"""China's holidays as the `holidays` package knows them: the only module that imports it (R-CAL-1).

The package carries each year's State Council notice from 2001 on as year-by-year data (its "special" holidays: the
days off moved from a weekend and the weekends worked, 调休). For a later year it has no notice: it computes the
statutory days from the lunar calendar, adds observed days (补假) and knows no adjusted working day. Such a year is
only an estimate: `package_year` gives it as provisional.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays
from holidays.countries.china import ChinaStaticHolidays

from workcalendar.days import HOLIDAY, OFFICIAL, PROVISIONAL, REST, WORKDAY, Day, Source, Year

VERSION = holidays.__version__
FIRST_NOTICE_YEAR = 2001  # the package is "checked with the official notice from 2001 onwards"


def official_years() -> tuple[int, ...]:
    """The years whose State Council notice the package holds."""
    return tuple(sorted(y for y in ChinaStaticHolidays.special_public_holidays if y >= FIRST_NOTICE_YEAR))


def holds_notice(year: int) -> bool:
    return year in official_years()


@lru_cache(maxsize=64)
def package_year(year: int) -> Year:
    """The year as the package has it: official when it holds the notice, else provisional (its estimate)."""
    named = holidays.China(years=year, language="zh_CN")
    statutory = holidays.China(years=year, observed=False, language="en_US")
    days: dict[date, Day] = {}
    for on, name in sorted(named.items()):
        if on.year != year:
            continue
        # Without observed days and without the days off moved from a weekend ("Day off (substituted from ...)"):
        # those are rest days of the break, not statutory holidays (Labour Law art. 44 pays them differently).
        is_statutory = on in statutory and not statutory[on].startswith("Day off")
        days[on] = Day(HOLIDAY if is_statutory else REST, name)
    for on in sorted(d for d in named.weekend_workdays if d.year == year):
        days[on] = Day(WORKDAY, _workday_name(on, days))
    official = holds_notice(year)
    return Year(
        year=year,
        status=OFFICIAL if official else PROVISIONAL,
        days=MappingProxyType(days),
        source=Source(title=f"holidays {VERSION}"),
        stamp=f"package-{VERSION}",
    )


def _workday_name(on: date, days: dict[date, Day]) -> str:
    """调休上班 named after the break it pays for (国庆节调休上班): the holiday nearest the day off that the package
    says was moved from `on` ("休息日（由 2026-09-20 调休）" on 10-06), else the holiday nearest `on`."""
    moved_to = next((d for d, day in days.items() if day.kind == REST and on.isoformat() in day.name), on)
    nearest = sorted(
        (abs((d - moved_to).days), d)
        for d, day in days.items()
        if day.kind == HOLIDAY and abs(d - moved_to) <= timedelta(days=21)
    )
    return f"{days[nearest[0][1]].name}调休上班" if nearest else "调休上班"
