"""Seed the company calendar from the `holidays` package (R-CAL-1): every year whose State Council notice the package
holds, official, and the year after the last of them, provisional (the package's estimate: its statutory days, its
补假 days, and no adjusted working day, since it cannot know them before the notice).

Written out here rather than imported from workcalendar.package, so that this migration keeps doing what it did
when the app's code moves on. A year already in the table is left as it is.
"""

from datetime import timedelta

from django.db import migrations


def _year_days(year):
    import holidays

    named = holidays.China(years=year, language="zh_CN")
    statutory = holidays.China(years=year, observed=False, language="en_US")
    days = {}
    for on, name in sorted(named.items()):
        if on.year == year:
            is_statutory = on in statutory and not statutory[on].startswith("Day off")
            days[on] = ("holiday" if is_statutory else "rest", name[:60])
    for on in sorted(d for d in named.weekend_workdays if d.year == year):
        moved_to = next((d for d, (kind, name) in days.items() if kind == "rest" and on.isoformat() in name), on)
        near = sorted(
            (abs((d - moved_to).days), d)
            for d, (kind, _name) in days.items()
            if kind == "holiday" and abs(d - moved_to) <= timedelta(days=21)
        )
        days[on] = ("workday", (f"{days[near[0][1]][1]}调休上班" if near else "调休上班")[:60])
    return days


def seed(apps, schema_editor):
    import holidays
    from holidays.countries.china import ChinaStaticHolidays

    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarRevision = apps.get_model("workcalendar", "CalendarRevision")
    official = sorted(y for y in ChinaStaticHolidays.special_public_holidays if 2001 <= y <= 2100)
    title = f"holidays {holidays.__version__}"
    for year in [*official, official[-1] + 1]:
        if CalendarYear.objects.filter(year=year).exists():
            continue
        status = "official" if year in official else "provisional"
        row = CalendarYear.objects.create(year=year, status=status, origin="package", source_title=title)
        days = _year_days(year)
        CalendarDay.objects.bulk_create(
            CalendarDay(year=row, date=on, kind=kind, name=name) for on, (kind, name) in days.items()
        )
        CalendarRevision.objects.create(
            year=row,
            number=1,
            kind="seed",
            status_after=status,
            source_title=title,
            changes=[
                {"date": on.isoformat(), "before": None, "after": {"kind": kind, "name": name}}
                for on, (kind, name) in days.items()
            ],
        )


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_company_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
